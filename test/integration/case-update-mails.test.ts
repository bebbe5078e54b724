import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAnswerRepository } from '../../functions/adapters/answer-repository';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { createTaskQueue } from '../../functions/adapters/task-queue';
import { MAX_ANSWERS } from '../../functions/domain/answer-trust';
import { addDays } from '../../functions/domain/schedule';
import { surveyKeyOf } from '../../functions/domain/survey-link';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { answerSurvey } from '../../functions/use-cases/answer-survey';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { changesCoveredBy } from '../support/invariants';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { sentEmails } from '../support/ses-store';

/** Long enough for the whole burst to be handled inside it, short enough for the suite. */
const intervalSeconds = 15;

let stack: IsolatedStack;
let domain: string;
const manager = () => `manager.s1@${domain}`;

beforeAll(async () => {
  stack = await startIsolatedStack('case-updates', { CASE_UPDATE_MAIL_SECONDS: String(intervalSeconds) });
  domain = `${stack.namespace}.example.com`;
  await importStores(
    recordsOf([
      [...storeCsvColumns],
      ['S1', 'Lyon Part-Dieu', manager(), `region@${domain}`, 'Europe/Paris'],
    ]),
    { stores: stack.stores },
  );
  await importCustomers(
    recordsOf([[...customerCsvColumns], ['D1', `d1@${domain}`, 'Ada', 'Byron', 'S1', 'en']]),
    { customers: stack.customers, stores: stack.stores },
  );
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain();
});

afterAll(() => stack?.stop());

/** Handles the follow-up tasks visible now, leaving delayed ones (the coalesced e-mail) waiting. */
const handleVisibleFollowUps = async () => {
  while ((await stack.consumers.followUps.pollOnce(0)) > 0);
};

describe('update e-mails to the case owner', () => {
  it('sends one at the first change and one coalesced e-mail after the interval, however many changes', async () => {
    const [invitation] = await sentEmails((to) => to === `d1@${domain}`);
    const token = /\/s\/([A-Za-z0-9_-]{22})\?/.exec(invitation?.body.html ?? '')?.[1] ?? '';
    const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
    const answers = createAnswerRepository(stack.db, {
      surveys: stack.env.SURVEYS_TABLE ?? '',
      aggregates: '',
    });
    const answer = (score: number, comment: string) =>
      answerSurvey({ surveys, answers }, token, { score, comment, reasons: ['staff'], source: 'form' });
    const caseId = (await surveys.get(surveyKeyOf(token)))?.surveyId ?? '';
    const updates = async () =>
      (await sentEmails((to) => to === manager())).filter(
        (email) => email.subject.startsWith('Update from') && email.body.text?.includes(`Case: ${caseId}`),
      );

    await answer(2, 'Waited an hour');
    await stack.consumers.answerStream.drain();
    await stack.consumers.followUps.drain();

    // A burst of changes, as anyone holding the link can post (up to the survey's last of its 20
    // answers), each handed to follow-up and handled.
    const scores = Array.from({ length: MAX_ANSWERS - 1 }, (_, index) => index % 7);
    for (const [index, score] of scores.entries()) {
      await answer(score, `Change ${index + 1}`);
      await stack.consumers.answerStream.drain();
      await handleVisibleFollowUps();
    }

    const cases = createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '');
    const burst = await cases.get(caseId);
    const changes = burst?.notes.length ?? 0;
    expect(changes).toBe(scores.length);
    expect(burst).toMatchObject({ score: scores.at(-1), comment: `Change ${scores.length}` });
    const first = await updates();
    expect(first).toHaveLength(1);
    expect(burst?.updateMailDueAt).toBeDefined();

    await stack.consumers.followUps.drain(); // waits for the delayed task that carries the coalesced e-mail
    const all = await updates();
    expect(all).toHaveLength(2);
    const [, coalesced] = all.sort((a, b) => a.at - b.at);
    expect(all.map(changesCoveredBy)).toEqual([1, changes - 1]);
    expect(coalesced?.subject).toBe(
      `Update from Ada Byron (Lyon Part-Dieu): now ${scores.at(-1)}/10 after ${changes - 1} changes`,
    );
    expect(coalesced?.body.text).toContain(`Comment: Change ${scores.length}`);
    // The store's timestamps are whole seconds.
    expect((coalesced?.at ?? 0) - (first[0]?.at ?? 0)).toBeGreaterThanOrEqual(intervalSeconds - 1);
    expect(await cases.get(caseId)).toMatchObject({
      updateMailsSent: 2,
      updateMail: { seq: 2, to: changes },
    });
  });
});

describe('update e-mails under at-least-once delivery and concurrent consumers', () => {
  it('cover every change exactly once, whatever the duplicates and the interleaving', async () => {
    const caseId = `concurrent-${stack.namespace}`;
    const start = Date.now();
    const changes = Array.from({ length: 20 }, (_, index) => ({
      kind: 'answer-changed' as const,
      surveyId: caseId,
      score: index % 7,
      comment: `Change ${index + 1}`,
      reasons: [],
      answeredAt: new Date(start + index * 1000).toISOString(),
    }));
    const detractor = {
      kind: 'detractor' as const,
      surveyId: caseId,
      customerId: 'D1',
      storeId: 'S1',
      score: 1,
      reasons: [],
      answeredAt: new Date(start - 1000).toISOString(),
    };
    // Every task twice, the changes before the detractor that opens the case, interleaved.
    const tasks = [...changes, ...changes.toReversed(), detractor, detractor];
    await createTaskQueue(stack.sqs, stack.env.FOLLOWUPS_QUEUE_URL ?? '').sendAll(tasks);

    const consumer = async () => {
      for (let idle = 0; idle < 3; ) idle = (await stack.consumers.followUps.pollOnce(0)) > 0 ? 0 : idle + 1;
    };
    await Promise.all([consumer(), consumer(), consumer()]);
    const cases = createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '');
    const updates = async () =>
      (await sentEmails((to) => to === manager())).filter(
        (email) => email.subject.startsWith('Update from') && email.body.text?.includes(`Case: ${caseId}`),
      );
    // Changes still failing (the case not open yet) come back at once: let them all be noted.
    const deadline = Date.now() + 60_000;
    while (((await cases.get(caseId))?.notes.length ?? 0) < changes.length && Date.now() < deadline)
      await consumer();
    expect((await cases.get(caseId))?.notes).toHaveLength(changes.length);
    expect(await updates()).toHaveLength(1);

    await stack.consumers.followUps.drain();
    const covered = (await updates()).map(changesCoveredBy);
    expect(covered.reduce((sum, count) => sum + count, 0)).toBe(changes.length);
    expect(covered.length).toBe(covered[0] === changes.length ? 1 : 2);
    expect(await cases.get(caseId)).toMatchObject({ updateMailsSent: covered.length });
  });
});
