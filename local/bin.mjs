#!/usr/bin/env node
// Entry point of `npm start`: runs the local runtime through tsx.
import { runTypeScript } from '../cli/run-typescript.mjs';

await runTypeScript(new URL('./start.ts', import.meta.url).href);
