import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createAnswerRepository } from '../../functions/adapters/answer-repository';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { createSurveyRepository } from '../../functions/adapters/survey-repository';
import { ConflictError, NotFoundError } from '../../functions/domain/errors';
import { addDays } from '../../functions/domain/schedule';
import { tables } from '../../functions/resources/tables';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { answerSurvey } from '../../functions/use-cases/answer-survey';
import {
  type CustomerPrivacyDeps,
  eraseCustomer,
  exportCustomerData,
} from '../../functions/use-cases/customer-privacy';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { closeCase, recordCall } from '../../functions/use-cases/manage-cases';
import { runTick } from '../../functions/use-cases/schedule-surveys';
import { listTestimonials } from '../../functions/use-cases/testimonials';
import { customerPrivacyDeps } from '../../functions/wiring/customer-erasure';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { runCli } from '../support/local-stack';
import { sentEmails } from '../support/ses-store';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let stateFile: string;
let domain: string;
let deps: CustomerPrivacyDeps;

const manager = () => `manager.s1@${domain}`;
const managerAccount = 'manager-s1-account';
/** Everything personal about each customer, as it should never appear in any table after the erasure. */
const person = (id: string, firstName: string, lastName: string, city: string) => ({
  id,
  firstName,
  lastName,
  city,
  email: () => `${id}@${domain}`,
});
const ada = person('privacy-ada', 'Adaline', 'Featherstonehaugh', 'Knaresborough');
const bob = person('privacy-bob', 'Bartholomew', 'Quickswood', 'Ravenglass');
const zoe = person('privacy-zoe', 'Zenobia', 'Wolstenholme', 'Portmeirion');
const win = person('privacy-win', 'Winifred', 'Ollerenshaw', 'Mousehole');
const adaComplaint = 'The till queue at the Featherstone branch took forty minutes';
const adaPraise = 'Loved the sourdough from the new bakery counter';
const adaNote = 'Phoned Adaline at home, offered a voucher';
const adaResolution = 'Adaline took the voucher for her Harrogate visit';
const adaPhone = '+44 1423 555 0199';
const zoeComplaint = 'Zenobia found the fitting rooms locked all afternoon';
const winComplaint = 'Winifred was charged twice for one parcel';

/** Link tokens of the surveys mailed to an address, oldest first. */
const tokensOf = async (email: string) => {
  const mails = (await sentEmails((to) => to === email)).sort((a, b) => a.at - b.at);
  const tokens = mails.map((mail) => /\/s\/([A-Za-z0-9_-]{22})\?/.exec(mail.body.html ?? '')?.[1] ?? '');
  return [...new Set(tokens)];
};

const answer = async (email: string, survey: number, score: number, comment: string) => {
  const surveys = createSurveyRepository(stack.db, stack.env.SURVEYS_TABLE ?? '');
  const answers = createAnswerRepository(stack.db, {
    surveys: stack.env.SURVEYS_TABLE ?? '',
    aggregates: '',
  });
  const token = (await tokensOf(email))[survey] ?? '';
  await answerSurvey({ surveys, answers }, token, { score, comment, reasons: ['staff'], source: 'form' });
  return token;
};

/** Lets the pipeline finish with every answer: counting, then the follow-up cases and e-mails. */
const settle = async () => {
  await stack.consumers.answerStream.drain(60_000);
  await stack.consumers.followUps.drain(60_000);
};

/** Every item of one table, in key order, as JSON (DynamoDB sets as arrays). */
const dump = async (tableName: string) => {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const json = items.map((item) =>
    JSON.stringify(item, (_key, value: unknown) => (value instanceof Set ? [...value].sort() : value)),
  );
  return json.sort().join('\n');
};

/** Every item of every table of this stack, table by table. */
const everything = async () => {
  const dumps: string[] = [];
  for (const table of tables) {
    const tableName = stack.env[table.envVar];
    expect(tableName, `${table.envVar} of the isolated stack`).toBeDefined();
    dumps.push(`${table.id}:\n${await dump(tableName ?? '')}`);
  }
  return dumps.join('\n\n');
};

/** The aggregates' counts: every item without its example comments per theme, which an erasure removes. */
const aggregates = async () =>
  (await dump(stack.env.AGGREGATES_TABLE ?? ''))
    .split('\n')
    .map((line) => {
      const { themeExamples: _examples, themeExamplesVersion: _version, ...counts } = JSON.parse(line);
      return JSON.stringify(counts);
    })
    .sort()
    .join('\n');

/** What is stored about someone, without the instant of the export. */
const storedAbout = async (customerId: string) => {
  const { exportedAt: _, ...data } = await exportCustomerData(deps, customerId);
  return data;
};

const cli = (args: readonly string[]) => runCli(args, { stateFile });

beforeAll(async () => {
  stack = await startIsolatedStack('privacy');
  api = await startApiServer({ port: 0 });
  domain = `${stack.namespace}.example.com`;
  // The production wiring of the erasure API and `closeloop customer`, on the isolated stack's tables.
  deps = customerPrivacyDeps(stack.db, stack.env);
  await importStores(
    recordsOf([[...storeCsvColumns], ['S1', 'Harrogate', manager(), `region@${domain}`, 'Europe/London']]),
    { stores: stack.stores },
  );
  await stack.stores.bindAccount('S1', 'manager', { sub: managerAccount, email: manager() });
  await importCustomers(
    recordsOf([
      [...customerCsvColumns, 'city', 'phone'],
      ...[ada, bob, zoe, win].map((who) => [
        who.id,
        who.email(),
        who.firstName,
        who.lastName,
        'S1',
        'en-GB',
        who.city,
        who === ada ? adaPhone : '',
      ]),
    ]),
    { customers: stack.customers, stores: stack.stores },
  );

  // First survey: Ada is a detractor with a comment, whose case gets a manager's note; Bob and Zoe
  // are detractors too. Second survey, seven months on: Ada is a promoter with a comment.
  await runTick(stack.schedule, addDays(new Date(), 30));
  await stack.consumers.invitations.drain(60_000);
  await answer(ada.email(), 0, 3, adaComplaint);
  await answer(bob.email(), 0, 2, 'Bartholomew could not find the returns desk');
  await answer(zoe.email(), 0, 1, zoeComplaint);
  await settle();
  const adaCase = (await createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '').list('S1')).find(
    (caseRecord) => caseRecord.customerId === ada.id,
  );
  const managing = {
    cases: createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '', stack.env.AGGREGATES_TABLE),
    stores: stack.stores,
  };
  const access = {
    kind: 'stores',
    user: manager(),
    sub: managerAccount,
    storeIds: new Set(['S1']),
  } as const;
  await recordCall(managing, access, adaCase?.caseId ?? '', {
    outcome: 'reached',
    note: adaNote,
    requestId: 'privacy-call-1',
  });
  await closeCase(managing, access, adaCase?.caseId ?? '', {
    resolution: 'other',
    note: adaResolution,
    requestId: 'privacy-close-1',
  });
  await runTick(stack.schedule, addDays(new Date(), 30 + 7 * 31));
  await stack.consumers.invitations.drain(60_000);
  await stack.consumers.followUps.drain(60_000);
  await answer(ada.email(), 1, 10, adaPraise);
  await settle();

  // The CLI, run as a user would, against this file's own tables.
  stateFile = stack.writeCliState();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('closeloop customer export', () => {
  it('prints the profile, both surveys with their comments, the case and its note, and no link token', async () => {
    const result = await cli(['customer', 'export', ada.id]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);

    expect(data.customer).toMatchObject({
      customerId: ada.id,
      email: ada.email(),
      firstName: ada.firstName,
      lastName: ada.lastName,
      attributes: { city: ada.city },
      latestScore: 10,
    });
    expect(data.emailClaim).toMatchObject({ email: ada.email(), customerId: ada.id });
    expect(data.surveys.map((survey: { answer: unknown }) => survey.answer)).toEqual([
      expect.objectContaining({ score: 3, comment: adaComplaint }),
      expect.objectContaining({ score: 10, comment: adaPraise }),
    ]);
    expect(data.cases).toHaveLength(1);
    expect(data.cases[0]).toMatchObject({
      comment: adaComplaint,
      customer: { name: `${ada.firstName} ${ada.lastName}`, email: ada.email(), phone: adaPhone },
      calls: [expect.objectContaining({ by: manager(), outcome: 'reached', note: adaNote })],
      resolution: { kind: 'other', by: manager(), note: adaResolution },
    });
    const adaTokens = await tokensOf(ada.email());
    expect(adaTokens).toHaveLength(2);
    for (const token of adaTokens) expect(result.stdout).not.toContain(token);
    expect(data.notes.join(' ')).toContain('link tokens are left out');
  });

  it('says so, and exits 1, for an id nothing is stored under', async () => {
    const result = await cli(['customer', 'export', 'privacy-nobody']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('closeloop: no customer "privacy-nobody": nothing is stored under this id.\n');
  });
});

describe('closeloop customer erase', () => {
  it('refuses to erase without --yes when not run from a terminal', async () => {
    const before = await storedAbout(ada.id);
    const result = await cli(['customer', 'erase', ada.id]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`refusing to erase customer ${ada.id} without --yes`);
    expect(await storedAbout(ada.id)).toEqual(before);
  });

  it('explains itself in --help', async () => {
    const result = await cli(['customer', 'erase', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--yes');
    expect(result.stdout).toContain('Scores stay in the aggregates');
  });

  it('removes the customer everywhere; the aggregates’ counts and the other customers stay byte for byte', async () => {
    const aggregatesBefore = await aggregates();
    const bobBefore = await storedAbout(bob.id);
    const adaTokens = await tokensOf(ada.email());
    expect(adaTokens).toHaveLength(2);
    const adaStrings = [
      ada.id,
      ada.email(),
      ada.firstName,
      ada.lastName,
      ada.city,
      adaComplaint,
      adaPraise,
      adaNote,
      adaResolution,
      adaPhone,
    ];
    // The scan below sees all of it before the erasure, so its absence after means something.
    const storedBefore = await everything();
    for (const text of adaStrings) expect(storedBefore, text).toContain(text);

    const result = await cli(['customer', 'erase', ada.id, '--yes']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Erased customer ${ada.id}: 2 surveys and 1 case anonymised (their scores stay in the aggregates); ` +
        'customer record and e-mail claim deleted.\n',
    );

    await expect(exportCustomerData(deps, ada.id)).rejects.toThrow(NotFoundError);
    const stored = await everything();
    for (const text of adaStrings) expect(stored, text).not.toContain(text);
    expect(await aggregates()).toBe(aggregatesBefore);
    expect(await storedAbout(bob.id)).toEqual(bobBefore);
    const testimonials = await listTestimonials({
      answers: createAnswerRepository(stack.db, { surveys: stack.env.SURVEYS_TABLE ?? '', aggregates: '' }),
      customers: stack.customers,
    });
    expect(testimonials.filter((candidate) => candidate.customerId === 'erased')).toEqual([]);

    // The links are closed: the page and an answer both say so.
    for (const token of adaTokens) {
      expect((await fetch(`${api.url}/s/${token}?score=9`)).status).toBe(410);
      const posted = await fetch(`${api.url}/s/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ score: 9, comment: 'back again' }),
      });
      expect(posted.status).toBe(410);
    }
    await settle();
    expect(await everything()).toBe(stored);
  });

  it('changes nothing when run again, and says there is no such customer', async () => {
    const before = await everything();
    expect(await eraseCustomer(deps, ada.id, { now: new Date() })).toEqual({
      surveys: 0,
      cases: 0,
      customer: 'absent',
    });
    const result = await cli(['customer', 'erase', ada.id, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no customer "${ada.id}"`);
    expect(await everything()).toBe(before);
  });

  it('finishes, when run again, an erasure that crashed after the surveys, before the customer was deleted', async () => {
    const crashing: CustomerPrivacyDeps = {
      ...deps,
      customers: {
        ...deps.customers,
        deleteWithClaim: async () => {
          throw new Error('Task timed out after 30.00 seconds');
        },
      },
    };
    await expect(eraseCustomer(crashing, zoe.id, { now: new Date() })).rejects.toThrow('Task timed out');
    const halfway = await storedAbout(zoe.id);
    expect(halfway.surveys).toEqual([]);
    expect(halfway.customer).toMatchObject({ email: zoe.email(), contactStatus: 'unsubscribed' });
    expect(halfway.cases).toEqual([
      expect.objectContaining({ customerId: 'erased', customer: expect.objectContaining({ email: '' }) }),
    ]);
    expect(JSON.stringify(halfway.cases)).not.toContain(zoeComplaint);

    const result = await cli(['customer', 'erase', zoe.id, '--yes']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 surveys and 0 cases anonymised');
    expect(result.stdout).toContain('customer record and e-mail claim deleted');
    const stored = await everything();
    for (const text of [zoe.id, zoe.email(), zoe.firstName, zoe.lastName, zoe.city, zoeComplaint]) {
      expect(stored, text).not.toContain(text);
    }
  });

  it('waits for an answer still on its way through the pipeline, then erases it and its case', async () => {
    const aggregatesBefore = await aggregates();
    await answer(win.email(), 0, 0, winComplaint);

    const refused = eraseCustomer(deps, win.id, { now: new Date() });
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(/its answer is not counted yet/);
    // Nothing erased, but both of Winifred's links are closed.
    const waiting = await storedAbout(win.id);
    expect(waiting.surveys).toHaveLength(2);
    expect(waiting.surveys).toContainEqual(
      expect.objectContaining({ answers: [expect.objectContaining({ comment: winComplaint })] }),
    );
    const winTokens = await tokensOf(win.email());
    expect(winTokens).toHaveLength(2);
    for (const token of winTokens) {
      expect((await fetch(`${api.url}/s/${token}?score=9`)).status).toBe(410);
    }

    await settle();
    expect((await storedAbout(win.id)).cases).toEqual([expect.objectContaining({ comment: winComplaint })]);
    expect(await eraseCustomer(deps, win.id, { now: new Date() })).toEqual({
      surveys: 2,
      cases: 1,
      customer: 'deleted',
    });
    const stored = await everything();
    for (const text of [win.id, win.email(), win.firstName, win.lastName, win.city, winComplaint]) {
      expect(stored, text).not.toContain(text);
    }
    // Counted once, before the erasure, and never again.
    expect(await aggregates()).not.toBe(aggregatesBefore);
    const counted = await aggregates();
    await settle();
    expect(await aggregates()).toBe(counted);
  });
});
