import type { FunctionManifest } from '../function-manifest';
import {
  answersQueue,
  chatPostsQueue,
  exportsQueue,
  followUpsQueue,
  importChunksQueue,
  importFilesQueue,
  invitationsQueue,
  sesFeedbackQueue,
  webhooksQueue,
} from '../queues';
import {
  aggregatesTable,
  answerChangesFilter,
  casesTable,
  chatChannelsTable,
  customerEmailsTable,
  customersTable,
  exportsTable,
  idempotencyTable,
  importsTable,
  newWebhookEventsFilter,
  storesTable,
  surveysTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
  webhookEventsTable,
} from '../tables';
import { sendInvitationsMaxConcurrency } from './concurrency';

/** Powertools idempotency records (one e-mail per task, whatever the retries). */
const idempotency = {
  table: idempotencyTable,
  actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
} as const;

/** Writes webhook events into the outbox (once per event id). */
const webhookOutbox = { table: webhookEventsTable, actions: ['PutItem'] } as const;

/** Every time-driven job as of its instant: surveys due, reminders, uncounted answers, escalations, digests. */
export const tick = {
  id: 'Tick',
  handler: 'tick',
  description: 'closeloop: hourly time-driven jobs (survey scheduling, reminders)',
  trigger: { kind: 'schedule', everyMinutes: 60, locallyEveryMinutes: 1 },
  timeoutSeconds: 300,
  tables: [
    { table: customersTable, actions: ['BatchGetItem', 'UpdateItem'], indexes: ['dueForSurvey'] },
    {
      table: surveysTable,
      actions: ['BatchGetItem', 'UpdateItem'],
      indexes: ['remindersDue', 'answersToCount'],
    },
    { table: casesTable, actions: ['UpdateItem'], indexes: ['casesToEscalate'] },
    { table: storesTable, actions: ['Scan', 'UpdateItem'] },
  ],
  queues: [
    { queue: invitationsQueue, actions: ['SendMessage'] },
    { queue: answersQueue, actions: ['SendMessage'] },
    { queue: followUpsQueue, actions: ['SendMessage'] },
  ],
  settings: ['SEND_WINDOW'],
} as const satisfies FunctionManifest;

/** Renders and sends invitations and reminders through SES, exactly once per survey. */
export const sendInvitations = {
  id: 'SendInvitations',
  handler: 'send-invitations',
  description: 'closeloop: renders and sends survey invitations and reminders through SES',
  trigger: {
    kind: 'queue',
    queue: invitationsQueue,
    batchSize: 10,
    maxConcurrency: sendInvitationsMaxConcurrency,
  },
  timeoutSeconds: 30,
  tables: [
    { table: customersTable, actions: ['GetItem', 'UpdateItem'] },
    { table: storesTable, actions: ['GetItem'] },
    { table: surveysTable, actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] },
    { table: aggregatesTable, actions: ['UpdateItem'] },
    idempotency,
  ],
  // SendMessage: a send deferred for lack of SES rate goes back to the queue with a delay.
  queues: [{ queue: invitationsQueue, actions: ['SendMessage', 'ChangeMessageVisibility'] }],
  sendsMail: true,
  settings: [
    'PUBLIC_API_URL',
    'BRAND_NAME',
    'SENDER_ADDRESS',
    'SES_CONFIGURATION_SET',
    'REMINDER_AFTER_DAYS',
    'SURVEY_TTL_DAYS',
    'RETRY_BASE_SECONDS',
    'SES_RESERVED_PERCENT',
  ],
} as const satisfies FunctionManifest;

/**
 * What counting an answer touches, from the stream or from the answers queue. Named parts rather than
 * one object spread into both manifests: a spread keeps both manifests, and every table they name, in
 * each bundle that imports this module (the invitation sender does).
 */
const countingTimeoutSeconds = 30;
const countingTables = [
  { table: surveysTable, actions: ['GetItem', 'UpdateItem'] },
  // GetItem: a store's example comments per theme are read, then written on condition.
  { table: aggregatesTable, actions: ['GetItem', 'UpdateItem'] },
  { table: customersTable, actions: ['GetItem', 'UpdateItem'] },
  // GetItem: where the case of a detractor's previous survey stands (win-back).
  { table: casesTable, actions: ['GetItem'] },
  idempotency,
  // response.created and response.changed.
  webhookOutbox,
] as const;
const countingSettings = ['ANSWER_HOLD_SECONDS'] as const;

/** Counts new answers from the Surveys stream and hands detractors to follow-up. */
export const answerStream = {
  id: 'AnswerStream',
  handler: 'answer-stream',
  description: 'closeloop: counts new answers from the Surveys stream',
  trigger: {
    kind: 'stream',
    table: surveysTable,
    filter: answerChangesFilter,
    batchSize: 100,
    maxBatchingWindowSeconds: 1,
    retryAttempts: 5,
    onFailure: answersQueue,
  },
  timeoutSeconds: countingTimeoutSeconds,
  tables: countingTables,
  settings: countingSettings,
  queues: [
    { queue: followUpsQueue, actions: ['SendMessage'] },
    // Comes back when a held answer can be decided.
    { queue: answersQueue, actions: ['SendMessage'] },
  ],
} as const satisfies FunctionManifest;

/** Counts the answers the tick found uncounted (the stream's safety net). */
export const countAnswers = {
  id: 'CountAnswers',
  handler: 'count-answers',
  description: 'closeloop: counts answers the tick found uncounted',
  trigger: { kind: 'queue', queue: answersQueue, batchSize: 10, maxConcurrency: 5 },
  timeoutSeconds: countingTimeoutSeconds,
  tables: countingTables,
  settings: countingSettings,
  queues: [
    { queue: followUpsQueue, actions: ['SendMessage'] },
    { queue: answersQueue, actions: ['SendMessage', 'ChangeMessageVisibility'] },
  ],
} as const satisfies FunctionManifest;

/** Opens detractor cases, alerts store managers, notes changes, escalates, sends the daily digests. */
export const followUps = {
  id: 'FollowUps',
  handler: 'follow-ups',
  description: 'closeloop: opens detractor cases, alerts store managers, escalates overdue cases',
  trigger: { kind: 'queue', queue: followUpsQueue, batchSize: 10, maxConcurrency: 5 },
  timeoutSeconds: 30,
  tables: [
    { table: casesTable, actions: ['GetItem', 'PutItem', 'UpdateItem'], indexes: ['byStore'] },
    { table: customersTable, actions: ['GetItem'] },
    { table: storesTable, actions: ['GetItem'] },
    // UpdateItem: opening and escalating a case count in the same transaction.
    { table: aggregatesTable, actions: ['GetItem', 'UpdateItem'] },
    idempotency,
    // case.opened.
    webhookOutbox,
  ],
  queues: [
    // SendMessage: the delayed task that carries a case's coalesced update e-mail.
    { queue: followUpsQueue, actions: ['SendMessage', 'ChangeMessageVisibility'] },
    // One message per alert and digest, for the chat-posts function.
    { queue: chatPostsQueue, actions: ['SendMessage'] },
  ],
  sendsMail: true,
  settings: [
    'PUBLIC_API_URL',
    'SENDER_ADDRESS',
    'SES_CONFIGURATION_SET',
    'RETRY_BASE_SECONDS',
    'CASE_UPDATE_MAIL_SECONDS',
  ],
} as const satisfies FunctionManifest;

/** Posts alerts and digests to the Slack and Teams channels of their store, its region and the chain. */
export const chatPosts = {
  id: 'ChatPosts',
  handler: 'chat-posts',
  description: 'closeloop: posts detractor alerts and digests to Slack and Teams channels',
  // Chat webhooks take about one post a second each: few posts at a time.
  trigger: { kind: 'queue', queue: chatPostsQueue, batchSize: 10, maxConcurrency: 2 },
  // A webhook may take 10 s to answer (`createChatWebhook`); a message's channels are posted together.
  timeoutSeconds: 30,
  tables: [
    // The channels of a store, its region and the chain (`byScope`).
    { table: chatChannelsTable, actions: [], indexes: ['byScope'] },
    idempotency,
  ],
  queues: [{ queue: chatPostsQueue, actions: ['ChangeMessageVisibility'] }],
  settings: ['RETRY_BASE_SECONDS'],
} as const satisfies FunctionManifest;

/** Marks bounced and complaining customers so they are never mailed again. */
export const sesFeedback = {
  id: 'SesFeedback',
  handler: 'ses-feedback',
  description: 'closeloop: marks bounced and complaining customers so they are never mailed again',
  trigger: { kind: 'queue', queue: sesFeedbackQueue, batchSize: 10, maxConcurrency: 5 },
  tables: [
    { table: customerEmailsTable, actions: ['GetItem'] },
    { table: customersTable, actions: ['UpdateItem'] },
    // customer.unsubscribed (bounced, complained).
    webhookOutbox,
  ],
  queues: [{ queue: sesFeedbackQueue, actions: ['ChangeMessageVisibility'] }],
  settings: [],
} as const satisfies FunctionManifest;

/** Streams requested marketing segments into the exports bucket, one job at a time per batch. */
export const exportSegments = {
  id: 'ExportSegments',
  handler: 'export-segments',
  description: 'closeloop: streams requested marketing segments into the exports bucket',
  trigger: { kind: 'queue', queue: exportsQueue, batchSize: 1, maxConcurrency: 2 },
  timeoutSeconds: 900,
  memorySize: 512,
  tables: [
    { table: exportsTable, actions: ['GetItem', 'UpdateItem'] },
    { table: customersTable, actions: ['BatchGetItem'], indexes: ['segments'] },
    // consentedQuotes: the testimonials segment reads only quotes whose consent stands.
    { table: surveysTable, actions: ['Scan'], indexes: ['consentedQuotes'] },
  ],
  queues: [],
  exportFiles: 'write',
  settings: ['EXPORTS_BUCKET'],
} as const satisfies FunctionManifest;

/** Hands each new webhook event of the outbox (WebhookEvents stream) to the endpoints that want it. */
export const webhookEvents = {
  id: 'WebhookEvents',
  handler: 'webhook-events',
  description: 'closeloop: queues one delivery per webhook endpoint for each new event',
  trigger: {
    kind: 'stream',
    table: webhookEventsTable,
    filter: newWebhookEventsFilter,
    batchSize: 100,
    maxBatchingWindowSeconds: 1,
    retryAttempts: 5,
    onFailure: webhooksQueue,
  },
  tables: [{ table: webhookEndpointsTable, actions: ['Scan'] }],
  queues: [{ queue: webhooksQueue, actions: ['SendMessage'] }],
  settings: [],
} as const satisfies FunctionManifest;

/** Posts webhook events to their endpoints, signed, retried with backoff, each attempt logged. */
export const webhooks = {
  id: 'Webhooks',
  handler: 'webhooks',
  description: 'closeloop: delivers signed webhook events to their endpoints',
  trigger: { kind: 'queue', queue: webhooksQueue, batchSize: 10, maxConcurrency: 5 },
  // An endpoint may take 10 s to answer (`createWebhookSender`); a batch's deliveries go together.
  timeoutSeconds: 30,
  tables: [
    { table: webhookEndpointsTable, actions: ['GetItem'] },
    { table: webhookDeliveriesTable, actions: ['PutItem'] },
    idempotency,
  ],
  queues: [{ queue: webhooksQueue, actions: ['ChangeMessageVisibility'] }],
  settings: ['RETRY_BASE_SECONDS'],
} as const satisfies FunctionManifest;
/** Bulk import: what the chunk workers touch. */
const bulkImport = {
  tables: [
    { table: importsTable, actions: ['GetItem', 'PutItem', 'UpdateItem'] },
    // A new customer and its e-mail claim are written in one transaction.
    { table: customersTable, actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'] },
    { table: customerEmailsTable, actions: ['GetItem', 'PutItem', 'DeleteItem', 'ConditionCheckItem'] },
    { table: storesTable, actions: ['Scan'] },
  ],
  importFiles: true,
} as const;

/** Splits a CSV file dropped in the bucket's `imports/` prefix into chunks for the workers. */
export const importFiles = {
  id: 'ImportFiles',
  handler: 'import-files',
  description: 'closeloop: plans the chunks of a bulk import file and queues them',
  trigger: { kind: 'queue', queue: importFilesQueue, batchSize: 1, maxConcurrency: 2 },
  timeoutSeconds: 900,
  memorySize: 512,
  tables: [{ table: importsTable, actions: ['GetItem', 'PutItem'] }],
  importFiles: true,
  queues: [{ queue: importChunksQueue, actions: ['SendMessage'] }],
  settings: ['IMPORT_CHUNK_BYTES'],
} as const satisfies FunctionManifest;

/** Imports the chunks of bulk import files in parallel, one chunk per invocation. */
export const importChunks = {
  id: 'ImportChunks',
  handler: 'import-chunks',
  description: 'closeloop: imports one chunk of a bulk import file',
  trigger: { kind: 'queue', queue: importChunksQueue, batchSize: 1, maxConcurrency: 8 },
  timeoutSeconds: 300,
  memorySize: 1024,
  ...bulkImport,
  queues: [],
  settings: [],
} as const satisfies FunctionManifest;
