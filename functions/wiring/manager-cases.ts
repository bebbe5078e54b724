import { createCaseRepository } from '../adapters/case-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { createWebhookOutbox } from '../adapters/webhook-outbox';
import { aggregatesTable, casesTable, storesTable, webhookEventsTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { countMetric } from '../shared/metrics';
import type { ManageCasesDeps } from '../use-cases/manage-cases';

/** What the managers' cases API runs with (see its manifest). */
export const managerCasesWiring = (): ManageCasesDeps => {
  const tables = tableNamesFrom({
    cases: casesTable,
    stores: storesTable,
    aggregates: aggregatesTable,
    webhookEvents: webhookEventsTable,
  });
  const db = createDocumentClient();
  return {
    cases: createCaseRepository(db, tables.cases, tables.aggregates, tables.webhookEvents),
    stores: createStoreRepository(db, tables.stores),
    webhookEvents: createWebhookOutbox(db, tables.webhookEvents),
    onContacted: (withinWindow) => {
      countMetric('CasesContacted');
      if (withinWindow) countMetric('CasesContactedWithin24h');
    },
  };
};
