import { SESv2Client } from '@aws-sdk/client-sesv2';
import * as z from 'zod/mini';
import { createConsentRepository } from '../adapters/consent-repository';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createMailer } from '../adapters/mailer';
import { createSurveyRepository } from '../adapters/survey-repository';
import { aggregatesTable, customersTable, surveysTable } from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import type { ConsentDeps } from '../use-cases/testimonial-consent';

/** What the testimonial consent function runs with (see its manifest). */
export const testimonialConsentWiring = (): ConsentDeps => {
  const tables = tableNamesFrom({
    surveys: surveysTable,
    customers: customersTable,
    aggregates: aggregatesTable,
  });
  const config = readConfig({
    BRAND_NAME: z.string().check(z.minLength(1)),
    PUBLIC_API_URL: z.url(),
    SENDER_ADDRESS: z.string().check(z.minLength(1)),
    SES_CONFIGURATION_SET: z.optional(z.string()),
  });
  const db = createDocumentClient();
  return {
    surveys: createSurveyRepository(db, tables.surveys),
    customers: createCustomerRepository(db, { customers: tables.customers }),
    consents: createConsentRepository(db, { surveys: tables.surveys, aggregates: tables.aggregates }),
    mailer: createMailer(new SESv2Client({}), {
      from: config.SENDER_ADDRESS,
      configurationSet: config.SES_CONFIGURATION_SET || undefined,
    }),
    brand: config.BRAND_NAME,
    apiUrl: config.PUBLIC_API_URL.replace(/\/+$/, ''),
  };
};
