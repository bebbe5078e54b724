import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

/**
 * The repositories a privacy request (export or erasure) works on: the customer, their surveys and
 * cases, their comments among the theme examples, their consents to be quoted and their webhook events.
 * The erasure API and `closeloop customer` both run with these (see the API's manifest).
 */
export const customerPrivacyDeps = (
  db: DynamoDBDocumentClient,
  env: Readonly<Record<string, string | undefined>>,
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
  return {
    customers: createCustomerRepository(db, tables),
    surveys: createSurveyRepository(db, tables.surveys),
    cases: createCaseRepository(db, tables.cases),
    themeExamples: createThemeExampleRepository(db, tables.aggregates),
    consents: createConsentRepository(db, tables),
    webhookEvents: createWebhookOutbox(db, tables.webhookEvents),
  };
};

/** What the customer erasure API erases with. */
export const customerErasureDeps = (env: Readonly<Record<string, string | undefined>> = process.env) =>
  customerPrivacyDeps(createDocumentClient(), env);
