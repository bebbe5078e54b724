#!/usr/bin/env node
// Entry point of `npm start`: runs the local runtime through tsx.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./start.ts');
