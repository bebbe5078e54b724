import { createCaseRepository } from '../adapters/case-repository';
import { createConsentRepository } from '../adapters/consent-repository';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createThemeExampleRepository } from '../adapters/theme-example-repository';
import {
  aggregatesTable,
  casesTable,
  customerEmailsTable,
  customersTable,
  surveysTable,
} from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import type { CustomerPrivacyDeps } from '../use-cases/customer-privacy';

/** What the customer erasure API erases with: the customer, their surveys and cases, their comments among the theme examples,
 * their consents to be quoted (see its manifest). */
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
  };
};
