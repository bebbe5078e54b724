/**
 * Every DynamoDB table, declared once. The CDK stack, the local runtime and the tests all build
 * their tables from these definitions, so local and cloud cannot drift.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  /** Attributes copied into the index besides the keys; `'ALL'` copies the whole item. */
  readonly projection: 'ALL' | 'KEYS_ONLY' | readonly string[];
}

export interface TableDefinition {
  /** Logical id in the stack and base of the local table name. */
  readonly id: string;
  /** Environment variable through which functions receive the physical table name. */
  readonly envVar: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey?: KeyDefinition;
  readonly globalIndexes: readonly IndexDefinition[];
  readonly timeToLiveAttribute?: string;
  /** A change stream, and what each record carries. */
  readonly stream?: 'KEYS_ONLY' | 'NEW_IMAGE';
}

/**
 * Customers: the CRM core. One item per customer, keyed by the business's own customer id.
 * `dueForSurvey` is sparse: only subscribed customers carry `dueShard`, so the scheduler reads just the
 * customers whose `nextSurveyAt` has come, whatever the size of the table.
 */
export const customersTable = {
  id: 'Customers',
  envVar: 'CUSTOMERS_TABLE',
  partitionKey: { name: 'customerId', type: 'S' },
  globalIndexes: [
    {
      indexName: 'dueForSurvey',
      partitionKey: { name: 'dueShard', type: 'S' },
      sortKey: { name: 'nextSurveyAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Sparse: customers who answered, by the category of their latest answer (`promoter#07`) and when
      // they gave it, so a segment export reads only that segment's customers, page by page.
      indexName: 'segments',
      partitionKey: { name: 'segmentShard', type: 'S' },
      sortKey: { name: 'latestScoreAt', type: 'S' },
      projection: 'ALL',
    },
  ],
} as const satisfies TableDefinition;

/**
 * One item per e-mail address, naming the customer who owns it. Written in the same transaction as
 * the customer, it makes an address unique across the whole registry, not just within one file.
 */
export const customerEmailsTable = {
  id: 'CustomerEmails',
  envVar: 'CUSTOMER_EMAILS_TABLE',
  partitionKey: { name: 'email', type: 'S' },
  globalIndexes: [],
} as const satisfies TableDefinition;

/** Stores: who manages each one and in which time zone it lives. */
export const storesTable = {
  id: 'Stores',
  envVar: 'STORES_TABLE',
  partitionKey: { name: 'storeId', type: 'S' },
  globalIndexes: [],
} as const satisfies TableDefinition;

/**
 * Surveys sent, keyed by the hash of their invitation's link token (`surveyKeyOf`: the link itself,
 * the secret that lets its holder answer or unsubscribe, is stored nowhere). `remindersDue` is sparse
 * like `dueForSurvey`: a survey carries `reminderShard` only while its one reminder is still to be sent.
 */
export const surveysTable = {
  id: 'Surveys',
  envVar: 'SURVEYS_TABLE',
  partitionKey: { name: 'token', type: 'S' },
  // Every new answer reaches the counting function through this stream (see answerChangesFilter).
  stream: 'NEW_IMAGE',
  globalIndexes: [
    {
      indexName: 'remindersDue',
      partitionKey: { name: 'reminderShard', type: 'S' },
      sortKey: { name: 'reminderDueAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Sparse: an answer is here from the moment it is recorded until the aggregates count it, so the
      // tick can catch up on any whose counting task was lost.
      indexName: 'answersToCount',
      partitionKey: { name: 'countShard', type: 'S' },
      sortKey: { name: 'answeredAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Sparse: promoters whose counted answer has a comment, the testimonial candidates for marketing.
      indexName: 'testimonials',
      partitionKey: { name: 'testimonialShard', type: 'S' },
      sortKey: { name: 'answeredAt', type: 'S' },
      projection: ['surveyId', 'customerId', 'storeId', 'answer'],
    },
    {
      // Sparse: counted answers with a comment, per store, newest last: the dashboard's latest comments.
      indexName: 'commentsByStore',
      partitionKey: { name: 'commentStoreId', type: 'S' },
      sortKey: { name: 'answeredAt', type: 'S' },
      projection: ['surveyId', 'storeId', 'answer'],
    },
    {
      // Sparse: the hash of the reminder's own link token, for surveys whose reminder went out, so the
      // reminder's link finds its survey (the key is the hash of the invitation's link).
      indexName: 'byReminderLink',
      partitionKey: { name: 'reminderLinkKey', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Every survey of a customer: what a privacy export or erasure must find.
      indexName: 'byCustomer',
      partitionKey: { name: 'customerId', type: 'S' },
      sortKey: { name: 'createdAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Sparse: promoters' quotes whose consent to be quoted stands (`quoteShard`, one of 16), by the
      // date it was given: the testimonials export reads only these.
      indexName: 'consentedQuotes',
      partitionKey: { name: 'quoteShard', type: 'S' },
      sortKey: { name: 'consentedAt', type: 'S' },
      projection: ['surveyId', 'customerId', 'storeId', 'locale', 'consent'],
    },
  ],
} as const satisfies TableDefinition;

/**
 * Exact NPS counts, so a report never reads responses: per scope (`all`, `store#S1`) and period
 * (`day#2026-11-23`, `month#2026-11`), the number of promoters, passives and detractors and a 0-10
 * histogram (`h0`…`h10`), kept by atomic updates.
 */
export const aggregatesTable = {
  id: 'Aggregates',
  envVar: 'AGGREGATES_TABLE',
  partitionKey: { name: 'scope', type: 'S' },
  sortKey: { name: 'period', type: 'S' },
  globalIndexes: [],
} as const satisfies TableDefinition;

/**
 * Follow-up cases: one per detractor survey (keyed by its survey id), owned by the store manager.
 * `byStore` lists a store's cases by due time; `casesToEscalate` is sparse: an open case is in it until
 * it is escalated or closed.
 */
export const casesTable = {
  id: 'Cases',
  envVar: 'CASES_TABLE',
  partitionKey: { name: 'caseId', type: 'S' },
  globalIndexes: [
    {
      indexName: 'byStore',
      partitionKey: { name: 'storeId', type: 'S' },
      sortKey: { name: 'dueAt', type: 'S' },
      projection: 'ALL',
    },
    {
      /** The managers' lists: a store's cases of one status, by due time (`statusDue` = `open#{dueAt}`). */
      indexName: 'byStoreStatus',
      partitionKey: { name: 'storeId', type: 'S' },
      sortKey: { name: 'statusDue', type: 'S' },
      projection: 'ALL',
    },
    {
      indexName: 'casesToEscalate',
      partitionKey: { name: 'escalationShard', type: 'S' },
      sortKey: { name: 'dueAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
  ],
} as const satisfies TableDefinition;

/** Segment export jobs started through the API: their state and where the file is; kept 7 days. */
export const exportsTable = {
  id: 'Exports',
  envVar: 'EXPORTS_TABLE',
  partitionKey: { name: 'jobId', type: 'S' },
  globalIndexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

/** Powertools idempotency records: guarantees an e-mail is sent once per task, whatever the retries. */
export const idempotencyTable = {
  id: 'Idempotency',
  envVar: 'IDEMPOTENCY_TABLE',
  partitionKey: { name: 'id', type: 'S' },
  globalIndexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

/**
 * Chat channels: Slack and Teams incoming webhooks that hear of a store's detractor alerts and daily
 * digest as well as its managers' e-mail. `byScope` finds the channels of a store, of its region
 * (`region#{regional manager's address}`) and of the chain (`chain`).
 */
export const chatChannelsTable = {
  id: 'ChatChannels',
  envVar: 'CHAT_CHANNELS_TABLE',
  partitionKey: { name: 'channelId', type: 'S' },
  globalIndexes: [
    {
      indexName: 'byScope',
      partitionKey: { name: 'scopeKey', type: 'S' },
      projection: 'ALL',
    },
  ],
} as const satisfies TableDefinition;

/**
 * Benchmarks: competitor or industry NPS figures that marketing enters (a handful per chain), each
 * compared with our NPS in every report. Read whole (one small scan), keyed by a slug of the name.
 */
export const benchmarksTable = {
  id: 'Benchmarks',
  envVar: 'BENCHMARKS_TABLE',
  partitionKey: { name: 'benchmarkId', type: 'S' },
  globalIndexes: [],
} as const satisfies TableDefinition;

/**
 * Webhook endpoints: URL, event filter and signing secrets (all active ones while a rotation's grace
 * period runs). Secrets are kept here, encrypted at rest like every table; only the webhooks function
 * and the operator's CLI read them (see docs/operations.md, "Webhooks").
 */
export const webhookEndpointsTable = {
  id: 'WebhookEndpoints',
  envVar: 'WEBHOOK_ENDPOINTS_TABLE',
  partitionKey: { name: 'endpointId', type: 'S' },
  globalIndexes: [],
} as const satisfies TableDefinition;

/**
 * The webhook outbox: one item per event, keyed by its stable id and written once (conditionally) by
 * the step that made it happen; its stream hands each new event to the fan-out. Kept 14 days.
 */
export const webhookEventsTable = {
  id: 'WebhookEvents',
  envVar: 'WEBHOOK_EVENTS_TABLE',
  partitionKey: { name: 'id', type: 'S' },
  stream: 'NEW_IMAGE',
  globalIndexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

/** Every delivery attempt of every endpoint (status, duration, attempt), newest last; kept 14 days. */
export const webhookDeliveriesTable = {
  id: 'WebhookDeliveries',
  envVar: 'WEBHOOK_DELIVERIES_TABLE',
  partitionKey: { name: 'endpointId', type: 'S' },
  sortKey: { name: 'attemptKey', type: 'S' },
  globalIndexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

/** Bulk import jobs: one item per CSV file dropped in `imports/`, with its chunks' progress and counts. */
export const importsTable = {
  id: 'Imports',
  envVar: 'IMPORTS_TABLE',
  partitionKey: { name: 'jobId', type: 'S' },
  globalIndexes: [],
} as const satisfies TableDefinition;

export const tables = [
  customersTable,
  customerEmailsTable,
  storesTable,
  surveysTable,
  aggregatesTable,
  casesTable,
  exportsTable,
  idempotencyTable,
  chatChannelsTable,
  benchmarksTable,
  webhookEndpointsTable,
  webhookEventsTable,
  webhookDeliveriesTable,
  importsTable,
] as const;

/**
 * Which Surveys stream records the counting function receives: those of surveys holding an answer not
 * yet counted (the write that records an answer sets `countShard`; counting removes it). The same
 * pattern is the Lambda event filter in the stack and the local stream poller's filter.
 */
export const answerChangesFilter = {
  dynamodb: { NewImage: { countShard: { S: [{ exists: true }] } } },
} as const;

/**
 * Which WebhookEvents stream records the fan-out receives: new events (an event is written once; its
 * expiry, a removal, has no new image).
 */
export const newWebhookEventsFilter = {
  dynamodb: { NewImage: { type: { S: [{ exists: true }] } } },
} as const;

/** The name of one of a table's declared indexes: a name the declaration lacks does not type-check. */
export const indexOf = <Table extends TableDefinition>(
  _table: Table,
  name: Table['globalIndexes'][number]['indexName'],
): string => name;
