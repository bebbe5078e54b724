import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAnswerRepository } from '../../functions/adapters/answer-repository';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { createChatChannelRepository } from '../../functions/adapters/chat-channel-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { createTaskQueue } from '../../functions/adapters/task-queue';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import type { FollowUpTask } from '../../functions/schemas/answer';
import type { ChatPostRequest } from '../../functions/schemas/chat';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { answerSurvey } from '../../functions/use-cases/answer-survey';
import { addChatChannel } from '../../functions/use-cases/chat-alerts';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { pipelineEmails, sentEmails } from '../support/ses-store';
import { signInAs } from '../support/staff';
import { syncStaffAccounts } from '../support/staff-bindings';

let stack: IsolatedStack;
let domain: string;
const managerOf = (store: string) => `manager.${store.toLowerCase()}@${domain}`;
const regionalManager = () => `region@${domain}`;

const tokenFor = async (customer: string) => {
  const [email] = await sentEmails((to) => to === `${customer.toLowerCase()}@${domain}`);
  return /\/s\/([A-Za-z0-9_-]{22})\?/.exec(email?.body.html ?? '')?.[1] ?? '';
};

beforeAll(async () => {
  stack = await startIsolatedStack('follow-ups');
  domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon Part-Dieu', managerOf('S1'), regionalManager(), 'Europe/Paris'],
      // Posts its alerts to chat as well (the last describe).
      ['S3', 'Nantes', managerOf('S3'), regionalManager(), 'Europe/Paris'],
    ]),
    { stores: stack.stores },
  );
  await syncStaffAccounts(stack.stores);
  await importCustomers(
    recordsOf([
      [...customerCsvColumns],
      ...['D1', 'D2', 'P1'].map((id) => [id, `${id.toLowerCase()}@${domain}`, 'Ada', 'Byron', 'S1', 'en']),
      ...['C1', 'C2'].map((id) => [id, `${id.toLowerCase()}@${domain}`, 'Grace', 'Hopper', 'S3', 'en']),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
});

afterAll(() => stack?.stop());

describe('detractor follow-up', () => {
  const cases = () => createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '');
  const surveys = () => createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
  const answer = async (customer: string, score: number, comment?: string) => {
    const answers = createAnswerRepository(stack.db, {
      surveys: stack.env.SURVEYS_TABLE ?? '',
      aggregates: '',
    });
    await answerSurvey({ surveys: surveys(), answers }, await tokenFor(customer), {
      score,
      comment,
      reasons: ['staff'],
      source: 'form',
    });
    await stack.consumers.answerStream.drain();
    await stack.consumers.followUps.drain();
  };

  it('opens a case for a detractor and alerts the store manager at once, with the comment escaped', async () => {
    await answer('D1', 3, 'Nobody <b>helped</b> & the queue was long');
    const surveyId = (await surveys().get(surveyKeyOf(await tokenFor('D1'))))?.surveyId ?? '';
    const caseRecord = await cases().get(surveyId);
    expect(caseRecord).toMatchObject({
      status: 'open',
      score: 3,
      owner: managerOf('S1'),
      ownerRole: 'store-manager',
      customer: { name: 'Ada Byron', email: `d1@${domain}` },
      reasons: ['staff'],
    });
    expect(
      new Date(caseRecord?.dueAt ?? '').getTime() - new Date(caseRecord?.answeredAt ?? '').getTime(),
    ).toBe(86_400_000);
    const [alert, ...more] = (await sentEmails((to) => to === managerOf('S1'))).filter((email) =>
      email.subject.startsWith('Detractor at'),
    );
    expect(more).toEqual([]);
    expect(alert?.subject).toContain('gave 3/10');
    expect(alert?.body.html).toContain('Nobody &lt;b&gt;helped&lt;/b&gt; &amp; the queue was long');
    expect(alert?.body.text).toContain(`E-mail: d1@${domain}`);
  });

  it('opens nothing for a promoter', async () => {
    await answer('P1', 10);
    const surveyId = (await surveys().get(surveyKeyOf(await tokenFor('P1'))))?.surveyId ?? '';
    expect(await cases().get(surveyId)).toBeUndefined();
  });

  it('turns duplicate and out-of-order deliveries into one case, one alert and one note', async () => {
    const token = await tokenFor('D2');
    const survey = await surveys().get(surveyKeyOf(token));
    const answeredAt = new Date().toISOString();
    const detractor: FollowUpTask = {
      kind: 'detractor',
      surveyId: survey?.surveyId ?? '',
      customerId: 'D2',
      storeId: 'S1',
      score: 2,
      reasons: [],
      answeredAt,
    };
    const changed: FollowUpTask = {
      kind: 'answer-changed',
      surveyId: survey?.surveyId ?? '',
      score: 8,
      reasons: [],
      answeredAt: addDays(new Date(), 0.01).toISOString(),
    };
    const alerts = async () =>
      (await sentEmails((to) => to === managerOf('S1'))).filter((email) =>
        email.subject.startsWith('Detractor at'),
      );
    const alertsBefore = (await alerts()).length;
    await createTaskQueue(stack.sqs, stack.env.FOLLOWUPS_QUEUE_URL ?? '').sendAll([
      changed,
      detractor,
      detractor,
      changed,
    ]);
    await stack.consumers.followUps.drain();

    const caseRecord = await cases().get(survey?.surveyId ?? '');
    expect(caseRecord?.notes.map((note) => note.text)).toEqual(['The customer changed the answer to 8/10.']);
    expect((await alerts()).length).toBe(alertsBefore + 1);
    expect((await cases().list('S1')).filter((listed) => listed.caseId === survey?.surveyId)).toHaveLength(1);
  });

  it('escalates an untouched case to the regional manager once, after 24 hours', async () => {
    const opened = await cases().list('S1');
    expect(opened.length).toBeGreaterThanOrEqual(2);
    const before = await runTick(stack.schedule, new Date(Date.now() + 23 * 3_600_000));
    expect(before.escalations).toBe(0);

    const after = await runTick(stack.schedule, new Date(Date.now() + 25 * 3_600_000));
    expect(after.escalations).toBe(opened.length);
    await stack.consumers.followUps.drain();
    const again = await runTick(stack.schedule, new Date(Date.now() + 48 * 3_600_000));
    expect(again.escalations).toBe(0);
    await stack.consumers.followUps.drain();

    const escalations = await pipelineEmails((to) => to === regionalManager());
    expect(escalations).toHaveLength(opened.length);
    expect(
      escalations.every((email) => email.subject.startsWith('Overdue follow-up at Lyon Part-Dieu')),
    ).toBe(true);
    for (const caseRecord of await cases().list('S1')) {
      expect(caseRecord).toMatchObject({ status: 'open', escalatedTo: regionalManager() });
    }
  });

  it('sends each store manager one daily digest with the open cases, and nothing to a store with nothing to say', async () => {
    // After the first wave's tick (30 days ahead), which claimed that day's digest already.
    // Noon UTC, after 8:00 in the stores' zone whatever the hour the suite runs at.
    const now = new Date(`${addDays(new Date(), 31).toISOString().slice(0, 10)}T12:00:00.000Z`);
    const digestsBefore = (await sentEmails((to) => to === managerOf('S1'))).filter((email) =>
      email.subject.includes('daily NPS digest'),
    );
    const first = await runTick(stack.schedule, now);
    await stack.consumers.followUps.drain();
    const second = await runTick(stack.schedule, now);
    await stack.consumers.followUps.drain();
    expect(first.digests).toBeGreaterThanOrEqual(1);
    expect(second.digests).toBe(0);

    const digests = (await sentEmails((to) => to === managerOf('S1'))).filter((email) =>
      email.subject.includes('daily NPS digest'),
    );
    const latest = digests.slice(digestsBefore.length);
    expect(latest).toHaveLength(1);
    expect(latest[0]?.body.text).toMatch(/open follow-up cases?:/);
    expect(latest[0]?.body.html).toContain('Nobody &lt;b&gt;helped&lt;/b&gt;');
    expect(await pipelineEmails((to) => to === managerOf('S2'))).toEqual([]);
  });
});

describe('manager API', () => {
  let api: Awaited<ReturnType<typeof startApiServer>>;
  beforeAll(async () => {
    api = await startApiServer({ port: 0 });
  });
  afterAll(() => api?.stop());

  const call = async (path: string, email?: string, init: RequestInit = {}) => {
    const bearer = email ? (await signInAs(email)).bearer : undefined;
    return fetch(`${api.url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(bearer && { authorization: bearer }) },
    });
  };

  it('refuses a request without a valid token', async () => {
    expect((await call('/m/cases')).status).toBe(401);
    const forged = await fetch(`${api.url}/m/cases`, {
      headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
    });
    expect(forged.status).toBe(401);
  });

  it('lists only the manager’s own store’s cases, overdue ones flagged', async () => {
    const response = await call('/m/cases', managerOf('S1'));
    expect(response.status).toBe(200);
    const { cases } = (await response.json()) as { cases: { storeId: string; overdue: boolean }[] };
    expect(cases.length).toBeGreaterThanOrEqual(2);
    expect(cases.every((listed) => listed.storeId === 'S1')).toBe(true);
    const other = (await (await call('/m/cases', managerOf('S2'))).json()) as { cases: unknown[] };
    expect(other.cases).toEqual([]);
  });

  it('answers 403 to another store’s manager, who changes nothing', async () => {
    const [first] = (await createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '').list('S1')) ?? [];
    const path = `/m/cases/${first?.caseId}`;
    expect((await call(path, managerOf('S2'))).status).toBe(403);
    const attempt = await call(`${path}/close`, managerOf('S2'), {
      method: 'POST',
      body: JSON.stringify({ resolution: 'apology', requestId: 'foreign-close-1' }),
    });
    expect(attempt.status).toBe(403);
    expect(
      (await createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '').get(first?.caseId ?? ''))?.status,
    ).toBe('open');
  });

  it('lets the manager record the call and close the case, and refuses what makes no sense', async () => {
    const cases = createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '');
    const [first] = await cases.list('S1');
    const path = `/m/cases/${first?.caseId}`;
    const post = (action: string, body: string) =>
      call(`${path}/${action}`, managerOf('S1'), { method: 'POST', body });
    const called = await post(
      'calls',
      JSON.stringify({
        outcome: 'reached',
        note: 'Called, apologised, offered a voucher.',
        requestId: 'call-0001',
      }),
    );
    expect(called.status).toBe(200);
    const stored = await cases.get(first?.caseId ?? '');
    expect(stored?.status).toBe('contacted');
    expect(stored?.calls.at(-1)).toMatchObject({
      by: managerOf('S1'),
      outcome: 'reached',
      note: 'Called, apologised, offered a voucher.',
    });
    expect(stored?.firstContactAt).toBeDefined();
    expect(stored?.escalationShard).toBeUndefined();

    const refused = await post('calls', '{"outcome":"busy"}');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      message: 'The call is not valid.',
      issues: [
        'outcome: must be one of reached, voicemail, no-answer',
        'requestId: is required: a random key, the same when the request is sent again (e.g. a UUID)',
      ],
    });
    expect((await post('calls', 'not json')).status).toBe(400);
    expect((await post('close', '{"resolution":"other","requestId":"close-0001"}')).status).toBe(400);
    expect((await post('close', '{"resolution":"fix","requestId":"close-0001"}')).status).toBe(200);
    const again = await post('close', '{"resolution":"apology","requestId":"close-0002"}');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(
      /^This case is already closed \(fix, /,
    );
    expect((await call('/m/cases/nope', managerOf('S1'))).status).toBe(404);
  });
});

describe('chat alerts', () => {
  /** A local stand-in for Slack and Teams: records every post by path, fails the next ones when told. */
  const received: { path: string; status: number; body: unknown }[] = [];
  const failNext = new Map<string, number>();
  const receiver = createServer(async (request: IncomingMessage, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const path = request.url ?? '';
    const failures = failNext.get(path) ?? 0;
    const status = failures > 0 ? 500 : 200;
    failNext.set(path, Math.max(0, failures - 1));
    received.push({ path, status, body: JSON.parse(text) });
    response.writeHead(status).end(status === 200 ? 'ok' : 'busy');
  });
  const delivered = (path: string) =>
    received.filter((post) => post.path === path && post.status === 200).map((post) => post.body);

  const answer = async (customer: string, score: number, comment: string) => {
    const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
    const answers = createAnswerRepository(stack.db, {
      surveys: stack.env.SURVEYS_TABLE ?? '',
      aggregates: '',
    });
    await answerSurvey({ surveys, answers }, await tokenFor(customer), {
      score,
      comment,
      reasons: [],
      source: 'form',
    });
    await stack.consumers.answerStream.drain();
    await stack.consumers.followUps.drain();
    await stack.consumers.chatPosts.drain();
    return (await surveys.get(surveyKeyOf(await tokenFor(customer))))?.surveyId ?? '';
  };

  beforeAll(async () => {
    // The alerts and digests of the tests above, posted before any channel exists: to nobody.
    await stack.consumers.chatPosts.drain();
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const deps = {
      channels: createChatChannelRepository(stack.db, stack.env.CHAT_CHANNELS_TABLE ?? ''),
      stores: stack.stores,
    };
    for (const [scope, kind, path] of [
      [{ kind: 'store', storeId: 'S3' }, 'slack', '/slack'],
      [{ kind: 'chain' }, 'teams', '/teams'],
    ] as const)
      await addChatChannel(
        deps,
        { scope, kind, url: `${base}${path}`, events: ['alerts'] },
        { allowLoopbackHttp: true },
      );
  });
  afterAll(() => new Promise((resolve) => receiver.close(resolve)));

  it('posts a detractor once to the store’s Slack and once to the chain’s Teams, and a redelivery posts nothing more', async () => {
    const caseId = await answer('C1', 2, 'Rude <!channel> @here *staff*');
    expect(delivered('/slack')).toHaveLength(1);
    expect(delivered('/teams')).toHaveLength(1);
    const slack = JSON.stringify(delivered('/slack')[0]);
    expect(slack).toContain('Rude &lt;!channel&gt; @here *staff*');
    expect(slack).toContain('Grace');
    expect(slack).not.toContain(`c1@${domain}`);
    expect(slack).toContain(`https://surveys.example.test/m?case=${caseId}`);
    expect(JSON.stringify(delivered('/teams')[0])).toContain('"text":"Rude <!channel> @here *staff*"');

    const detractor: FollowUpTask = {
      kind: 'detractor',
      surveyId: caseId,
      customerId: 'C1',
      storeId: 'S3',
      score: 2,
      reasons: [],
      answeredAt: new Date().toISOString(),
    };
    const chatPost: ChatPostRequest = {
      event: 'alert',
      storeId: 'S3',
      caseId,
      message: {
        storeName: 'Nantes',
        score: 2,
        reasons: [],
        dueAt: new Date().toISOString(),
        caseUrl: `https://surveys.example.test/m?case=${caseId}`,
        language: 'en',
        timeZone: 'Europe/Paris',
      },
    };
    await createTaskQueue(stack.sqs, stack.env.FOLLOWUPS_QUEUE_URL ?? '').sendAll([detractor]);
    await createTaskQueue(stack.sqs, stack.env.CHAT_POSTS_QUEUE_URL ?? '').sendAll([chatPost]);
    await stack.consumers.followUps.drain();
    await stack.consumers.chatPosts.drain();
    expect(received).toHaveLength(2);
  });

  it('retries a webhook that fails twice with 500 and posts once, the e-mail sent all the same', async () => {
    const before = received.length;
    failNext.set('/slack', 2);
    await answer('C2', 1, 'Cold coffee');
    const slackPosts = received.slice(before).filter((post) => post.path === '/slack');
    const teamsPosts = received.slice(before).filter((post) => post.path === '/teams');
    // Slack's first two tries failed and its third was taken; Teams took its one post at once.
    expect(slackPosts.map((post) => post.status)).toEqual([500, 500, 200]);
    expect(teamsPosts.map((post) => post.status)).toEqual([200]);
    expect(
      (await sentEmails((to) => to === managerOf('S3'))).filter((email) =>
        email.subject.startsWith('Detractor at'),
      ),
    ).toHaveLength(2);
  });
});
