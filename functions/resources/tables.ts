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
 * Surveys sent, keyed by their secret link token. `remindersDue` is sparse like `dueForSurvey`: a survey
 * carries `reminderShard` only while its one reminder is still to be sent.
 */
export const surveysTable = {
  id: 'Surveys',
  envVar: 'SURVEYS_TABLE',
  partitionKey: { name: 'token', type: 'S' },
  globalIndexes: [
    {
      indexName: 'remindersDue',
      partitionKey: { name: 'reminderShard', type: 'S' },
      sortKey: { name: 'reminderDueAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
  ],
} as const satisfies TableDefinition;

/** Powertools idempotency records: guarantees an e-mail is sent once per task, whatever the retries. */
export const idempotencyTable = {
  id: 'Idempotency',
  envVar: 'IDEMPOTENCY_TABLE',
  partitionKey: { name: 'id', type: 'S' },
  globalIndexes: [],
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDefinition;

export const tables = [
  customersTable,
  customerEmailsTable,
  storesTable,
  surveysTable,
  idempotencyTable,
] as const;

export type TableId = (typeof tables)[number]['id'];
