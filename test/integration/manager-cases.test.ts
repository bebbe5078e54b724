import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsOf } from '../../cli/csv-files';
import { createCaseRepository } from '../../functions/adapters/case-repository';
import { statusDueOf } from '../../functions/domain/follow-up';
import type { CaseStatus } from '../../functions/schemas/case';
import type { FollowUpReport } from '../../functions/schemas/report';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importStores } from '../../functions/use-cases/import-stores';
import { startApiServer } from '../../local/api-server';
import { anOpenCase } from '../support/in-memory-cases';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { signInAs } from '../support/staff';
import { syncStaffAccounts } from '../support/staff-bindings';

let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;
let domain: string;
const managerOf = (store: string) => `manager.${store.toLowerCase()}@${domain}`;
const region = () => `region@${domain}`;

interface Listed {
  cases: { caseId: string; storeId: string; status: string; overdue: boolean; timezone: string }[];
  nextCursor?: string;
  language: string;
  stores: { storeId: string }[];
}

/** 23 cases over two stores: due times spread over days (some shared), statuses mixed. */
const seeded: { caseId: string; storeId: string; dueAt: string; status: CaseStatus }[] = Array.from(
  { length: 23 },
  (_, index) => ({
    caseId: `case-${String(index).padStart(2, '0')}`,
    storeId: index % 3 === 0 ? 'S2' : 'S1',
    // Pairs share a due time, so pages must break ties by case id.
    dueAt: new Date(Date.UTC(2026, 10, 1 + Math.floor(index / 2), 9)).toISOString(),
    status: (['open', 'open', 'contacted', 'closed'] as const)[index % 4] ?? 'open',
  }),
);

/** Each manager signs in once, through the provider's form, and keeps their ID token. */
const bearers = new Map<string, Promise<string>>();
const bearerOf = (email: string) => {
  if (!bearers.has(email))
    bearers.set(
      email,
      signInAs(email).then((tokens) => tokens.bearer),
    );
  return bearers.get(email) as Promise<string>;
};

const call = async (path: string, email: string, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', authorization: await bearerOf(email) },
  });

const everyPage = async (email: string, query: string) => {
  const pages: Listed[] = [];
  let cursor: string | undefined;
  do {
    const response = await call(
      `/m/cases?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      email,
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as Listed;
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
};

beforeAll(async () => {
  stack = await startIsolatedStack('manager-cases');
  domain = `${stack.namespace}.example.com`;
  api = await startApiServer({ port: 0 });
  await importStores(
    recordsOf([
      [...storeCsvColumns, 'language'],
      ['S1', 'Lyon Part-Dieu', managerOf('S1'), region(), 'Europe/Paris', 'fr'],
      ['S2', 'Madrid Sol', managerOf('S2'), region(), 'Europe/Madrid', 'es'],
    ]),
    { stores: stack.stores },
  );
  await syncStaffAccounts(stack.stores);
  const cases = createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '', stack.env.AGGREGATES_TABLE);
  for (const { caseId, storeId, dueAt, status } of seeded) {
    await cases.open(
      anOpenCase({ caseId, surveyId: caseId, storeId, dueAt, status, statusDue: statusDueOf(status, dueAt) }),
    );
  }
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await stack?.stop();
});

describe('GET /m/cases', () => {
  it('pages through every case once, in order, whatever the page size', async () => {
    const expected = [...seeded].sort(
      (a, b) => b.dueAt.localeCompare(a.dueAt) || b.caseId.localeCompare(a.caseId),
    );
    for (const limit of [1, 4, 7, 100]) {
      const pages = await everyPage(region(), `status=all&limit=${limit}`);
      const listed = pages.flatMap((page) => page.cases.map((item) => item.caseId));
      expect(listed, `limit ${limit}`).toEqual(expected.map((item) => item.caseId));
      expect(pages.every((page) => page.cases.length <= limit)).toBe(true);
    }
  });

  it('opens on what needs doing, soonest due first, overdue flagged, with each store’s zone', async () => {
    const [page] = await everyPage(managerOf('S1'), 'limit=100');
    const todo = seeded
      .filter((item) => item.storeId === 'S1' && item.status !== 'closed')
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.caseId.localeCompare(b.caseId));
    expect(page?.cases.map((item) => item.caseId)).toEqual(todo.map((item) => item.caseId));
    expect(page?.cases.every((item) => item.overdue === (item.status === 'open'))).toBe(true);
    expect(page?.cases[0]?.timezone).toBe('Europe/Paris');
    expect(page?.language).toBe('fr');
  });

  it('filters by status and store', async () => {
    const pages = await everyPage(region(), 'status=closed&store=S2&limit=2');
    const listed = pages.flatMap((page) => page.cases);
    expect(listed.map((item) => item.caseId).sort()).toEqual(
      seeded
        .filter((item) => item.storeId === 'S2' && item.status === 'closed')
        .map((item) => item.caseId)
        .sort(),
    );
    expect((await call('/m/cases?store=S2', managerOf('S1'))).status).toBe(403);
  });

  it('answers 400 with what is wrong for a bad query or cursor', async () => {
    const bad = await call('/m/cases?status=done&limit=500', region());
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      issues: ['status: must be one of todo, open, contacted, closed, all', 'limit: must be at most 100'],
    });
    const [first] = await everyPage(region(), 'status=all&limit=20').then((pages) => pages.slice(0, 1));
    const foreign = await call(`/m/cases?status=open&cursor=${first?.nextCursor}`, region());
    expect(foreign.status).toBe(400);
    expect((await call('/m/cases?cursor=garbage', region())).status).toBe(400);
  });
});

describe('POST /m/cases/{caseId}/calls and /close', () => {
  const open = seeded.find((item) => item.status === 'open' && item.storeId === 'S1');
  const path = () => `/m/cases/${open?.caseId}`;
  const post = (action: string, body: object) =>
    call(`${path()}/${action}`, managerOf('S1'), { method: 'POST', body: JSON.stringify(body) });

  it('records a double-tapped call once, then closes the case once', async () => {
    const tap = { outcome: 'voicemail', note: 'Left a message', requestId: 'double-tap-call-1' };
    const answers = await Promise.all([post('calls', tap), post('calls', tap)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await post('calls', tap)).status).toBe(200); // a retry after a lost answer
    const stored = await createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '').get(open?.caseId ?? '');
    expect(stored?.calls.map((entry) => entry.note)).toEqual(['Left a message']);
    expect(stored?.status).toBe('contacted');

    // The case moved from the "not called yet" list to "called".
    const called = await everyPage(managerOf('S1'), 'status=contacted&limit=100');
    expect(called.flatMap((page) => page.cases.map((item) => item.caseId))).toContain(open?.caseId);

    const closing = {
      resolution: 'coaching',
      note: 'Briefed the till team',
      requestId: 'double-tap-close-1',
    };
    const closed = await Promise.all([post('close', closing), post('close', closing)]);
    expect(closed.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await closed[0]?.json()).toMatchObject({
      status: 'closed',
      resolution: { kind: 'coaching', note: 'Briefed the till team', by: managerOf('S1') },
    });
    const conflict = await post('close', { resolution: 'apology', requestId: 'another-close-2' });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { message: string }).message).toMatch(/^This case is already closed/);
    expect((await post('calls', { outcome: 'reached', requestId: 'late-call-3' })).status).toBe(409);
    expect((await post('notes', { note: 'She thanked us', requestId: 'late-note-4' })).status).toBe(200);
  });

  it('keeps another store’s manager out', async () => {
    const foreign = await call(`${path()}/calls`, managerOf('S2'), {
      method: 'POST',
      body: JSON.stringify({ outcome: 'reached', requestId: 'foreign-call-1' }),
    });
    expect(foreign.status).toBe(403);
  });
});

describe('follow-up outcomes in the report', () => {
  const post = (caseId: string, action: string, body: object) =>
    call(`/m/cases/${caseId}/${action}`, managerOf('S1'), { method: 'POST', body: JSON.stringify(body) });

  it('counts calls and closings once, as an independent recount of the stored cases finds them', async () => {
    const [first, second, third] = seeded.filter(
      (item) => item.status === 'open' && item.storeId === 'S1' && item.caseId !== 'case-01',
    );
    const reached = { outcome: 'reached', requestId: 'outcome-reached-1' };
    // A double tap and a retry: one call, counted once.
    expect(
      (
        await Promise.all([
          post(first?.caseId ?? '', 'calls', reached),
          post(first?.caseId ?? '', 'calls', reached),
        ])
      ).map((answer) => answer.status),
    ).toEqual([200, 200]);
    expect((await post(first?.caseId ?? '', 'calls', reached)).status).toBe(200);
    expect(
      (await post(first?.caseId ?? '', 'close', { resolution: 'refund', requestId: 'outcome-close-1' }))
        .status,
    ).toBe(200);
    expect(
      (await post(second?.caseId ?? '', 'calls', { outcome: 'no-answer', requestId: 'outcome-call-2' }))
        .status,
    ).toBe(200);
    expect(
      (await post(second?.caseId ?? '', 'calls', { outcome: 'voicemail', requestId: 'outcome-call-3' }))
        .status,
    ).toBe(200);
    const closing = { resolution: 'apology', requestId: 'outcome-close-4' };
    expect((await post(third?.caseId ?? '', 'close', closing)).status).toBe(200);
    expect((await post(third?.caseId ?? '', 'close', closing)).status).toBe(200);

    const response = await call('/r/report?from=2026-11-01&to=2026-11-30&by=month&store=S1', managerOf('S1'));
    expect(response.status).toBe(200);
    const { followUp } = (await response.json()) as { followUp: FollowUpReport };
    const [store] = followUp.stores;

    // The recount: every S1 case as stored, by the rules the docs state.
    const cases = await createCaseRepository(stack.db, stack.env.CASES_TABLE ?? '').list('S1');
    const edges = [1, 2, 4, 8, 12, 24, 48, 72, 168];
    const contacted = cases.filter((item) => item.firstContactAt !== undefined);
    const hoursOf = (item: (typeof cases)[number]) =>
      (Date.parse(item.firstContactAt ?? '') - Date.parse(item.answeredAt)) / 3_600_000;
    const allCalls = cases.flatMap((item) => item.calls);
    const closedAs = (kind: string) => cases.filter((item) => item.resolution?.kind === kind).length;
    expect(store).toMatchObject({
      storeId: 'S1',
      opened: cases.length,
      contacted: contacted.length,
      withinSla: contacted.filter((item) => (item.firstContactAt ?? '') <= item.dueAt).length,
      late: contacted.filter((item) => (item.firstContactAt ?? '') > item.dueAt).length,
      reached: cases.filter((item) => item.firstReachedAt !== undefined).length,
      calls: {
        reached: allCalls.filter((entry) => entry.outcome === 'reached').length,
        voicemail: allCalls.filter((entry) => entry.outcome === 'voicemail').length,
        'no-answer': allCalls.filter((entry) => entry.outcome === 'no-answer').length,
      },
      resolutions: {
        apology: closedAs('apology'),
        refund: closedAs('refund'),
        fix: closedAs('fix'),
        coaching: closedAs('coaching'),
        other: closedAs('other'),
      },
      closedWithoutCall: cases.filter(
        (item) => item.resolution !== undefined && item.firstContactAt === undefined,
      ).length,
      escalated: cases.filter((item) => item.escalatedAt !== undefined).length,
    });
    expect(store?.timeToFirstContact.map((bucket) => bucket.cases)).toEqual(
      [...edges, Infinity].map(
        (edge, bucket) =>
          contacted.filter(
            (item) => hoursOf(item) <= edge && (bucket === 0 || hoursOf(item) > (edges[bucket - 1] ?? 0)),
          ).length,
      ),
    );
    // What this test did is in the recount: the retried call once, both closings.
    expect(store?.calls.reached).toBe(1);
    expect(store?.resolutions).toMatchObject({ refund: 1, apology: 1 });
    expect(followUp.overall.opened).toBe(store?.opened);
  });
});
