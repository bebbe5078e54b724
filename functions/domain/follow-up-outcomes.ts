/**
 * Follow-up outcomes counted into the aggregates: what each event of a case adds (opening, a call,
 * closing, escalation), and the figures a sum of them gives (SLA share, time to first contact,
 * outcomes, resolutions, overdue). Pure: the counts are written in the same transaction as the case
 * (see the case repository), in the store's and everyone's aggregates of the day and month (UTC) the
 * case was opened in.
 */
import { type CallOutcome, callOutcomes, type ResolutionKind, resolutionKinds } from '../schemas/case';
import { FIRST_CONTACT_HOURS } from './follow-up';

/**
 * Upper edges (hours, included) of the buckets of time from the answer to the first call; one more
 * bucket holds everything beyond the last edge (a week).
 */
export const CONTACT_HOUR_EDGES = [1, 2, 4, 8, 12, 24, 48, 72, 168] as const;

/** The bucket of a time to first contact: the first whose upper edge it does not pass. */
export const contactBucketOf = (hours: number) => {
  const index = CONTACT_HOUR_EDGES.findIndex((edge) => hours <= edge);
  return index === -1 ? CONTACT_HOUR_EDGES.length : index;
};

/** What the counts of an event depend on, as the case stands before it. */
export interface CaseCountState {
  readonly answeredAt: string;
  readonly dueAt: string;
  readonly firstContactAt?: string | undefined;
  readonly firstReachedAt?: string | undefined;
  readonly escalatedAt?: string | undefined;
}

const outcomeAttribute: Record<CallOutcome, string> = {
  reached: 'fuCallsReached',
  voicemail: 'fuCallsVoicemail',
  'no-answer': 'fuCallsNoAnswer',
};
const resolutionAttribute = (kind: ResolutionKind) => `fuClosed_${kind}`;
const contactBucketAttribute = (bucket: number) => `fuContactH${bucket}`;

export type FollowUpDelta = Record<string, number>;

export const openedDelta = (): FollowUpDelta => ({ fuOpened: 1 });

export const escalatedDelta = (): FollowUpDelta => ({ fuEscalated: 1 });

/**
 * A call at `at`: its outcome; if it is the case's first, a contact (within the 24-hour SLA or late,
 * and its bucket of time since the answer); if it is the first to reach the customer, a case reached;
 * and an escalated case no longer waiting.
 */
export const callDelta = (state: CaseCountState, outcome: CallOutcome, at: string): FollowUpDelta => {
  const delta: FollowUpDelta = { [outcomeAttribute[outcome]]: 1 };
  if (state.firstContactAt === undefined) {
    const hours = (Date.parse(at) - Date.parse(state.answeredAt)) / 3_600_000;
    delta.fuContacted = 1;
    delta[at <= state.dueAt ? 'fuWithinSla' : 'fuLate'] = 1;
    delta[contactBucketAttribute(contactBucketOf(hours))] = 1;
    if (state.escalatedAt !== undefined) delta.fuEscalatedHandled = 1;
  }
  if (outcome === 'reached' && state.firstReachedAt === undefined) delta.fuReached = 1;
  return delta;
};

/** Closing with a resolution: its kind; closed without any call, and no longer waiting if escalated. */
export const closedDelta = (state: CaseCountState, kind: ResolutionKind): FollowUpDelta => {
  const delta: FollowUpDelta = { [resolutionAttribute(kind)]: 1 };
  if (state.firstContactAt === undefined) {
    delta.fuClosedUncontacted = 1;
    if (state.escalatedAt !== undefined) delta.fuEscalatedHandled = 1;
  }
  return delta;
};

/** The follow-up counts of an aggregate item, or of a sum of them. */
export interface FollowUpCounts {
  readonly opened: number;
  readonly contacted: number;
  readonly withinSla: number;
  readonly late: number;
  readonly reached: number;
  readonly calls: Readonly<Record<CallOutcome, number>>;
  readonly resolutions: Readonly<Record<ResolutionKind, number>>;
  readonly closedUncontacted: number;
  readonly escalated: number;
  /** Escalated cases since called or closed. */
  readonly escalatedHandled: number;
  /** Cases per bucket of time to first contact (`CONTACT_HOUR_EDGES`, then beyond). */
  readonly contactHours: readonly number[];
}

const byKey = <K extends string>(keys: readonly K[], value: (key: K) => number) =>
  Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, number>;

export const followUpCountsOfItem = (item: Readonly<Record<string, unknown>>): FollowUpCounts => {
  const count = (name: string) => Number(item[name] ?? 0);
  return {
    opened: count('fuOpened'),
    contacted: count('fuContacted'),
    withinSla: count('fuWithinSla'),
    late: count('fuLate'),
    reached: count('fuReached'),
    calls: byKey(callOutcomes, (outcome) => count(outcomeAttribute[outcome])),
    resolutions: byKey(resolutionKinds, (kind) => count(resolutionAttribute(kind))),
    closedUncontacted: count('fuClosedUncontacted'),
    escalated: count('fuEscalated'),
    escalatedHandled: count('fuEscalatedHandled'),
    contactHours: Array.from({ length: CONTACT_HOUR_EDGES.length + 1 }, (_, bucket) =>
      count(contactBucketAttribute(bucket)),
    ),
  };
};

export const noFollowUpCounts = followUpCountsOfItem({});

export const addFollowUpCounts = (a: FollowUpCounts, b: FollowUpCounts): FollowUpCounts => ({
  opened: a.opened + b.opened,
  contacted: a.contacted + b.contacted,
  withinSla: a.withinSla + b.withinSla,
  late: a.late + b.late,
  reached: a.reached + b.reached,
  calls: byKey(callOutcomes, (outcome) => a.calls[outcome] + b.calls[outcome]),
  resolutions: byKey(resolutionKinds, (kind) => a.resolutions[kind] + b.resolutions[kind]),
  closedUncontacted: a.closedUncontacted + b.closedUncontacted,
  escalated: a.escalated + b.escalated,
  escalatedHandled: a.escalatedHandled + b.escalatedHandled,
  contactHours: a.contactHours.map((value, bucket) => value + (b.contactHours[bucket] ?? 0)),
});

/**
 * The `p`-quantile (0 < p ≤ 1) of a bucketed distribution, interpolated linearly inside its bucket
 * (bucket i spans (edge i−1, edge i], the first from 0): the rank p × n falls in the bucket where the
 * running count reaches it. A quantile in the open last bucket is its lower edge (the last edge: "at
 * least"). Null without any count.
 */
export const bucketQuantile = (counts: readonly number[], edges: readonly number[], p: number) => {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = p * total;
  let before = 0;
  for (const [bucket, count] of counts.entries()) {
    if (count > 0 && before + count >= rank) {
      const low = bucket === 0 ? 0 : (edges[bucket - 1] as number);
      const high = edges[bucket];
      if (high === undefined) return low;
      return low + ((high - low) * (rank - before)) / count;
    }
    before += count;
  }
  return edges.at(-1) ?? null;
};

/** The follow-up figures of a store or chain over some periods, from the summed counts. */
export interface FollowUpFigures {
  /** Cases opened (one per detractor). */
  readonly opened: number;
  /** Cases with a first call (whatever came of it). */
  readonly contacted: number;
  /** First calls within 24 hours of the answer (the SLA), and after. */
  readonly withinSla: number;
  readonly late: number;
  /** withinSla ÷ cases opened; null without cases. */
  readonly slaShare: number | null;
  /** Estimated from the buckets below; null without contacts; 168 means a week or more. */
  readonly medianHoursToFirstContact: number | null;
  readonly p90HoursToFirstContact: number | null;
  readonly timeToFirstContact: readonly { readonly upToHours: number | null; readonly cases: number }[];
  /** Calls by outcome (every call, not only the first). */
  readonly calls: Readonly<Record<CallOutcome, number>>;
  /** Cases where a call reached the customer. */
  readonly reached: number;
  /** Cases closed, by resolution. */
  readonly resolutions: Readonly<Record<ResolutionKind, number>>;
  readonly closed: number;
  readonly closedWithoutCall: number;
  /** Cases with neither a call nor a closing yet (due or not). */
  readonly awaitingContact: number;
  /** Cases escalated (past due with no call). */
  readonly escalated: number;
  /** Escalated cases still without a call and not closed: the overdue ones, as of the last escalation sweep. */
  readonly overdue: number;
}

const round1 = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export const followUpFiguresOf = (counts: FollowUpCounts): FollowUpFigures => {
  const closed = resolutionKinds.reduce((sum, kind) => sum + counts.resolutions[kind], 0);
  return {
    opened: counts.opened,
    contacted: counts.contacted,
    withinSla: counts.withinSla,
    late: counts.late,
    slaShare: counts.opened === 0 ? null : counts.withinSla / counts.opened,
    medianHoursToFirstContact: round1(bucketQuantile(counts.contactHours, CONTACT_HOUR_EDGES, 0.5)),
    p90HoursToFirstContact: round1(bucketQuantile(counts.contactHours, CONTACT_HOUR_EDGES, 0.9)),
    timeToFirstContact: counts.contactHours.map((cases, bucket) => ({
      upToHours: CONTACT_HOUR_EDGES[bucket] ?? null,
      cases,
    })),
    calls: counts.calls,
    reached: counts.reached,
    resolutions: counts.resolutions,
    closed,
    closedWithoutCall: counts.closedUncontacted,
    awaitingContact: counts.opened - counts.contacted - counts.closedUncontacted,
    escalated: counts.escalated,
    overdue: counts.escalated - counts.escalatedHandled,
  };
};

/** The SLA in hours, for the texts that name it. */
export const SLA_HOURS = FIRST_CONTACT_HOURS;
