#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx closeloop` works straight from a clone.
import { runTypeScript } from './run-typescript.mjs';

await runTypeScript(new URL('./closeloop.ts', import.meta.url).href);
