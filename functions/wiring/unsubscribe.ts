import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSurveyRepository } from '../adapters/survey-repository';
import { customersTable, surveysTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { readBrand } from '../shared/settings';

/** What the unsubscribe function runs with (see its manifest). */
export const unsubscribeWiring = () => {
  const tables = tableNamesFrom({ customers: customersTable, surveys: surveysTable });
  const db = createDocumentClient();
  return {
    deps: {
      customers: createCustomerRepository(db, { customers: tables.customers }),
      surveys: createSurveyRepository(db, tables.surveys),
    },
    brand: readBrand().BRAND_NAME,
  };
};
