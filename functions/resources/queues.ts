/**
 * Every SQS queue, declared once for the CDK stack, the local runtime and the tests. Each work queue
 * has a dead-letter queue that receives a message after `maxReceiveCount` failed deliveries. A queue's
 * visibility timeout is not declared here: it follows from its consumers' timeouts
 * (`visibilityTimeoutSecondsOf` in `queue-consumers.ts`).
 */
export interface QueueDefinition {
  /** Logical id in the stack and base of the local queue name. */
  readonly id: string;
  /** Environment variable through which functions receive the queue URL. */
  readonly envVar: string;
  /** Environment variable for the dead-letter queue's URL (for tools that inspect or redrive it). */
  readonly deadLetterEnvVar: string;
  readonly maxReceiveCount: number;
  readonly retentionDays: number;
}

/** Survey invitations waiting to be rendered and sent (one message per customer due). */
export const invitationsQueue = {
  id: 'Invitations',
  envVar: 'INVITATIONS_QUEUE_URL',
  deadLetterEnvVar: 'INVITATIONS_DLQ_URL',
  maxReceiveCount: 5,
  retentionDays: 4,
} as const satisfies QueueDefinition;

/** Answers to count into the aggregates (and to hand to follow-up when they are detractors). */
export const answersQueue = {
  id: 'Answers',
  envVar: 'ANSWERS_QUEUE_URL',
  deadLetterEnvVar: 'ANSWERS_DLQ_URL',
  maxReceiveCount: 8,
  retentionDays: 4,
} as const satisfies QueueDefinition;

/** Detractor follow-up tasks for store managers. */
export const followUpsQueue = {
  id: 'FollowUps',
  envVar: 'FOLLOWUPS_QUEUE_URL',
  deadLetterEnvVar: 'FOLLOWUPS_DLQ_URL',
  maxReceiveCount: 5,
  retentionDays: 14,
} as const satisfies QueueDefinition;

/** Detractor alerts and digests to post to Slack and Teams (one message per alert or digest). */
export const chatPostsQueue = {
  id: 'ChatPosts',
  envVar: 'CHAT_POSTS_QUEUE_URL',
  deadLetterEnvVar: 'CHAT_POSTS_DLQ_URL',
  maxReceiveCount: 8,
  retentionDays: 4,
} as const satisfies QueueDefinition;

/**
 * Webhook deliveries: one message per event and endpoint, retried with backoff for about 8 hours
 * (`webhookRetryDelaySeconds`) before its dead-letter queue.
 */
export const webhooksQueue = {
  id: 'Webhooks',
  envVar: 'WEBHOOKS_QUEUE_URL',
  deadLetterEnvVar: 'WEBHOOKS_DLQ_URL',
  maxReceiveCount: 15,
  retentionDays: 4,
} as const satisfies QueueDefinition;

/** SES bounce and complaint events (from the configuration set, through SNS). */
export const sesFeedbackQueue = {
  id: 'SesFeedback',
  envVar: 'SES_FEEDBACK_QUEUE_URL',
  deadLetterEnvVar: 'SES_FEEDBACK_DLQ_URL',
  maxReceiveCount: 5,
  retentionDays: 14,
} as const satisfies QueueDefinition;

/** Segment export jobs started through the API (one message per job; a job may run for minutes). */
export const exportsQueue = {
  id: 'Exports',
  envVar: 'EXPORTS_QUEUE_URL',
  deadLetterEnvVar: 'EXPORTS_DLQ_URL',
  maxReceiveCount: 3,
  retentionDays: 4,
} as const satisfies QueueDefinition;

/** S3 notifications of CSV files dropped in the bucket's `imports/` prefix (the splitter's input). */
export const importFilesQueue = {
  id: 'ImportFiles',
  envVar: 'IMPORT_FILES_QUEUE_URL',
  deadLetterEnvVar: 'IMPORT_FILES_DLQ_URL',
  maxReceiveCount: 3,
  retentionDays: 4,
} as const satisfies QueueDefinition;

/** Byte ranges of bulk import files, one message per chunk, imported by workers in parallel. */
export const importChunksQueue = {
  id: 'ImportChunks',
  envVar: 'IMPORT_CHUNKS_QUEUE_URL',
  deadLetterEnvVar: 'IMPORT_CHUNKS_DLQ_URL',
  maxReceiveCount: 5,
  retentionDays: 4,
} as const satisfies QueueDefinition;

export const queues = [
  invitationsQueue,
  answersQueue,
  followUpsQueue,
  chatPostsQueue,
  sesFeedbackQueue,
  exportsQueue,
  webhooksQueue,
  importFilesQueue,
  importChunksQueue,
] as const;

/** The S3 bucket export files are written to; functions receive its name in this variable. */
export const exportsBucketEnvVar = 'EXPORTS_BUCKET';

/** Dead-letter queues keep failed messages for the longest retention SQS allows. */
export const deadLetterRetentionDays = 14;

export const deadLetterQueueId = (queue: QueueDefinition) => `${queue.id}DeadLetter`;
