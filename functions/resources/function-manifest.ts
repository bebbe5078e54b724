import type { QueueDefinition } from './queues';
import type { TableDefinition } from './tables';

/**
 * What one function uses, declared once: the CDK stack builds its grants, environment and event
 * source from it, the local runtime its pollers and schedules, and the infra tests check the handler
 * reads no setting and holds no permission beyond it.
 */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

export interface TableGrant {
  readonly table: TableDefinition;
  /** The DynamoDB actions on the table's items (a transaction needs the action of each of its parts). */
  readonly actions: readonly TableAction[];
  /** Global secondary indexes it queries (`Query` on each). */
  readonly indexes?: readonly string[];
}

export type QueueAction = 'SendMessage' | 'ChangeMessageVisibility';

export interface QueueGrant {
  readonly queue: QueueDefinition;
  readonly actions: readonly QueueAction[];
}

/** Invoked by an SQS event source mapping, with partial batch responses. */
export interface QueueTrigger {
  readonly kind: 'queue';
  readonly queue: QueueDefinition;
  readonly batchSize: number;
  /** Concurrent batches at most: protects downstream rate limits (SES, DynamoDB). */
  readonly maxConcurrency: number;
}

/** Invoked by a DynamoDB stream event source mapping, with partial batch responses. */
export interface StreamTrigger {
  readonly kind: 'stream';
  readonly table: TableDefinition;
  /** Lambda event filter pattern (the subset of EventBridge syntax the local poller implements). */
  readonly filter: Readonly<Record<string, unknown>>;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Retries of a failing batch (split in two each time) before it is given up. */
  readonly retryAttempts: number;
  /** Where a given-up batch's description goes: this queue's dead-letter queue. */
  readonly onFailure: QueueDefinition;
}

/** Invoked on a fixed rate (EventBridge in AWS, the local runtime's clock locally). */
export interface ScheduleTrigger {
  readonly kind: 'schedule';
  readonly everyMinutes: number;
  /** Locally the clock runs faster, so that a demo need not wait an hour. */
  readonly locallyEveryMinutes: number;
}

/** Invoked by API Gateway for the routes of `routes.ts` that name this handler. */
export interface HttpTrigger {
  readonly kind: 'http';
}

export type FunctionTrigger = QueueTrigger | StreamTrigger | ScheduleTrigger | HttpTrigger;

/**
 * Settings a function may read besides the names of its tables and queues (which come with their
 * grants). The stack gives each function the values of the settings it declares, and no others.
 */
export const settingNames = [
  'BRAND_NAME',
  'PUBLIC_API_URL',
  'SENDER_ADDRESS',
  'SES_CONFIGURATION_SET',
  'REVIEW_URL',
  'REMINDER_AFTER_DAYS',
  'SURVEY_TTL_DAYS',
  'RETRY_BASE_SECONDS',
  'SES_RESERVED_PERCENT',
  'CASE_UPDATE_MAIL_SECONDS',
  'EXPORTS_BUCKET',
  'ANSWER_HOLD_SECONDS',
  'OIDC_ISSUER_URL',
  'OIDC_CLIENT_ID',
  'OIDC_LOGOUT_URL',
  'SEND_WINDOW',
  'TESTIMONIAL_TARGET',
  'IMPORT_CHUNK_BYTES',
] as const;
export type SettingName = (typeof settingNames)[number];

export interface FunctionManifest {
  /** Logical id in the stack. */
  readonly id: string;
  /** File name (without `.ts`) in `functions/handlers/`. */
  readonly handler: string;
  readonly description: string;
  readonly trigger: FunctionTrigger;
  /** Seconds an invocation may run; `defaultTimeoutSeconds` when absent. */
  readonly timeoutSeconds?: number;
  readonly memorySize?: number;
  readonly tables: readonly TableGrant[];
  readonly queues: readonly QueueGrant[];
  /** Sends e-mail through SES (the stack's identity and configuration set). */
  readonly sendsMail?: boolean;
  /** Export files: `write` uploads them, `read` signs download links. */
  readonly exportFiles?: 'read' | 'write';
  /** Bulk import files in the bucket's `imports/` prefix: reads them and writes their rejects files. */
  readonly importFiles?: boolean;
  readonly settings: readonly SettingName[];
}

/** Every environment variable a function is given: its tables', its queues' and its settings. */
export const environmentOf = (manifest: FunctionManifest): readonly string[] => [
  ...manifest.tables.map(({ table }) => table.envVar),
  ...manifest.queues.map(({ queue }) => queue.envVar),
  ...manifest.settings,
];

/** A function's timeout when its manifest names none. */
export const defaultTimeoutSeconds = 10;

/** Seconds an invocation of the function may run. */
export const timeoutSecondsOf = (manifest: FunctionManifest): number =>
  manifest.timeoutSeconds ?? defaultTimeoutSeconds;
