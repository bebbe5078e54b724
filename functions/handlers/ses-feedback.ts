import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod/mini';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createDocumentClient } from '../adapters/dynamodb';
import { createSqsClient, createTaskQueue } from '../adapters/task-queue';
import { sesFeedbackQueue } from '../resources/queues';
import { customerEmailsTable, customersTable } from '../resources/tables';
import { SesFeedbackEvent, SnsEnvelope } from '../schemas/ses-feedback';
import { readConfig, tableNamesFrom } from '../shared/config';
import { logger } from '../shared/powertools';
import { queueConsumer } from '../shared/queue-consumer';
import { applySesFeedback } from '../use-cases/contact-status';

const tables = tableNamesFrom({ customers: customersTable, customerEmails: customerEmailsTable });
const config = readConfig({ [sesFeedbackQueue.envVar]: z.string().check(z.minLength(1)) });
const deps = { customers: createCustomerRepository(createDocumentClient(), tables) };

/** SES publishes to SNS, which wraps the event in an envelope before it reaches the queue. */
const feedbackOf = (record: SQSRecord) => {
  const body: unknown = JSON.parse(record.body);
  const envelope = SnsEnvelope.safeParse(body);
  return SesFeedbackEvent.parse(envelope.success ? JSON.parse(envelope.data.Message) : body);
};

const consume = queueConsumer(
  async (record) => {
    const applied = await applySesFeedback(deps, feedbackOf(record));
    logger.info('SES feedback applied', { messageId: record.messageId, suppressed: applied.length });
  },
  { queue: createTaskQueue(createSqsClient({}), config[sesFeedbackQueue.envVar]), retryBaseSeconds: 30 },
);

/** Consumes SES bounce and complaint events: such customers are never mailed again. */
export const handler = (event: SQSEvent, context: Context) => consume(event, context);
