import { dequal } from 'dequal/lite';
import type { CustomerProfile } from '../schemas/customer';
import { describeFoundHeader } from './csv-format';

/** What an import must do with one incoming customer, given what the registry already holds. */
export type CustomerWritePlan = 'create' | 'update' | 'change-email' | 'unchanged';

export const planCustomerWrite = (
  existing: CustomerProfile | undefined,
  incoming: CustomerProfile,
): CustomerWritePlan => {
  if (existing === undefined) return 'create';
  if (existing.email !== incoming.email) return 'change-email';
  return sameProfile(existing, incoming) ? 'unchanged' : 'update';
};

const sameProfile = (a: CustomerProfile, b: CustomerProfile): boolean =>
  a.firstName === b.firstName &&
  a.lastName === b.lastName &&
  a.storeId === b.storeId &&
  a.locale === b.locale &&
  a.phone === b.phone &&
  a.timezone === b.timezone &&
  dequal(a.attributes ?? {}, b.attributes ?? {});

export interface CsvHeader {
  /** Index of each column by name. */
  readonly index: ReadonlyMap<string, number>;
  /** Columns beyond the required ones, kept as attributes. */
  readonly extraColumns: readonly string[];
  readonly width: number;
}

/**
 * Validates a CSV header against the columns a file must have. Names are trimmed; the order is
 * free; a column may not appear twice.
 */
export const readCsvHeader = (
  header: readonly string[],
  required: readonly string[],
  /** Columns a file may have that are fields of their own, not attributes. */
  optional: readonly string[] = [],
): { ok: true; header: CsvHeader } | { ok: false; problems: string[] } => {
  const names = header.map((name) => name.trim());
  const seen = new Set(names);
  const duplicated = names.filter((name, position) => names.indexOf(name) !== position);
  const missing = required.filter((name) => !seen.has(name));
  const blank = names.some((name) => name === '');
  const problems = [
    ...(missing.length > 0
      ? [`missing column(s): ${missing.join(', ')}`, ...describeFoundHeader(header)]
      : []),
    ...(duplicated.length > 0 ? [`duplicate column(s): ${[...new Set(duplicated)].join(', ')}`] : []),
    ...(blank ? ['a column has no name'] : []),
  ];
  if (problems.length > 0) {
    return { ok: false, problems: [...problems, `expected columns: ${required.join(',')}`] };
  }
  return {
    ok: true,
    header: {
      index: new Map(names.map((name, position) => [name, position])),
      extraColumns: names.filter((name) => !required.includes(name) && !optional.includes(name)),
      width: names.length,
    },
  };
};

/**
 * Turns one CSV row into an object keyed by column name: the required columns, the optional ones the
 * file has, and the extra columns gathered in `attributes`.
 */
export const csvRowToObject = (
  header: CsvHeader,
  values: readonly string[],
  required: readonly string[],
  optional: readonly string[] = [],
) => {
  const value = (column: string) => values[header.index.get(column) ?? -1] ?? '';
  const row: Record<string, unknown> = Object.fromEntries([
    ...required.map((column) => [column, value(column)]),
    ...optional.filter((column) => header.index.has(column)).map((column) => [column, value(column)]),
  ]);
  const attributes: Record<string, string> = {};
  for (const column of header.extraColumns) {
    const text = value(column).trim();
    if (text !== '') attributes[column] = text;
  }
  row.attributes = attributes;
  return row;
};
