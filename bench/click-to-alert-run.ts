import { benchClickToAlert } from './click-to-alert';

/**
 * Runs the click-to-alert benchmark in a process of its own: the handlers read their settings once,
 * at load, so they must not share a module cache with another benchmark's namespace.
 */
const samples = Number(process.argv[2] ?? '15');
const result = await benchClickToAlert(process.env as Record<string, string>, samples);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
