import type { CaseKey, CaseRepository, ManagerWriteRefusal } from '../../functions/adapters/case-repository';
import { type CaseOrder, type CasePosition, isBeyond } from '../../functions/domain/case-pages';
import type { UpdateMailClaim } from '../../functions/domain/follow-up';
import type { CaseCall, CaseNote, CaseRecord, CaseResolution } from '../../functions/schemas/case';

type StoredCase = CaseRecord & { noteKeys?: Set<string>; requestIds?: Set<string> };

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The cases table in memory, behind the case repository methods follow-ups and the dashboard use,
 * with the conditions of the DynamoDB ones: a case is opened once, a change is noted once per key,
 * an open case is escalated once. `calls` logs every write in order.
 */
export const createCaseTable = () => {
  const cases = new Map<string, StoredCase>();
  const calls: string[] = [];
  type Failing = 'markAlerted' | 'markEscalated' | 'markUpdateMailSent';
  const failures: Partial<Record<Failing, Error[]>> = {};
  const failing = (method: Failing) => {
    const failure = failures[method]?.shift();
    if (failure !== undefined) throw failure;
  };

  /** The case a manager's write may change (and the key taken), or why not, as the repository says. */
  const managerWritable = (
    caseId: string,
    requestId: string,
    needsOpen: boolean,
  ): StoredCase | ManagerWriteRefusal => {
    const found = cases.get(caseId);
    if (found === undefined) return 'missing';
    if (found.requestIds?.has(requestId)) return 'duplicate';
    if (found.erasedAt !== undefined) return 'erased';
    if (needsOpen && found.status === 'closed') return 'closed';
    found.requestIds = new Set([...(found.requestIds ?? []), requestId]);
    return found;
  };

  const repository = {
    get: async (caseId: string): Promise<CaseRecord | undefined> => {
      const found = cases.get(caseId);
      if (found === undefined) return undefined;
      const { noteKeys: _keys, requestIds: _requests, ...record } = copy(found);
      return record;
    },
    open: async (caseRecord: CaseRecord) => {
      calls.push(`cases.open ${caseRecord.caseId}`);
      if (cases.has(caseRecord.caseId)) return false;
      cases.set(caseRecord.caseId, copy(caseRecord));
      return true;
    },
    markAlerted: async (caseId: string, at: string) => {
      calls.push(`cases.markAlerted ${caseId}`);
      failing('markAlerted');
      const found = cases.get(caseId);
      if (found !== undefined) found.alertedAt ??= at;
      return true;
    },
    recordAnswerChange: async (
      caseId: string,
      change: { score: number; comment?: string; reasons: readonly string[] },
      note: CaseNote,
      noteKey: string,
    ): Promise<'added' | 'duplicate' | 'missing'> => {
      calls.push(`cases.recordAnswerChange ${caseId} ${noteKey}`);
      const found = cases.get(caseId);
      if (found === undefined) return 'missing';
      if (found.erasedAt !== undefined || found.noteKeys?.has(noteKey)) return 'duplicate';
      Object.assign(found, {
        score: change.score,
        reasons: [...change.reasons],
        updatedAt: note.at,
        ...(change.comment !== undefined && { comment: change.comment }),
      });
      found.notes.push(copy(note));
      found.changeScores = [...(found.changeScores ?? []), change.score];
      found.noteKeys = new Set([...(found.noteKeys ?? []), noteKey]);
      return 'added';
    },
    claimUpdateMail: async (caseId: string, expectedSeq: number, mail: UpdateMailClaim) => {
      calls.push(`cases.claimUpdateMail ${caseId} ${mail.seq}`);
      const found = cases.get(caseId);
      if (found === undefined || (found.updateMail?.seq ?? 0) !== expectedSeq) return false;
      if ((found.changeScores?.length ?? 0) < mail.to) return false;
      found.updateMail = copy(mail);
      delete found.updateMailDueAt;
      return true;
    },
    markUpdateMailSent: async (caseId: string, seq: number) => {
      calls.push(`cases.markUpdateMailSent ${caseId} ${seq}`);
      failing('markUpdateMailSent');
      const found = cases.get(caseId);
      if (found === undefined || (found.updateMailsSent ?? 0) >= seq) return false;
      found.updateMailsSent = seq;
      return true;
    },
    markUpdateMailScheduled: async (caseId: string, dueAt: string) => {
      calls.push(`cases.markUpdateMailScheduled ${caseId} ${dueAt}`);
      const found = cases.get(caseId);
      if (found === undefined) return false;
      found.updateMailDueAt = dueAt;
      return true;
    },
    markEscalated: async (caseId: string, to: string, at: string) => {
      calls.push(`cases.markEscalated ${caseId}`);
      failing('markEscalated');
      const found = cases.get(caseId);
      if (found?.status !== 'open' || found.escalatedAt !== undefined) return false;
      Object.assign(found, { escalatedAt: at, escalatedTo: to, updatedAt: at });
      delete found.escalationShard;
      return true;
    },
    list: async (storeId?: string) =>
      [...cases.values()]
        .filter((one) => storeId === undefined || one.storeId === storeId)
        .map(({ noteKeys: _keys, requestIds: _requests, ...record }) => copy(record))
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt)),
    /** Every case of the store and status beyond `after`: more than the repository's minimum. */
    listBeyond: async (query: {
      storeId: string;
      status?: string;
      order: CaseOrder;
      after?: CasePosition;
      limit: number;
    }) => {
      calls.push(`cases.listBeyond ${query.storeId} ${query.status ?? 'all'}`);
      return [...cases.values()]
        .filter(
          (one) =>
            one.storeId === query.storeId && (query.status === undefined || one.status === query.status),
        )
        .filter((one) => isBeyond(one, query.after, query.order))
        .map(({ noteKeys: _keys, requestIds: _requests, ...record }) => copy(record));
    },
    recordCall: async ({ caseId }: CaseKey, call: CaseCall, requestId: string) => {
      calls.push(`cases.recordCall ${caseId} ${requestId}`);
      const found = managerWritable(caseId, requestId, true);
      if (typeof found === 'string') return { outcome: found };
      const firstCall = found.firstContactAt === undefined;
      found.calls.push(copy(call));
      found.status = 'contacted';
      found.firstContactAt ??= call.at;
      if (call.outcome === 'reached') found.firstReachedAt ??= call.at;
      delete found.escalationShard;
      return { outcome: 'recorded' as const, firstCall };
    },
    closeCase: async ({ caseId }: CaseKey, resolution: CaseResolution, at: string, requestId: string) => {
      calls.push(`cases.closeCase ${caseId} ${requestId}`);
      const found = managerWritable(caseId, requestId, true);
      if (typeof found === 'string') return { outcome: found };
      Object.assign(found, { status: 'closed', resolution: copy(resolution), closedAt: at, updatedAt: at });
      delete found.escalationShard;
      return { outcome: 'recorded' as const };
    },
    addNote: async (caseId: string, note: CaseNote, requestId: string) => {
      calls.push(`cases.addNote ${caseId} ${requestId}`);
      const found = managerWritable(caseId, requestId, false);
      if (typeof found === 'string') return { outcome: found };
      found.notes.push(copy(note));
      return { outcome: 'recorded' as const };
    },
    statuses: async (storeId: string) =>
      [...cases.values()]
        .filter((one) => one.storeId === storeId)
        .map(({ status, dueAt }) => ({ status, dueAt })),
  };

  return {
    cases,
    calls,
    /** Makes the next calls of `method` throw, one error per call (a crash after the step before). */
    failNext: (method: Failing, ...errors: Error[]) => {
      failures[method] = errors;
    },
    /** Only the methods above exist: a use case calling another one fails its test. */
    repository: repository as typeof repository & CaseRepository,
  };
};

export type CaseTable = ReturnType<typeof createCaseTable>;

/** An open case for Ada's detractor survey sv-1 at store S1, answered 2 November 2026 at 10:00. */
export const anOpenCase = (overrides: Partial<CaseRecord> = {}): CaseRecord => ({
  caseId: 'sv-1',
  surveyId: 'sv-1',
  customerId: 'C1',
  storeId: 'S1',
  status: 'open',
  score: 2,
  comment: 'Waited an hour',
  reasons: ['staff'],
  customer: { name: 'Ada Lovelace', email: 'ada@example.com', locale: 'en', attributes: {} },
  previousScores: [8],
  owner: 'manager.s1@stores.example.com',
  ownerRole: 'store-manager',
  answeredAt: '2026-11-02T10:00:00.000Z',
  openedAt: '2026-11-02T10:00:05.000Z',
  dueAt: '2026-11-03T10:00:00.000Z',
  alertedAt: '2026-11-02T10:00:05.000Z',
  escalationShard: '4',
  notes: [],
  calls: [],
  updatedAt: '2026-11-02T10:00:05.000Z',
  ...overrides,
});
