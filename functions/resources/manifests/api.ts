import type { FunctionManifest } from '../function-manifest';
import { exportsQueue } from '../queues';
import {
  aggregatesTable,
  benchmarksTable,
  casesTable,
  customerEmailsTable,
  customersTable,
  exportsTable,
  storesTable,
  surveysTable,
  webhookEventsTable,
} from '../tables';

const http = { kind: 'http' } as const;

/** `GET /health`: liveness; touches nothing. */
export const health = {
  id: 'Health',
  handler: 'health',
  description: 'closeloop API: health',
  trigger: http,
  tables: [],
  queues: [],
  settings: [],
} as const satisfies FunctionManifest;

/** The customer's survey page: reads a survey, records its answer; the thank-you page names the store. */
export const survey = {
  id: 'Survey',
  handler: 'survey',
  description: 'closeloop API: the survey page and its answers',
  trigger: http,
  tables: [
    { table: surveysTable, actions: ['GetItem', 'UpdateItem'], indexes: ['byReminderLink'] },
    { table: storesTable, actions: ['GetItem'] },
    // GetItem: a promoter's name, for the signatures the consent form offers.
    { table: customersTable, actions: ['GetItem'] },
  ],
  queues: [],
  settings: ['BRAND_NAME', 'REVIEW_URL'],
} as const satisfies FunctionManifest;

/** One-click unsubscribe (RFC 8058) from a survey link. */
export const unsubscribe = {
  id: 'Unsubscribe',
  handler: 'unsubscribe',
  description: 'closeloop API: one-click unsubscribe',
  trigger: http,
  tables: [
    { table: surveysTable, actions: ['GetItem'], indexes: ['byReminderLink'] },
    { table: customersTable, actions: ['UpdateItem'] },
    // The customer.unsubscribed webhook event, into the outbox.
    { table: webhookEventsTable, actions: ['PutItem'] },
  ],
  queues: [],
  settings: ['BRAND_NAME'],
} as const satisfies FunctionManifest;

/** `GET /m`: the managers' page (its script calls the signed-in API). */
export const managerPage = {
  id: 'ManagerPage',
  handler: 'manager-page',
  description: "closeloop API: the managers' page",
  trigger: http,
  tables: [],
  queues: [],
  settings: ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_LOGOUT_URL'],
} as const satisfies FunctionManifest;

/** `GET /d`: the NPS dashboard page (its script calls the signed-in API). */
export const dashboardPage = {
  id: 'DashboardPage',
  handler: 'dashboard-page',
  description: 'closeloop API: the NPS dashboard page',
  trigger: http,
  tables: [],
  queues: [],
  settings: ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_LOGOUT_URL'],
} as const satisfies FunctionManifest;

/** The managers' cases API: their stores' cases, calls and notes. */
export const managerCases = {
  id: 'ManagerCases',
  handler: 'manager-cases',
  description: "closeloop API: store managers' follow-up cases",
  trigger: http,
  tables: [
    { table: casesTable, actions: ['GetItem', 'UpdateItem'], indexes: ['byStore', 'byStoreStatus'] },
    { table: storesTable, actions: ['Scan'] },
    // UpdateItem: a call or a closing counts its follow-up outcome in the same transaction.
    { table: aggregatesTable, actions: ['UpdateItem'] },
    // The case.closed webhook event, into the outbox.
    { table: webhookEventsTable, actions: ['PutItem'] },
  ],
  queues: [],
  settings: [],
} as const satisfies FunctionManifest;

/** Reports and the dashboard's figures, from the aggregates. */
export const reports = {
  id: 'Reports',
  handler: 'reports',
  description: 'closeloop API: NPS reports and dashboard figures',
  trigger: http,
  tables: [
    { table: aggregatesTable, actions: ['Query'] },
    { table: storesTable, actions: ['Scan'] },
    { table: casesTable, actions: [], indexes: ['byStore'] },
    { table: surveysTable, actions: [], indexes: ['commentsByStore'] },
    // Scan: every report compares with the benchmarks (a handful of items, read whole).
    { table: benchmarksTable, actions: ['Scan'] },
  ],
  queues: [],
  settings: ['TESTIMONIAL_TARGET'],
} as const satisfies FunctionManifest;

/** Starts segment export jobs and signs the download links of finished ones. */
export const exports = {
  id: 'Exports',
  handler: 'exports',
  description: 'closeloop API: segment export jobs',
  trigger: http,
  tables: [{ table: exportsTable, actions: ['GetItem', 'PutItem'] }],
  queues: [{ queue: exportsQueue, actions: ['SendMessage'] }],
  exportFiles: 'read',
  settings: ['EXPORTS_BUCKET'],
} as const satisfies FunctionManifest;

/** Competitor and industry NPS benchmarks, kept by marketing and admins. */
export const benchmarks = {
  id: 'Benchmarks',
  handler: 'benchmarks',
  description: 'closeloop API: competitor and industry NPS benchmarks',
  trigger: http,
  tables: [
    { table: benchmarksTable, actions: ['GetItem', 'Scan', 'PutItem', 'DeleteItem'] },
    { table: storesTable, actions: ['GetItem'] },
  ],
  queues: [],
  settings: [],
} as const satisfies FunctionManifest;

/**
 * The customer sync API for integrations: creates and updates customers one at a time or 500 per
 * call (each row a transaction claiming its e-mail address, as the CSV import writes them).
 */
export const customerSync = {
  id: 'CustomerSync',
  handler: 'customer-sync',
  description: 'closeloop API: customer sync for integrations',
  trigger: http,
  // A batch of 500 takes about a second in DynamoDB; API Gateway waits 30 s at most.
  timeoutSeconds: 29,
  memorySize: 512,
  tables: [
    { table: customersTable, actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'] },
    { table: customerEmailsTable, actions: ['GetItem', 'PutItem', 'DeleteItem'] },
    { table: storesTable, actions: ['Scan'] },
  ],
  queues: [],
  settings: [],
} as const satisfies FunctionManifest;

/** Erasure of customers for integrations: the customer, their surveys' comments and their cases. */
export const customerErasure = {
  id: 'CustomerErasure',
  handler: 'customer-erasure',
  description: 'closeloop API: customer erasure for integrations',
  trigger: http,
  timeoutSeconds: 29,
  memorySize: 512,
  tables: [
    { table: customersTable, actions: ['GetItem', 'UpdateItem', 'DeleteItem'] },
    { table: customerEmailsTable, actions: ['GetItem', 'DeleteItem'] },
    { table: surveysTable, actions: ['GetItem', 'UpdateItem'], indexes: ['byCustomer'] },
    { table: casesTable, actions: ['GetItem', 'UpdateItem'] },
    { table: aggregatesTable, actions: ['GetItem', 'UpdateItem'] },
    { table: webhookEventsTable, actions: ['DeleteItem'] },
  ],
  queues: [],
  settings: [],
} as const satisfies FunctionManifest;

/**
 * A promoter's consent to be quoted (from the thank-you page), its confirmation e-mail, and its
 * withdrawal from that e-mail's link: the survey and its counts in one transaction.
 */
export const testimonialConsent = {
  id: 'TestimonialConsent',
  handler: 'testimonial-consent',
  description: 'closeloop API: consent to be quoted as a testimonial, and its withdrawal',
  trigger: http,
  tables: [
    { table: surveysTable, actions: ['GetItem', 'UpdateItem'], indexes: ['byReminderLink'] },
    { table: customersTable, actions: ['GetItem'] },
    // UpdateItem: a consent or a withdrawal counts itself in the same transaction.
    { table: aggregatesTable, actions: ['UpdateItem'] },
  ],
  queues: [],
  sendsMail: true,
  settings: ['BRAND_NAME', 'PUBLIC_API_URL', 'SENDER_ADDRESS', 'SES_CONFIGURATION_SET'],
} as const satisfies FunctionManifest;
