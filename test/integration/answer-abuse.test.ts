import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { MAX_ANSWERS } from '../../functions/domain/answer-trust';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { MAX_COMMENT_LENGTH } from '../../functions/schemas/answer';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { sentEmails } from '../support/ses-store';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let surveys: ReturnType<typeof createSurveyRepository>;
const tokens = new Map<string, string>();

beforeAll(async () => {
  stack = await startIsolatedStack('abuse');
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
  const domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([[...storeCsvColumns], ['S1', 'Lyon', 'm@stores.example.com', '', 'Europe/Paris']]),
    { stores: stack.stores },
  );
  const ids = ['FLOOD', 'FORM', 'HIDDEN'];
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...ids.map((id) => [id, `${id.toLowerCase()}@${domain}`, 'Sam', 'Doe', 'S1', 'en']),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
  for (const email of await sentEmails((to) => to.endsWith(`@${domain}`))) {
    const token = /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email.body.html ?? '')?.[1] ?? '';
    tokens.set((email.destination.to[0] ?? '').split('@')[0]?.toUpperCase() ?? '', token);
  }
});

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

const postJson = (token: string, body: object) =>
  fetch(`${api.url}/s/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });

describe('a survey link in the hands of an abusive client', () => {
  it('keeps at most twenty answers and refuses more with 409 and a message, never a 500', async () => {
    const token = tokens.get('FLOOD') ?? '';
    const limit = pLimit(4);
    const responses = await Promise.all(
      Array.from({ length: 120 }, (_, n) =>
        limit(async () => {
          const response = await postJson(token, {
            score: n % 11,
            comment: `${n} `.padEnd(MAX_COMMENT_LENGTH, 'x'),
          });
          return { status: response.status, body: (await response.json()) as { message?: string } };
        }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(MAX_ANSWERS);
    expect(statuses.filter((status) => status === 409)).toHaveLength(120 - MAX_ANSWERS);
    const refused = responses.find((response) => response.status === 409);
    expect(refused?.body).toMatchObject({
      error: 'answer_limit_reached',
      message: expect.stringMatching(/taken 20 answers/),
    });
    expect((await surveys.get(surveyKeyOf(token)))?.answers).toHaveLength(MAX_ANSWERS);
    // A repeat of the latest answer is still a harmless double click.
    const latest = (await surveys.get(surveyKeyOf(token)))?.answers?.at(-1);
    const repeat = await postJson(token, { score: latest?.score, comment: latest?.comment });
    expect(repeat.status).toBe(200);
  });

  it('shows a page, not JSON, to a browser sending the form once the survey is full', async () => {
    const token = tokens.get('FORM') ?? '';
    for (let n = 0; n < MAX_ANSWERS; n++) expect((await postJson(token, { score: n % 11 })).status).toBe(200);

    const response = await fetch(`${api.url}/s/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'score=7&comment=one+more',
    });

    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('Your answer is already saved');
  });

  it('notes a fetch of the hidden link and shows a neutral page; an unknown one is a 404', async () => {
    const token = tokens.get('HIDDEN') ?? '';

    const response = await fetch(`${api.url}/s/${token}/about`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('tap a number in the e-mail');
    expect((await surveys.get(surveyKeyOf(token)))?.honeypotAt).toBeDefined();
    expect((await fetch(`${api.url}/s/${'x'.repeat(22)}/about`)).status).toBe(404);
  });
});
