import { createCaseRepository } from '../adapters/case-repository';
import { createConsentRepository } from '../adapters/consent-repository';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createThemeExampleRepository } from '../adapters/theme-example-repository';
import { createWebhookOutbox } from '../adapters/webhook-outbox';
import {
  aggregatesTable,
  casesTable,
  customerEmailsTable,
  customersTable,
  surveysTable,
  webhookEventsTable,
} from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import type { CustomerPrivacyDeps } from '../use-cases/customer-privacy';

/** What the customer erasure API erases with: the customer, their surveys and cases, their comments among the theme examples,
 * their consents to be quoted, their webhook events (see its manifest). */
export const customerErasureDeps = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): CustomerPrivacyDeps => {
  const tables = tableNamesFrom(
    {
      customers: customersTable,
      customerEmails: customerEmailsTable,
      surveys: surveysTable,
      cases: casesTable,
      aggregates: aggregatesTable,
      webhookEvents: webhookEventsTable,
    },
    env,
  );
  const db = createDocumentClient();
  return {
    customers: createCustomerRepository(db, tables),
    surveys: createSurveyRepository(db, tables.surveys),
    cases: createCaseRepository(db, tables.cases),
    themeExamples: createThemeExampleRepository(db, tables.aggregates),
    consents: createConsentRepository(db, tables),
    webhookEvents: createWebhookOutbox(db, tables.webhookEvents),
  };
};
