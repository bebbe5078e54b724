import * as z from 'zod/mini';
import { Reason, Score } from './answer';
import { identifier, isoTimestamp } from './common';

export const CaseStatus = z.enum(['open', 'contacted', 'resolved', 'no-answer']);
export type CaseStatus = z.infer<typeof CaseStatus>;

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
  status: CaseStatus,
  score: Score,
  comment: z.optional(z.string()),
  reasons: z.array(Reason),
  customer: z.object({
    name: z.string(),
    email: z.string(),
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

/** What a manager may change on a case: its status, and a note on what happened. */
export const CaseUpdateInput = z
  .object({
    status: z.optional(z.enum(['contacted', 'resolved', 'no-answer'])),
    note: z.optional(
      z
        .string()
        .check(
          z.trim(),
          z.minLength(1, 'must not be empty'),
          z.maxLength(2000, 'must be at most 2000 characters'),
        ),
    ),
  })
  .check(
    z.refine(
      (input) => input.status !== undefined || input.note !== undefined,
      'give a status, a note, or both',
    ),
  );
export type CaseUpdateInput = z.infer<typeof CaseUpdateInput>;
