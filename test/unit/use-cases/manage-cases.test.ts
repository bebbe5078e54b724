import { beforeEach, describe, expect, it } from 'vitest';
import type { Access } from '../../../functions/domain/access';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../functions/domain/errors';
import { CaseListQuery } from '../../../functions/schemas/case';
import {
  addNote,
  closeCase,
  listManagedCases,
  type ManageCasesDeps,
  recordCall,
} from '../../../functions/use-cases/manage-cases';
import { anOpenCase, type CaseTable, createCaseTable } from '../../support/in-memory-cases';
import { createWebhookOutbox } from '../../support/in-memory-effects';
import { aStore, createStoreTable } from '../../support/in-memory-stores';

const lyonManager: Access = {
  kind: 'stores',
  user: 'manager.s1@stores.example.com',
  sub: 'sub-manager.s1@stores.example.com',
  storeIds: new Set(['S1']),
};
const region: Access = {
  kind: 'stores',
  user: 'region@stores.example.com',
  sub: 'sub-region@stores.example.com',
  storeIds: new Set(['S1', 'S2']),
};
const now = new Date('2026-11-03T12:00:00.000Z');
let cases: CaseTable;
let deps: ManageCasesDeps;
let contacted: boolean[];

const query = (fields: Record<string, string> = {}) => CaseListQuery.parse(fields);
const caseAt = (
  caseId: string,
  storeId: string,
  dueAt: string,
  status: 'open' | 'contacted' | 'closed' = 'open',
) => cases.cases.set(caseId, anOpenCase({ caseId, surveyId: caseId, storeId, dueAt, status }));

beforeEach(() => {
  cases = createCaseTable();
  contacted = [];
  deps = {
    cases: cases.repository,
    stores: createStoreTable(
      aStore(),
      aStore({
        storeId: 'S2',
        name: 'Madrid',
        managerEmail: 'm2@stores.example.com',
        language: 'es',
        timezone: 'Europe/Madrid',
      }),
      aStore({
        storeId: 'S3',
        name: 'Boston',
        managerEmail: 'm3@stores.example.com',
        regionalManagerEmail: undefined,
      }),
    ).repository,
    clock: () => now,
    onContacted: (withinWindow) => contacted.push(withinWindow),
  };
});

describe('listManagedCases', () => {
  it('lists what needs doing across the viewer’s stores, soonest due first, overdue flagged, with each store’s zone', async () => {
    caseAt('late', 'S2', '2026-11-03T09:00:00.000Z');
    caseAt('soon', 'S1', '2026-11-03T18:00:00.000Z', 'contacted');
    caseAt('done', 'S1', '2026-11-01T09:00:00.000Z', 'closed');
    caseAt('elsewhere', 'S3', '2026-11-02T09:00:00.000Z');

    const page = await listManagedCases(deps, region, query());

    expect(page.cases.map((item) => [item.caseId, item.overdue, item.timezone])).toEqual([
      ['late', true, 'Europe/Madrid'],
      ['soon', false, 'Europe/Paris'],
    ]);
    expect(page.nextCursor).toBeUndefined();
    expect(page.stores.map((store) => store.storeId)).toEqual(['S1', 'S2']);
    expect(page.cases[0]).not.toHaveProperty('statusDue');
  });

  it('gives every case exactly once across pages, ties on the due time included, and the latest closed first', async () => {
    const due = [
      '2026-11-01',
      '2026-11-02',
      '2026-11-02',
      '2026-11-02',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
    ];
    for (const [index, day] of due.entries())
      caseAt(`c${index}`, index % 2 === 0 ? 'S1' : 'S2', `${day}T09:00:00.000Z`, 'closed');

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listManagedCases(
        deps,
        region,
        query({ status: 'closed', limit: '2', ...(cursor && { cursor }) }),
      );
      expect(page.cases.length).toBeLessThanOrEqual(2);
      seen.push(...page.cases.map((item) => item.caseId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);

    expect(seen).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1', 'c0']);
  });

  it('filters by store and status, and refuses a store the viewer does not manage', async () => {
    caseAt('a', 'S1', '2026-11-03T09:00:00.000Z');
    caseAt('b', 'S2', '2026-11-03T10:00:00.000Z');
    caseAt('c', 'S2', '2026-11-03T11:00:00.000Z', 'contacted');

    const page = await listManagedCases(deps, region, query({ store: 'S2', status: 'open' }));
    expect(page.cases.map((item) => item.caseId)).toEqual(['b']);
    await expect(listManagedCases(deps, lyonManager, query({ store: 'S2' }))).rejects.toThrow(ForbiddenError);
  });

  it('refuses a cursor it did not give, or one of another listing', async () => {
    for (let day = 1; day <= 3; day++) caseAt(`c${day}`, 'S1', `2026-11-0${day}T09:00:00.000Z`);
    const first = await listManagedCases(deps, lyonManager, query({ limit: '1' }));
    await expect(
      listManagedCases(deps, lyonManager, query({ status: 'open', cursor: first.nextCursor ?? '' })),
    ).rejects.toThrow(ValidationError);
    await expect(listManagedCases(deps, lyonManager, query({ cursor: 'not-a-cursor' }))).rejects.toThrow(
      ValidationError,
    );
  });

  it('shows admins every store’s cases, and marketing none', async () => {
    caseAt('a', 'S3', '2026-11-03T09:00:00.000Z');
    const admin: Access = { kind: 'all-stores', user: 'admin@x.co', sub: 'sub-admin@x.co', role: 'admin' };
    const marketing: Access = {
      kind: 'all-stores',
      user: 'marketing@x.co',
      sub: 'sub-marketing@x.co',
      role: 'marketing',
    };
    expect((await listManagedCases(deps, admin, query())).cases.map((item) => item.caseId)).toEqual(['a']);
    expect((await listManagedCases(deps, marketing, query())).cases).toEqual([]);
  });

  it('speaks the language most of the viewer’s stores use', async () => {
    const madrid: Access = {
      kind: 'stores',
      user: 'm2@stores.example.com',
      sub: 'sub-m2@stores.example.com',
      storeIds: new Set(['S2']),
    };
    expect((await listManagedCases(deps, madrid, query())).language).toBe('es');
    expect((await listManagedCases(deps, lyonManager, query())).language).toBe('en');
  });
});

describe('recordCall and closeCase', () => {
  beforeEach(() => {
    cases.cases.set('sv-1', anOpenCase({ dueAt: '2026-11-03T18:00:00.000Z' }));
  });

  it('records the first call as first contact, once per request, and tells the metrics once', async () => {
    const call = { outcome: 'no-answer', requestId: 'call-0001' } as const;
    const after = await recordCall(deps, lyonManager, 'sv-1', call);
    await recordCall(deps, lyonManager, 'sv-1', call); // a double tap
    await recordCall(deps, lyonManager, 'sv-1', {
      outcome: 'reached',
      note: 'Apologised',
      requestId: 'call-0002',
    });

    expect(after).toMatchObject({ status: 'contacted', firstContactAt: now.toISOString() });
    const stored = cases.cases.get('sv-1');
    expect(stored?.calls.map((entry) => entry.outcome)).toEqual(['no-answer', 'reached']);
    expect(stored?.calls[1]).toEqual({
      at: now.toISOString(),
      by: lyonManager.user,
      outcome: 'reached',
      note: 'Apologised',
    });
    expect(stored?.firstReachedAt).toBe(now.toISOString());
    expect(stored?.escalationShard).toBeUndefined();
    expect(contacted).toEqual([true]);
  });

  it('closes once: the same request again is fine, another one is a 409, and no call goes on a closed case', async () => {
    const closing = { resolution: 'refund', note: 'Refunded the delivery', requestId: 'close-0001' } as const;
    expect(await closeCase(deps, lyonManager, 'sv-1', closing)).toMatchObject({
      status: 'closed',
      closedAt: now.toISOString(),
      resolution: { kind: 'refund', by: lyonManager.user, note: 'Refunded the delivery' },
    });
    expect(await closeCase(deps, lyonManager, 'sv-1', closing)).toMatchObject({ status: 'closed' });
    await expect(
      closeCase(deps, lyonManager, 'sv-1', { resolution: 'apology', requestId: 'close-0002' }),
    ).rejects.toThrow(
      new ConflictError(
        'This case is already closed (refund, 2026-11-03T12:00:00.000Z); reload it to see what was recorded.',
      ),
    );
    await expect(
      recordCall(deps, lyonManager, 'sv-1', { outcome: 'reached', requestId: 'call-0003' }),
    ).rejects.toThrow(ConflictError);
    await addNote(deps, lyonManager, 'sv-1', { note: 'She wrote to thank us', requestId: 'note-0001' });
    expect(cases.cases.get('sv-1')?.notes.map((note) => note.text)).toEqual(['She wrote to thank us']);
  });

  it('keeps managers out of other stores’ cases and answers 404 for no case', async () => {
    const madrid: Access = {
      kind: 'stores',
      user: 'm2@stores.example.com',
      sub: 'sub-m2@stores.example.com',
      storeIds: new Set(['S2']),
    };
    await expect(
      recordCall(deps, madrid, 'sv-1', { outcome: 'reached', requestId: 'call-0001' }),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      recordCall(deps, lyonManager, 'nope', { outcome: 'reached', requestId: 'call-0001' }),
    ).rejects.toThrow(NotFoundError);
    expect(cases.cases.get('sv-1')?.calls).toEqual([]);
  });

  it('refuses to write on a case whose customer was erased', async () => {
    cases.cases.set('sv-1', anOpenCase({ erasedAt: now.toISOString() }));
    await expect(
      recordCall(deps, lyonManager, 'sv-1', { outcome: 'reached', requestId: 'call-0001' }),
    ).rejects.toThrow("The customer's data was erased");
  });
});

describe('closeCase’s case.closed webhook event', () => {
  it('records the closing once, also when the same request comes again, and nothing for a refused one', async () => {
    cases.cases.set('sv-1', anOpenCase({ dueAt: '2026-11-03T18:00:00.000Z' }));
    const webhooks = createWebhookOutbox();
    deps = { ...deps, webhookEvents: webhooks.outbox };
    const closing = { resolution: 'fix', requestId: 'close-0001' } as const;
    await closeCase(deps, lyonManager, 'sv-1', closing);
    await closeCase(deps, lyonManager, 'sv-1', closing);
    await expect(
      closeCase(deps, lyonManager, 'sv-1', { resolution: 'apology', requestId: 'close-0002' }),
    ).rejects.toThrow(ConflictError);
    expect(webhooks.events()).toEqual([
      expect.objectContaining({
        type: 'case.closed',
        createdAt: now.toISOString(),
        data: expect.objectContaining({
          caseId: 'sv-1',
          resolution: 'fix',
          contacted: false,
          closedAt: now.toISOString(),
        }),
      }),
    ]);
  });
});
