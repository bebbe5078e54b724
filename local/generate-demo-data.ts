import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCsvFile } from '../cli/csv-files';
import { demoCustomerRows, demoStoreRows } from './demo-data';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '100000' },
    stores: { type: 'string', default: '8' },
    'out-dir': { type: 'string', default: '.closeloop/demo' },
  },
});
const customers = Number(values.customers);
const stores = Number(values.stores);
if (!Number.isInteger(customers) || customers < 1 || !Number.isInteger(stores) || stores < 1) {
  console.error('usage: npm run demo-data -- [--customers N] [--stores N] [--out-dir DIR]');
  process.exit(2);
}

mkdirSync(values['out-dir'], { recursive: true });
const storesFile = join(values['out-dir'], 'stores.csv');
const customersFile = join(values['out-dir'], 'customers.csv');
await writeCsvFile(storesFile, demoStoreRows(stores));
await writeCsvFile(customersFile, demoCustomerRows(customers, stores));
console.log(`wrote ${storesFile} (${stores} stores) and ${customersFile} (${customers} customers)`);
