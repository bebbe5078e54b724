import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import pLimit from 'p-limit';
import { surveyKeyOf } from '../functions/domain/survey-link';

const CONCURRENCY = 16;

/** A survey that can be answered through the link `linkToken`, as the sender leaves it: keyed by its hash. */
export const answerableSurvey = (linkToken: string) => ({
  token: surveyKeyOf(linkToken),
  surveyId: randomBytes(12).toString('base64url'),
  customerId: `C-${surveyKeyOf(linkToken).slice(0, 8)}`,
  storeId: 'S1',
  locale: 'en',
  cycleAt: '2027-01-01T00:00:00.000Z',
  status: 'sent',
  createdAt: '2027-01-01T00:00:00.000Z',
  sentAt: '2027-01-01T00:00:00.000Z',
  expiresAt: '2099-01-01T00:00:00.000Z',
});

/** Seconds taken by `count` calls of `work`, `CONCURRENCY` at a time. */
const timed = async (count: number, work: (index: number) => Promise<unknown>) => {
  const limit = pLimit(CONCURRENCY);
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, (_, index) => limit(() => work(index))));
  return (performance.now() - started) / 1000;
};

const postEvent = (token: string, score: number): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /s/{token}',
    rawPath: `/s/${token}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    pathParameters: { token },
    requestContext: { http: { method: 'POST', path: `/s/${token}` } },
    body: JSON.stringify({ score, comment: 'Friendly staff, but the queue was long.' }),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

/**
 * Answers per second through the real survey handler (validation, read, conditional write, queueing
 * for counting) against raw PutItem per second of similar items, both at concurrency 16 on the same
 * DynamoDB Local. The two run in alternating rounds: DynamoDB Local slows down with every stream
 * record it holds, and whichever ran second would otherwise pay for the first one's records. The
 * process environment must point at the namespace's tables and queues.
 */
export const benchIngestion = async (
  db: DynamoDBDocumentClient,
  env: Record<string, string>,
  count: number,
  rounds = 6,
) => {
  const tokens = Array.from({ length: count }, () => randomBytes(16).toString('base64url'));
  const rawTokens = Array.from({ length: count }, () => randomBytes(16).toString('base64url'));
  await timed(count, (index) =>
    db.send(new PutCommand({ TableName: env.SURVEYS_TABLE, Item: answerableSurvey(tokens[index] ?? '') })),
  );
  const { handler } = (await import('../functions/handlers/survey')) as {
    handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  };

  const perRound = Math.ceil(count / rounds);
  let putSeconds = 0;
  let answerSeconds = 0;
  let failures = 0;
  const puts = (from: number) =>
    timed(Math.min(perRound, count - from), (index) =>
      db.send(
        new PutCommand({
          TableName: env.SURVEYS_TABLE,
          Item: { ...answerableSurvey(rawTokens[from + index] ?? ''), answer: { score: 7 } },
        }),
      ),
    );
  const answers = (from: number) =>
    timed(Math.min(perRound, count - from), async (index) => {
      const response = await handler(
        postEvent(tokens[from + index] ?? '', (from + index) % 11),
        {} as Context,
      );
      if (response.statusCode !== 200) failures++;
    });
  for (let round = 0; round * perRound < count; round++) {
    const from = round * perRound;
    if (round % 2 === 0) {
      putSeconds += await puts(from);
      answerSeconds += await answers(from);
    } else {
      answerSeconds += await answers(from);
      putSeconds += await puts(from);
    }
  }
  if (failures > 0) throw new Error(`${failures} answers failed`);
  const putsPerSecond = count / putSeconds;
  const answersPerSecond = count / answerSeconds;
  return { count, putsPerSecond, answersPerSecond, ratio: answersPerSecond / putsPerSecond };
};
