import * as z from 'zod/mini';
import { Reason, Score } from './answer';
import { identifier, isoTimestamp } from './common';

/**
 * Where a case stands: `open` until the manager records a first call, `contacted` once they have
 * (whatever its outcome), `closed` with a resolution.
 */
export const caseStatuses = ['open', 'contacted', 'closed'] as const;
export const CaseStatus = z.enum(caseStatuses);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** A stored status, read as today's: the closing statuses of before calls were recorded are `closed`. */
const StoredCaseStatus = z.pipe(
  z.enum([...caseStatuses, 'resolved', 'no-answer']),
  z.transform((status): CaseStatus => (status === 'resolved' || status === 'no-answer' ? 'closed' : status)),
);

/** What came of a call to the customer. */
export const callOutcomes = ['reached', 'voicemail', 'no-answer'] as const;
export const CallOutcome = z.enum(callOutcomes);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** How a case was closed. `other` needs a note saying what. */
export const resolutionKinds = ['apology', 'refund', 'fix', 'coaching', 'other'] as const;
export const ResolutionKind = z.enum(resolutionKinds);
export type ResolutionKind = z.infer<typeof ResolutionKind>;

/** A call the manager made: when, by whom, what came of it, and an optional note. */
export const CaseCall = z.object({
  at: isoTimestamp(),
  by: z.string(),
  outcome: CallOutcome,
  note: z.optional(z.string()),
});
export type CaseCall = z.infer<typeof CaseCall>;

/** How the case was closed, by whom, with a note (required for `other`). The time is the case's `closedAt`. */
export const CaseResolution = z.object({
  kind: ResolutionKind,
  by: z.string(),
  note: z.optional(z.string()),
});
export type CaseResolution = z.infer<typeof CaseResolution>;

export const CaseNote = z.object({
  at: isoTimestamp(),
  by: z.string(),
  text: z.string(),
});
export type CaseNote = z.infer<typeof CaseNote>;

/** A detractor follow-up case: who to call, why, by when, and what happened. */
export const CaseRecord = z.object({
  caseId: z.string(),
  surveyId: z.string(),
  customerId: identifier(),
  storeId: identifier(),
  status: StoredCaseStatus,
  /** `{status}#{dueAt}`: with `storeId`, places the case in the `byStoreStatus` index. */
  statusDue: z.optional(z.string()),
  score: Score,
  comment: z.optional(z.string()),
  reasons: z.array(Reason),
  customer: z.object({
    name: z.string(),
    email: z.string(),
    /** Copied from the customer when the case opened, when known. */
    phone: z.optional(z.string()),
    locale: z.string(),
    attributes: z.record(z.string(), z.string()),
  }),
  /** Scores of the customer's earlier surveys, oldest first. */
  previousScores: z.array(z.number()),
  /** Who is alerted and expected to call: the store manager, or the regional manager when the store has none. */
  owner: z.string(),
  ownerRole: z.enum(['store-manager', 'regional-manager']),
  answeredAt: isoTimestamp(),
  openedAt: isoTimestamp(),
  /** First contact is due 24 hours after the answer. */
  dueAt: isoTimestamp(),
  alertedAt: z.optional(isoTimestamp()),
  /** With `dueAt`, places an open case in the sparse `casesToEscalate` index. */
  escalationShard: z.optional(z.string()),
  escalatedAt: z.optional(isoTimestamp()),
  escalatedTo: z.optional(z.string()),
  notes: z.array(CaseNote),
  /** The manager's calls, oldest first. */
  calls: z._default(z.array(CaseCall), []),
  /** The first call, whatever its outcome (the 24-hour promise is to try). */
  firstContactAt: z.optional(isoTimestamp()),
  /** The first call that reached the customer. */
  firstReachedAt: z.optional(isoTimestamp()),
  resolution: z.optional(CaseResolution),
  closedAt: z.optional(isoTimestamp()),
  updatedAt: isoTimestamp(),
  /** The score of each change of the answer noted on the case, in order (the update e-mails' history). */
  changeScores: z.optional(z.array(z.number())),
  /** The update e-mail last claimed: its number, the changes it covers (`[from, to)` of `changeScores`), when. */
  updateMail: z.optional(z.object({ seq: z.number(), from: z.number(), to: z.number(), at: isoTimestamp() })),
  /** The number of the last update e-mail sent (below `updateMail.seq` while one is being sent). */
  updateMailsSent: z.optional(z.number()),
  /** When the coalesced update e-mail waiting for the interval is due (a delayed task carries it). */
  updateMailDueAt: z.optional(isoTimestamp()),
  /** The customer's personal data was erased from the case (`closeloop customer erase`). */
  erasedAt: z.optional(isoTimestamp()),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

const noteText = () =>
  z
    .string({ error: 'must be a text' })
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(2000, 'must be at most 2000 characters'),
    );

/**
 * The page's key for one action: the same key sent twice (a double tap, a retry after a lost answer)
 * is recorded once.
 */
const requestId = () =>
  z
    .string({ error: 'is required: a random key, the same when the request is sent again (e.g. a UUID)' })
    .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _ (e.g. a random UUID)'));

/** `POST /m/cases/{caseId}/calls`: a call and what came of it. */
export const CallInput = z.object({
  outcome: z.enum(callOutcomes, { error: `must be one of ${callOutcomes.join(', ')}` }),
  note: z.optional(noteText()),
  requestId: requestId(),
});
export type CallInput = z.infer<typeof CallInput>;

/** `POST /m/cases/{caseId}/close`: how the case was resolved; `other` needs a note. */
export const CloseInput = z
  .object({
    resolution: z.enum(resolutionKinds, { error: `must be one of ${resolutionKinds.join(', ')}` }),
    note: z.optional(noteText()),
    requestId: requestId(),
  })
  .check(
    z.refine((input) => input.resolution !== 'other' || input.note !== undefined, {
      error: 'say in a note how the case was resolved when the resolution is other',
      path: ['note'],
    }),
  );
export type CloseInput = z.infer<typeof CloseInput>;

/** `POST /m/cases/{caseId}/notes`: a note without a call (the customer wrote back, ...). */
export const NoteInput = z.object({ note: noteText(), requestId: requestId() });
export type NoteInput = z.infer<typeof NoteInput>;

/** Which cases a list shows: `todo` (open and contacted, the default), one status, or `all`. */
export const caseFilters = ['todo', ...caseStatuses, 'all'] as const;
export const CaseFilter = z.enum(caseFilters);
export type CaseFilter = z.infer<typeof CaseFilter>;

export const MAX_CASES_PER_PAGE = 100;

/** `GET /m/cases` query: filter, store, page size and the cursor of the page before. */
export const CaseListQuery = z.object({
  status: z._default(z.enum(caseFilters, { error: `must be one of ${caseFilters.join(', ')}` }), 'todo'),
  store: z.optional(identifier()),
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_CASES_PER_PAGE}`)),
      z
        .transform(Number)
        .check(
          z.gte(1, 'must be at least 1'),
          z.lte(MAX_CASES_PER_PAGE, `must be at most ${MAX_CASES_PER_PAGE}`),
        ),
    ),
    25,
  ),
  cursor: z.optional(z.string().check(z.maxLength(1000, 'is not a cursor this API gave'))),
});
export type CaseListQuery = z.infer<typeof CaseListQuery>;

/** What a `GET /m/cases` cursor holds (opaque to clients): the listing it belongs to and where its page ended. */
export const CaseCursor = z.object({
  status: CaseFilter,
  store: z.optional(z.string()),
  after: z.object({ dueAt: isoTimestamp(), caseId: z.string() }),
});
export type CaseCursor = z.infer<typeof CaseCursor>;
