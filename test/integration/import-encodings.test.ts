import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomerRepository } from '../../functions/adapters/customer-repository';
import { createStoreRepository } from '../../functions/adapters/store-repository';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { documentClient, runCli, tableNames, uniquePrefix } from '../support/local-stack';
import { accentedNames, csvText, utf8, utf16, windows1252 } from '../support/text-encodings';

const run = uniquePrefix('enc');
const storeId = `${run}-S1`;
const customers = () => createCustomerRepository(documentClient(), tableNames());
const stores = () => createStoreRepository(documentClient(), tableNames().stores);

/** Bytes written as a spreadsheet saved them, in a fresh temporary directory. */
const savedFile = (name: string, bytes: Uint8Array) => {
  const path = join(mkdtempSync(join(tmpdir(), 'closeloop-encodings-')), name);
  writeFileSync(path, bytes);
  return path;
};

/** A customers table whose names, and an attribute column and its values, carry every accent. */
const customerTable = (tag: string) => {
  const id = (n: number) => `${run}-${tag}${n}`;
  const rows = accentedNames.map((name, n) => [
    id(n),
    `${tag}${n}.${run}@example.com`.toLowerCase(),
    name,
    `${accentedNames[(n + 1) % accentedNames.length]} ${name}`,
    storeId,
    'fr',
    `Fidélité ${name}`,
  ]);
  return { table: [[...customerCsvColumns, 'Catégorie'], ...rows], rows, id };
};

const expectStoredIntact = async (rows: string[][]) => {
  const stored = await customers().getMany(rows.map((row) => row[0] as string));
  expect(stored.size).toBe(rows.length);
  for (const [customerId, email, firstName, lastName, , , category] of rows) {
    expect(stored.get(customerId as string)).toMatchObject({
      email,
      firstName,
      lastName,
      attributes: { Catégorie: category },
    });
  }
  expect(JSON.stringify([...stored.values()])).not.toContain('\uFFFD');
};

beforeAll(async () => {
  // A stores file saved by a French Excel: semicolons, Windows-1252, an euro sign and an Œ in the name.
  const file = savedFile(
    'magasins.csv',
    windows1252(
      csvText(
        [
          [...storeCsvColumns],
          [storeId, 'Œuvre Café Zoë - €uro', 'manager.oeuvre@example.com', '', 'Europe/Paris'],
        ],
        ';',
      ),
    ),
  );
  const result = await runCli(['import-stores', file]);
  expect(result.stdout).toContain("read as Windows-1252, delimiter ';'.");
  expect(result.stdout).toContain('1 created');
  expect(result.code, result.stderr).toBe(0);
});

describe('imports of files as spreadsheets write them', () => {
  it('imports a semicolon-separated Windows-1252 stores file with its accents', async () => {
    expect(await stores().get(storeId)).toMatchObject({
      name: 'Œuvre Café Zoë - €uro',
      managerEmail: 'manager.oeuvre@example.com',
    });
  });

  it('imports a semicolon-separated Windows-1252 customers file with every accent intact', async () => {
    const { table, rows } = customerTable('W');
    const result = await runCli([
      'import-customers',
      savedFile('clients.csv', windows1252(csvText(table, ';'))),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("read as Windows-1252, delimiter ';'.");
    expect(result.stdout).toContain('5 created');
    await expectStoredIntact(rows);
  });

  it('imports Excel\'s "Unicode text" (UTF-16 with a mark, tab-separated) with every accent intact', async () => {
    const { table, rows } = customerTable('U');
    const result = await runCli([
      'import-customers',
      savedFile('customers.txt', utf16(csvText(table, '\t'), 'le')),
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', created: 5 });
    await expectStoredIntact(rows);
  });

  it('imports a UTF-8 "CSV UTF-8" file with its byte-order mark, the mark not part of the first column', async () => {
    const { table, rows } = customerTable('B');
    const result = await runCli([
      'import-customers',
      savedFile('customers.csv', utf8(csvText(table, ','), { bom: true })),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("read as UTF-8, delimiter ','.");
    await expectStoredIntact(rows);
  });

  it('rejects the row of a UTF-8 file that holds bytes that are not UTF-8, with its line, and imports the rest', async () => {
    const { table, rows, id } = customerTable('X');
    const bad = [id(9), `x9.${run}@example.com`.toLowerCase(), 'J?r?me', 'Bad', storeId, 'fr', 'x'];
    const text = csvText([...table, bad], ',');
    // Line 7 was typed in Windows-1252: é and ô as single bytes, which UTF-8 forbids.
    const bytes = Buffer.concat(
      text
        .split('J?r?me')
        .flatMap((part, n) => (n === 0 ? [utf8(part)] : [windows1252('Jérôme'), utf8(part)])),
    );
    const file = savedFile('customers-bad.csv', bytes);
    const result = await runCli(['import-customers', file]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain("read as UTF-8, delimiter ','.");
    expect(result.stderr).toContain(
      'line 7: firstName: bytes that are not valid UTF-8 (if the file is not UTF-8, say which encoding with --encoding)',
    );
    expect(result.stdout).toContain('5 created, 0 updated, 0 unchanged, 1 rejected');
    expect(readFileSync(`${file}.rejected.csv`, 'utf8')).toContain(
      '7,,"firstName: bytes that are not valid UTF-8',
    );
    await expectStoredIntact(rows);
    expect(await customers().get(id(9))).toBeUndefined();
  });

  it('explains a header split with the wrong delimiter, and imports nothing', async () => {
    const file = savedFile(
      'stores.csv',
      utf8(csvText([[...storeCsvColumns], [`${run}-S9`, 'Nowhere', 'm@example.com', '', 'UTC']], ';')),
    );
    const result = await runCli(['import-stores', file, '--delimiter', ',']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("(read as UTF-8, delimiter ','): line 1: bad header");
    expect(result.stderr).toContain(
      "found 1 column: `storeId;name;managerEmail;regionalManagerEmail;timezone`: is the file separated by semicolons? use --delimiter ';'",
    );
    expect(result.stderr).toContain('Nothing was imported.');
    expect(await stores().get(`${run}-S9`)).toBeUndefined();
  });

  it('reads the file in the encoding and with the delimiter it is told', async () => {
    const { table, rows } = customerTable('F');
    const file = savedFile('clients.txt', windows1252(csvText(table, '\t')));
    const result = await runCli([
      'import-customers',
      file,
      '--encoding',
      'windows-1252',
      '--delimiter',
      'tab',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('read as Windows-1252, delimiter tab.');
    await expectStoredIntact(rows);
  });
});
