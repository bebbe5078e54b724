import pLimit from 'p-limit';
import type { CaseRepository, CountedCase, ManagerWriteRefusal } from '../adapters/case-repository';
import type { StoreRepository } from '../adapters/store-repository';
import type { WebhookOutbox } from '../adapters/webhook-outbox';
import { type Access, canSeeStore } from '../domain/access';
import { listingOf, mergePage } from '../domain/case-pages';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { isOverdue } from '../domain/follow-up';
import { type Language, languages } from '../domain/languages';
import { caseClosedEventOf } from '../domain/webhooks';
import {
  type CallInput,
  CaseCursor,
  type CaseListQuery,
  type CaseRecord,
  type CloseInput,
  type NoteInput,
} from '../schemas/case';
import type { StoreRecord } from '../schemas/store';

export interface ManageCasesDeps {
  readonly cases: Pick<CaseRepository, 'get' | 'listBeyond' | 'recordCall' | 'closeCase' | 'addNote'>;
  readonly stores: Pick<StoreRepository, 'listAll'>;
  readonly clock?: () => Date;
  /** Told of every first call, and whether it came within the follow-up window (for metrics). */
  readonly onContacted?: (withinWindow: boolean) => void;
  /** The webhook outbox: `case.closed`. None when absent. */
  readonly webhookEvents?: Pick<WebhookOutbox, 'record'>;
}

/** A store as the managers' page needs it: its name, and the zone and language to show times in. */
export interface StoreView {
  readonly storeId: string;
  readonly name: string;
  readonly timezone: string;
  readonly language: Language;
}

const storeView = (store: StoreRecord): StoreView => ({
  storeId: store.storeId,
  name: store.name,
  timezone: store.timezone,
  language: store.language ?? 'en',
});

/** A case as a manager sees it: without the bookkeeping of the index and the update e-mails. */
const view = (caseRecord: CaseRecord, stores: ReadonlyMap<string, StoreView>, now: Date) => {
  const {
    statusDue: _statusDue,
    escalationShard: _escalationShard,
    changeScores: _changeScores,
    updateMail: _updateMail,
    updateMailsSent: _updateMailsSent,
    updateMailDueAt: _updateMailDueAt,
    ...shown
  } = caseRecord;
  const store = stores.get(caseRecord.storeId);
  return {
    ...shown,
    overdue: isOverdue(caseRecord, now),
    storeName: store?.name ?? caseRecord.storeId,
    timezone: store?.timezone ?? 'UTC',
  };
};
export type CaseView = ReturnType<typeof view>;

/**
 * Whether a viewer sees a store's cases: its managers, and admins. Marketing, who see every store's
 * figures, do not see its cases: they hold customers' phone numbers and complaints, for the call.
 */
const seesCasesOf = (access: Access, storeId: string) =>
  access.kind === 'all-stores' ? access.role === 'admin' : canSeeStore(access, storeId);

/** The stores whose cases a viewer sees, by id. */
const visibleStores = async (deps: ManageCasesDeps, access: Access) =>
  new Map(
    (await deps.stores.listAll())
      .filter((store) => seesCasesOf(access, store.storeId))
      .map((store) => [store.storeId, storeView(store)] as const),
  );

/** The language most of the viewer's stores use (English when none or a tie says otherwise). */
const languageOfStores = (stores: Iterable<StoreView>): Language => {
  const counts = new Map<Language, number>();
  for (const store of stores) counts.set(store.language, (counts.get(store.language) ?? 0) + 1);
  return [...languages].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0] ?? 'en';
};

export const encodeCursor = (cursor: CaseCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

const decodeCursor = (text: string, query: CaseListQuery) => {
  let parsed: ReturnType<typeof CaseCursor.safeParse> | undefined;
  try {
    parsed = CaseCursor.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success)
    throw new ValidationError('The case list query is not valid.', ['cursor: is not a cursor this API gave']);
  if (parsed.data.status !== query.status || parsed.data.store !== query.store)
    throw new ValidationError('The case list query is not valid.', [
      'cursor: belongs to another status or store; ask for the first page again',
    ]);
  return parsed.data;
};

/** Stores read at the same time when a list spans many (a regional manager's, an admin's). */
const STORE_READS = 16;

/**
 * One page of the cases a viewer may see: what needs doing (open and contacted) soonest due first by
 * default, one status, or every case (closed and all: the latest first); one store or all of theirs.
 * Each store and status is read from its index in order, beyond the cursor, and the streams merged
 * (see `mergePage`), so every case is listed once across pages. With the page come the viewer's
 * stores (for the filter, and the zone of each case's times) and their language.
 */
export const listManagedCases = async (deps: ManageCasesDeps, access: Access, query: CaseListQuery) => {
  const stores = await visibleStores(deps, access);
  if (query.store !== undefined && !stores.has(query.store))
    throw new ForbiddenError(`You do not manage store ${query.store}.`);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, query).after;
  const { statuses, order } = listingOf(query.status);
  const storeIds = query.store === undefined ? [...stores.keys()] : [query.store];
  const reads = pLimit(STORE_READS);
  const streams = await Promise.all(
    storeIds.flatMap((storeId) =>
      (statuses ?? [undefined]).map((status) =>
        reads(() => deps.cases.listBeyond({ storeId, status, order, after, limit: query.limit })),
      ),
    ),
  );
  const page = mergePage(streams, order, query.limit);
  const now = (deps.clock ?? (() => new Date()))();
  return {
    cases: page.items.map((caseRecord) => view(caseRecord, stores, now)),
    ...(page.next && {
      nextCursor: encodeCursor({
        status: query.status,
        ...(query.store !== undefined && { store: query.store }),
        after: page.next,
      }),
    }),
    stores: [...stores.values()].sort((a, b) => a.name.localeCompare(b.name)),
    language: languageOfStores(stores.values()),
  };
};

const managedCase = async (deps: ManageCasesDeps, access: Access, caseId: string) => {
  const [caseRecord, stores] = await Promise.all([deps.cases.get(caseId), visibleStores(deps, access)]);
  if (caseRecord === undefined) throw new NotFoundError('No such case.');
  if (!stores.has(caseRecord.storeId))
    throw new ForbiddenError('This case belongs to a store you do not manage.');
  return { caseRecord, stores };
};

const nowOf = (deps: ManageCasesDeps) => (deps.clock ?? (() => new Date()))();

export const getManagedCase = async (deps: ManageCasesDeps, access: Access, caseId: string) => {
  const { caseRecord, stores } = await managedCase(deps, access, caseId);
  return view(caseRecord, stores, nowOf(deps));
};

/** The case after a write (or after a repeated request, which wrote nothing); a refusal as a 4xx. */
const afterWrite = async (
  deps: ManageCasesDeps,
  access: Access,
  caseRecord: CaseRecord,
  outcome: 'recorded' | ManagerWriteRefusal,
) => {
  if (outcome === 'missing') throw new NotFoundError('No such case.');
  if (outcome === 'erased')
    throw new ConflictError("The customer's data was erased; this case can no longer be updated.");
  if (outcome === 'closed') {
    const current = (await deps.cases.get(caseRecord.caseId)) ?? caseRecord;
    throw new ConflictError(
      `This case is already closed${current.resolution ? ` (${current.resolution.kind}, ${current.closedAt})` : ''}; ` +
        'reload it to see what was recorded.',
    );
  }
  return getManagedCase(deps, access, caseRecord.caseId);
};

/** The case as read, for a write that counts its follow-up outcome (see `CountedCase`). */
const countedOf = (caseRecord: CaseRecord): CountedCase => ({
  caseId: caseRecord.caseId,
  dueAt: caseRecord.dueAt,
  storeId: caseRecord.storeId,
  openedAt: caseRecord.openedAt,
  answeredAt: caseRecord.answeredAt,
  firstContactAt: caseRecord.firstContactAt,
  firstReachedAt: caseRecord.firstReachedAt,
  escalatedAt: caseRecord.escalatedAt,
});

/**
 * Records a call and what came of it. The first call is the first contact (`firstContactAt`): an open
 * case becomes contacted and is no longer escalated. The same `requestId` twice records one call.
 */
export const recordCall = async (deps: ManageCasesDeps, access: Access, caseId: string, input: CallInput) => {
  const { caseRecord } = await managedCase(deps, access, caseId);
  const at = nowOf(deps).toISOString();
  const result = await deps.cases.recordCall(
    countedOf(caseRecord),
    { at, by: access.user, outcome: input.outcome, ...(input.note !== undefined && { note: input.note }) },
    input.requestId,
  );
  if ('firstCall' in result && result.firstCall) deps.onContacted?.(at <= caseRecord.dueAt);
  return afterWrite(deps, access, caseRecord, result.outcome);
};

/** Closes a case with its resolution, once: closing a closed case is a 409, unless it is the same request. */
export const closeCase = async (deps: ManageCasesDeps, access: Access, caseId: string, input: CloseInput) => {
  const { caseRecord } = await managedCase(deps, access, caseId);
  const at = nowOf(deps).toISOString();
  const result = await deps.cases.closeCase(
    countedOf(caseRecord),
    { kind: input.resolution, by: access.user, ...(input.note !== undefined && { note: input.note }) },
    at,
    input.requestId,
    // The event goes into the outbox with the close itself.
    (state) =>
      caseClosedEventOf({
        ...caseRecord,
        closedAt: at,
        resolution: { kind: input.resolution },
        firstContactAt: state.firstContactAt,
      }),
  );
  const closed = await afterWrite(deps, access, caseRecord, result.outcome);
  // Again on a repeat of the request, for a case closed before the event went with the close: the
  // event is keyed by the case, so it is recorded once.
  if (closed.closedAt !== undefined && closed.resolution !== undefined)
    await deps.webhookEvents?.record(
      caseClosedEventOf({ ...closed, closedAt: closed.closedAt, resolution: closed.resolution }),
    );
  return closed;
};

/** Adds a note, once per `requestId`, also to a closed case. */
export const addNote = async (deps: ManageCasesDeps, access: Access, caseId: string, input: NoteInput) => {
  const { caseRecord } = await managedCase(deps, access, caseId);
  const at = nowOf(deps).toISOString();
  const result = await deps.cases.addNote(caseId, { at, by: access.user, text: input.note }, input.requestId);
  return afterWrite(deps, access, caseRecord, result.outcome);
};
