import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createAnswerRepository } from '../adapters/answer-repository';
import { createCaseRepository } from '../adapters/case-repository';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createReminderSchedule } from '../adapters/reminder-schedule';
import { createStoreRepository } from '../adapters/store-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createTaskQueue } from '../adapters/task-queue';
import { casesTable, customersTable, storesTable, surveysTable } from '../resources/tables';
import { tableNamesFrom } from '../shared/config';
import { readScheduleSettings } from '../shared/settings';
import type { ScheduleDeps } from '../use-cases/schedule-surveys';

/** What the time-driven jobs run with; shared by the tick function, `closeloop tick` and `npm start`. */
export const scheduleDeps = (
  db: DynamoDBDocumentClient,
  sqs: SQSClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ScheduleDeps => {
  const settings = readScheduleSettings(env);
  const tables = tableNamesFrom(
    {
      customers: customersTable,
      surveys: surveysTable,
      cases: casesTable,
      stores: storesTable,
    },
    env,
  );
  return {
    customers: createCustomerRepository(db, tables),
    surveys: createSurveyRepository(db, tables.surveys),
    reminderSchedule: createReminderSchedule(db, tables.surveys),
    answers: createAnswerRepository(db, { surveys: tables.surveys }),
    cases: createCaseRepository(db, tables.cases),
    invitations: createTaskQueue(sqs, settings.invitationsQueueUrl),
    answersQueue: createTaskQueue(sqs, settings.answersQueueUrl),
    followUps: createTaskQueue(sqs, settings.followUpsQueueUrl),
    stores: createStoreRepository(db, tables.stores),
    sendWindow: settings.sendWindow,
  };
};
