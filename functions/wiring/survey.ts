import * as z from 'zod/mini';
import { createAnswerRepository } from '../adapters/answer-repository';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createStoreRepository } from '../adapters/store-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { customersTable, storesTable, surveysTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import { readBrand } from '../shared/settings';

/** What the survey page function runs with (see its manifest). */
export const surveyWiring = () => {
  const tables = tableNamesFrom({ surveys: surveysTable, stores: storesTable, customers: customersTable });
  const db = createDocumentClient();
  return {
    deps: {
      surveys: createSurveyRepository(db, tables.surveys),
      answers: createAnswerRepository(db, { surveys: tables.surveys }),
    },
    stores: createStoreRepository(db, tables.stores),
    /** The promoter's name, for the signatures the consent form offers. */
    customers: createCustomerRepository(db, { customers: tables.customers }),
    brand: readBrand().BRAND_NAME,
    /** Optional page where promoters can leave a public review (Google, Trustpilot…). */
    reviewUrl: readConfig({ REVIEW_URL: z.optional(z.url()) }).REVIEW_URL,
  };
};
