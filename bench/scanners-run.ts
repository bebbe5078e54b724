import { benchScanners } from './scanners';

/** Runs the scanner benchmark in a process of its own (the handlers read their settings once, at load). */
const [scannersPerKind = '3', peoplePerKind = '25'] = process.argv.slice(2);
const figures = await benchScanners(process.env as Record<string, string>, {
  scannersPerKind: Number(scannersPerKind),
  peoplePerKind: Number(peoplePerKind),
});
process.stdout.write(`${JSON.stringify(figures)}\n`);
process.exit(0);
