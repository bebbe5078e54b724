import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCustomerRepository } from '../adapters/customer-repository';
import { createSurveyRepository } from '../adapters/survey-repository';
import { createTaskQueue } from '../adapters/task-queue';
import { customerEmailsTable, customersTable } from '../resources/tables';
import type { ScheduleDeps } from '../use-cases/schedule-surveys';
import { tableNamesFrom } from './config';
import { readScheduleSettings } from './settings';

/** What the time-driven jobs run with; shared by the tick function, `closeloop tick` and `npm start`. */
export const scheduleDeps = (
  db: DynamoDBDocumentClient,
  sqs: SQSClient,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ScheduleDeps => {
  const settings = readScheduleSettings(env);
  return {
    customers: createCustomerRepository(
      db,
      tableNamesFrom({ customers: customersTable, customerEmails: customerEmailsTable }, env),
    ),
    surveys: createSurveyRepository(db, settings.surveysTable),
    invitations: createTaskQueue(sqs, settings.invitationsQueueUrl),
  };
};
