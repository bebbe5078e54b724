import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { createAnswerRepository } from '../functions/adapters/answer-repository';
import { createCustomerRepository } from '../functions/adapters/customer-repository';
import { createSurveyRepository } from '../functions/adapters/survey-repository';
import { nextSurveyAfter } from '../functions/domain/schedule';
import { surveyKeyOf } from '../functions/domain/survey-link';
import {
  aggregatesTable,
  customerEmailsTable,
  customersTable,
  surveysTable,
} from '../functions/resources/tables';
import { reasonCodes } from '../functions/schemas/answer';
import { tableNamesFrom } from '../functions/shared/config';
import { answerSurvey } from '../functions/use-cases/answer-survey';
import { random } from './demo-data';

const DAY_MS = 86_400_000;

const comments = {
  promoter: ['Always friendly and quick.', 'Great advice from the staff, thank you!', 'Best store in town.'],
  passive: ['Fine, but the queue was long.', 'Good products, a bit pricey.'],
  detractor: [
    'Nobody could help me find my size.',
    'Waited 20 minutes at the till.',
    'The product broke after a week.',
  ],
} as const;

/**
 * A past half-year for the demo: four in five demo customers were surveyed 10 to 170 days ago (so the
 * six-month rule holds and their next survey is still to come), about half of them answered within a
 * few days, each store with its own mood. Written through the same repositories and answer use case as
 * the pipeline, so the local stream consumer counts the answers and opens the detractors' cases.
 */
export const seedDemoHistory = async (
  db: DynamoDBDocumentClient,
  env: Readonly<Record<string, string>>,
  customerIds: readonly { customerId: string; storeId: string; locale: string }[],
  now = new Date(),
  seed = 7,
) => {
  const next = random(seed);
  const tables = tableNamesFrom(
    {
      customers: customersTable,
      customerEmails: customerEmailsTable,
      surveys: surveysTable,
      aggregates: aggregatesTable,
    },
    env,
  );
  const surveys = createSurveyRepository(db, tables.surveys, tables);
  const customers = createCustomerRepository(db, tables);
  const answers = createAnswerRepository(db, tables);
  const limit = pLimit(8);
  let sent = 0;
  let answered = 0;
  await Promise.all(
    customerIds.map((customer, index) => {
      const surveyed = next() < 0.8;
      const sentAt = new Date(now.getTime() - (10 + next() * 160) * DAY_MS);
      const answers_ = next() < 0.5;
      const delayDays = next() * 4;
      // Each store leans its own way: store 1 delights, store 2 disappoints, the others in between.
      const storeMood = (Number(customer.storeId.slice(1)) % 5) - 2;
      const score = Math.max(0, Math.min(10, Math.round(8.3 + storeMood * 0.7 + (next() - 0.5) * 6)));
      const withComment = next() < 0.5;
      const commentIndex = Math.floor(next() * 3);
      const reason = reasonCodes[Math.floor(next() * reasonCodes.length)] ?? 'other';
      if (!surveyed) return Promise.resolve();
      return limit(async () => {
        const link = randomBytes(16).toString('base64url');
        const token = surveyKeyOf(link);
        const surveyId = `demo${index}`;
        await surveys.create({
          token,
          surveyId,
          customerId: customer.customerId,
          storeId: customer.storeId,
          locale: customer.locale,
          cycleAt: sentAt.toISOString(),
          status: 'sending',
          createdAt: sentAt.toISOString(),
          expiresAt: new Date(sentAt.getTime() + 30 * DAY_MS).toISOString(),
        });
        await surveys.markSent(token, sentAt.toISOString(), undefined, customer.storeId);
        await customers.recordSurveySent(customer.customerId, {
          surveyId,
          cycleAt: sentAt.toISOString(),
          sentAt: sentAt.toISOString(),
          nextSurveyAt: nextSurveyAfter(sentAt).toISOString(),
        });
        sent++;
        if (!answers_) return;
        const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
        const options = comments[category];
        await answerSurvey(
          { surveys, answers, clock: () => new Date(sentAt.getTime() + delayDays * DAY_MS) },
          link,
          {
            score,
            ...(withComment && { comment: options[commentIndex % options.length] }),
            reasons: [reason],
            source: 'form',
          },
        );
        answered++;
      });
    }),
  );
  return { sent, answered };
};
