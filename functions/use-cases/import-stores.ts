import pLimit from 'p-limit';
import type { StoreRepository } from '../adapters/store-repository';
import { parseSendWindow } from '../domain/send-window';
import { StoreProfile, storeCsvColumns, storeCsvOptionalColumns } from '../schemas/store';
import {
  type CsvRecord,
  type ImportedRow,
  type ImportOptions,
  importCsv,
  type RowOutcome,
} from './csv-import';

export interface ImportStoresDeps {
  readonly stores: StoreRepository;
  readonly now?: () => Date;
  readonly concurrency?: number;
}

/** Imports stores from CSV records; a re-import replaces each store's profile. */
export const importStores = async (
  records: AsyncIterable<CsvRecord>,
  { stores, now = () => new Date(), concurrency = 8 }: ImportStoresDeps,
  options: ImportOptions = {},
) => {
  const writes = pLimit(concurrency);
  const writeBatch = (rows: ReadonlyArray<ImportedRow<StoreProfile>>) =>
    Promise.all(
      rows.map((row) => writes((): Promise<RowOutcome> => stores.upsert(row.item, now().toISOString()))),
    );
  return importCsv(
    records,
    {
      requiredColumns: storeCsvColumns,
      optionalColumns: storeCsvOptionalColumns,
      schema: StoreProfile,
      keyName: 'storeId',
      keyOf: (store) => store.storeId,
      check: (store) => {
        try {
          if (store.sendWindow !== undefined) parseSendWindow(store.sendWindow);
          return undefined;
        } catch (error) {
          return `sendWindow: ${(error as Error).message}`;
        }
      },
      writeBatch,
    },
    options,
  );
};
