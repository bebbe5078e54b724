import { createWriteStream } from 'node:fs';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createDocumentClient } from '../functions/adapters/dynamodb';
import { registryTables } from '../functions/shared/config';
import { segmentRows, writeSegmentFile } from '../functions/use-cases/export-segment';

/**
 * One segment export in a process of its own, so its peak RSS is its own: `promoters` to /dev/null
 * as CSV, optionally only those who answered in [from, to]. Prints rows, seconds and peak RSS.
 */
const [from, to] = process.argv.slice(2);
const customers = createCustomerRepository(createDocumentClient(), registryTables());
const started = performance.now();
const rows = await writeSegmentFile(
  segmentRows({ customers }, { segment: 'promoters', ...(from && { from }), ...(to && { to }) }),
  createWriteStream('/dev/null'),
  { format: 'csv' },
);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({ rows, seconds, rowsPerSecond: rows / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
process.exit(0);
