import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { createAnswerRepository } from '../adapters/answer-repository';
import { createCaseOutcomeReader } from '../adapters/case-outcomes';
import { createCustomerRepository } from '../adapters/customer-repository';
import { documentClientFor } from '../adapters/dynamodb';
import { createOnce } from '../adapters/idempotency';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createTaskQueue } from '../adapters/task-queue';
import { createThemeExampleRepository } from '../adapters/theme-example-repository';
import { createWebhookOutbox } from '../adapters/webhook-outbox';
import { answersQueue, followUpsQueue } from '../resources/queues';
import {
  aggregatesTable,
  casesTable,
  customersTable,
  idempotencyTable,
  surveysTable,
  webhookEventsTable,
} from '../resources/tables';
import { readConfig, tableNamesFrom } from '../shared/config';
import { holdSeconds } from '../shared/settings';

/** What counting an answer needs; shared by the stream consumer and the answers queue consumer. */
export const countAnswerDeps = (
  dynamodb: DynamoDBClient,
  sqs: SQSClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
) => {
  const db = documentClientFor(dynamodb);
  const tables = tableNamesFrom(
    {
      customers: customersTable,
      surveys: surveysTable,
      aggregates: aggregatesTable,
      idempotency: idempotencyTable,
      cases: casesTable,
      webhookEvents: webhookEventsTable,
    },
    env,
  );
  const config = readConfig(
    {
      [followUpsQueue.envVar]: z.string().check(z.minLength(1)),
      [answersQueue.envVar]: z.string().check(z.minLength(1)),
      ANSWER_HOLD_SECONDS: holdSeconds(),
    },
    env,
  );
  const { once, registerContext } = createOnce(dynamodb, tables.idempotency);
  return {
    deps: {
      surveys: createSurveyRepository(db, tables.surveys),
      answers: createAnswerRepository(db, tables),
      customers: createCustomerRepository(db, tables),
      cases: createCaseOutcomeReader(db, tables.cases),
      followUps: createTaskQueue(sqs, config[followUpsQueue.envVar]),
      recheck: createTaskQueue(sqs, config[answersQueue.envVar]),
      themeExamples: createThemeExampleRepository(db, tables.aggregates),
      once,
      webhookEvents: createWebhookOutbox(db, tables.webhookEvents),
      holdSeconds: config.ANSWER_HOLD_SECONDS,
    },
    registerContext,
  };
};

/** The answers queue, for the queue consumer to postpone a failed task's retry. */
export const answersQueueOf = (
  sqs: SQSClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
) =>
  createTaskQueue(
    sqs,
    readConfig({ [answersQueue.envVar]: z.string().check(z.minLength(1)) }, env)[answersQueue.envVar],
  );
