import { describe, expect, it } from 'vitest';
import {
  addFollowUpCounts,
  bucketQuantile,
  type CaseCountState,
  CONTACT_HOUR_EDGES,
  callDelta,
  closedDelta,
  contactBucketOf,
  followUpCountsOfItem,
  followUpFiguresOf,
  noFollowUpCounts,
} from '../../../functions/domain/follow-up-outcomes';

const edges = CONTACT_HOUR_EDGES;
const buckets = (entries: Record<number, number>) =>
  Array.from({ length: edges.length + 1 }, (_, bucket) => entries[bucket] ?? 0);

describe('contactBucketOf', () => {
  it('puts a time on an edge in the bucket that edge closes', () => {
    expect(contactBucketOf(0)).toBe(0);
    expect(contactBucketOf(1)).toBe(0);
    expect(contactBucketOf(1.01)).toBe(1);
    expect(contactBucketOf(24)).toBe(5);
    expect(contactBucketOf(24.001)).toBe(6);
    expect(contactBucketOf(168)).toBe(8);
    expect(contactBucketOf(169)).toBe(9);
  });
});

describe('bucketQuantile', () => {
  it('is null without any count', () => {
    expect(bucketQuantile(buckets({}), edges, 0.5)).toBeNull();
  });

  it('puts the median of one case in the middle of its bucket', () => {
    // bucket (4, 8]: rank 0.5 of 1 → 4 + 4 × 0.5
    expect(bucketQuantile(buckets({ 3: 1 }), edges, 0.5)).toBe(6);
    expect(bucketQuantile(buckets({ 3: 1 }), edges, 0.9)).toBeCloseTo(7.6);
  });

  it('interpolates across buckets by the running count', () => {
    // 2 in (0, 1], 2 in (1, 2]: the median rank 2 ends the first bucket; p90 rank 3.6 is 0.8 into the second
    expect(bucketQuantile(buckets({ 0: 2, 1: 2 }), edges, 0.5)).toBe(1);
    expect(bucketQuantile(buckets({ 0: 2, 1: 2 }), edges, 0.9)).toBeCloseTo(1.8);
  });

  it('says a week for a quantile beyond the last edge (all late)', () => {
    expect(bucketQuantile(buckets({ 9: 3 }), edges, 0.5)).toBe(168);
    expect(bucketQuantile(buckets({ 6: 1, 9: 9 }), edges, 0.05)).toBe(36);
  });
});

const state: CaseCountState = { answeredAt: '2026-11-02T10:00:00.000Z', dueAt: '2026-11-03T10:00:00.000Z' };

describe('callDelta', () => {
  it('counts a first call on the due time as within the SLA, in the 24-hour bucket', () => {
    expect(callDelta(state, 'voicemail', '2026-11-03T10:00:00.000Z')).toEqual({
      fuCallsVoicemail: 1,
      fuContacted: 1,
      fuWithinSla: 1,
      fuContactH5: 1,
    });
  });

  it('counts a late first call that reaches the customer, and an escalated case handled', () => {
    expect(
      callDelta({ ...state, escalatedAt: '2026-11-03T10:05:00.000Z' }, 'reached', '2026-11-03T10:00:01.000Z'),
    ).toEqual({
      fuCallsReached: 1,
      fuContacted: 1,
      fuLate: 1,
      fuContactH6: 1,
      fuEscalatedHandled: 1,
      fuReached: 1,
    });
  });

  it('counts only the outcome of a later call', () => {
    const called = {
      ...state,
      firstContactAt: '2026-11-02T11:00:00.000Z',
      firstReachedAt: '2026-11-02T11:00:00.000Z',
    };
    expect(callDelta(called, 'reached', '2026-11-04T10:00:00.000Z')).toEqual({ fuCallsReached: 1 });
    expect(callDelta(called, 'no-answer', '2026-11-04T10:00:00.000Z')).toEqual({ fuCallsNoAnswer: 1 });
  });
});

describe('closedDelta', () => {
  it('counts the resolution, and a closing without any call', () => {
    expect(closedDelta({ ...state, firstContactAt: state.dueAt }, 'refund')).toEqual({ fuClosed_refund: 1 });
    expect(closedDelta({ ...state, escalatedAt: state.dueAt }, 'other')).toEqual({
      fuClosed_other: 1,
      fuClosedUncontacted: 1,
      fuEscalatedHandled: 1,
    });
  });
});

describe('followUpFiguresOf', () => {
  it('has no share and no times without cases', () => {
    const figures = followUpFiguresOf(noFollowUpCounts);
    expect(figures).toMatchObject({ opened: 0, slaShare: null, medianHoursToFirstContact: null, overdue: 0 });
  });

  it('sums items and derives the share, the waiting and the overdue cases', () => {
    const day = followUpCountsOfItem({
      fuOpened: 3,
      fuContacted: 2,
      fuWithinSla: 1,
      fuLate: 1,
      fuContactH2: 1,
      fuContactH6: 1,
      fuCallsReached: 2,
      fuEscalated: 2,
      fuEscalatedHandled: 1,
    });
    const other = followUpCountsOfItem({ fuOpened: 1, fuClosed_apology: 1, fuClosedUncontacted: 1 });
    const figures = followUpFiguresOf(addFollowUpCounts(day, other));
    expect(figures).toMatchObject({
      opened: 4,
      contacted: 2,
      withinSla: 1,
      late: 1,
      slaShare: 0.25,
      // ranks: 1 in (2, 4], 1 in (24, 48]; the median rank 1 ends the first
      medianHoursToFirstContact: 4,
      p90HoursToFirstContact: 43.2,
      calls: { reached: 2, voicemail: 0, 'no-answer': 0 },
      closed: 1,
      closedWithoutCall: 1,
      awaitingContact: 1,
      escalated: 2,
      overdue: 1,
    });
  });
});
