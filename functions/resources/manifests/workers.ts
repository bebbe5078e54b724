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
  storesTable,
  surveysTable,
} from '../tables';

/** Powertools idempotency records (one e-mail per task, whatever the retries). */
const idempotency = {
  table: idempotencyTable,
  actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
} as const;

/** Every time-driven job as of its instant: surveys due, reminders, uncounted answers, escalations, digests. */
export const tick = {
  id: 'Tick',
  handler: 'tick',
  description: 'closeloop: hourly time-driven jobs (survey scheduling, reminders)',
  trigger: { kind: 'schedule', everyMinutes: 60, locallyEveryMinutes: 1 },
  timeoutSeconds: 300,
  tables: [
    { table: customersTable, actions: ['UpdateItem'], indexes: ['dueForSurvey'] },
    { table: surveysTable, actions: ['UpdateItem'], indexes: ['remindersDue', 'answersToCount'] },
    { table: casesTable, actions: ['UpdateItem'], indexes: ['casesToEscalate'] },
    { table: storesTable, actions: ['Scan', 'UpdateItem'] },
  ],
  queues: [
    { queue: invitationsQueue, actions: ['SendMessage'] },
    { queue: answersQueue, actions: ['SendMessage'] },
    { queue: followUpsQueue, actions: ['SendMessage'] },
  ],
  settings: [],
} as const satisfies FunctionManifest;

/** Renders and sends invitations and reminders through SES, exactly once per survey. */
export const sendInvitations = {
  id: 'SendInvitations',
  handler: 'send-invitations',
  description: 'closeloop: renders and sends survey invitations and reminders through SES',
  trigger: { kind: 'queue', queue: invitationsQueue, batchSize: 10, maxConcurrency: 5 },
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

/** What counting an answer touches, from the stream or from the answers queue. */
const counting = {
  timeoutSeconds: 30,
  tables: [
    { table: surveysTable, actions: ['GetItem', 'UpdateItem'] },
    { table: aggregatesTable, actions: ['UpdateItem'] },
    { table: customersTable, actions: ['GetItem', 'UpdateItem'] },
    idempotency,
  ],
  settings: ['ANSWER_HOLD_SECONDS'],
} as const;

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
  ...counting,
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
  ...counting,
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
    { table: surveysTable, actions: ['Scan'] },
  ],
  queues: [],
  exportFiles: 'write',
  settings: ['EXPORTS_BUCKET'],
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
