import { createCaseRepository } from '../adapters/case-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { aggregatesTable, casesTable, storesTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { countMetric } from '../shared/metrics';
import type { ManageCasesDeps } from '../use-cases/manage-cases';

/** What the managers' cases API runs with (see its manifest). */
export const managerCasesWiring = (): ManageCasesDeps => {
  const tables = tableNamesFrom({ cases: casesTable, stores: storesTable, aggregates: aggregatesTable });
  const db = createDocumentClient();
  return {
    cases: createCaseRepository(db, tables.cases, tables.aggregates),
    stores: createStoreRepository(db, tables.stores),
    onContacted: (withinWindow) => {
      countMetric('CasesContacted');
      if (withinWindow) countMetric('CasesContactedWithin24h');
    },
  };
};
