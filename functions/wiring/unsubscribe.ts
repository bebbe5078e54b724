import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createWebhookOutbox } from '../adapters/webhook-outbox';
import { customersTable, surveysTable, webhookEventsTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { readBrand } from '../shared/settings';

/** What the unsubscribe function runs with (see its manifest). */
export const unsubscribeWiring = () => {
  const tables = tableNamesFrom({
    customers: customersTable,
    surveys: surveysTable,
    webhookEvents: webhookEventsTable,
  });
  const db = createDocumentClient();
  return {
    deps: {
      customers: createCustomerRepository(db, { customers: tables.customers }),
      surveys: createSurveyRepository(db, tables.surveys),
      webhookEvents: createWebhookOutbox(db, tables.webhookEvents),
    },
    brand: readBrand().BRAND_NAME,
  };
};
