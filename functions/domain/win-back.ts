/**
 * Win-back: of the detractors whose case was closed after a call reached them, the share who answered
 * their next relationship survey as passives or promoters, against detractors no call ever reached
 * (the control group). Pure functions: which group a case is in when the next survey is answered, what
 * counting the next survey's answer adds to the aggregates, and the figures a sum of those counts
 * gives, with adjusted-Wald intervals (Agresti–Coull for a share, Agresti–Caffo for the difference).
 * See docs/decisions.md, "Win-back and its control group".
 */
import type { WinBackBaseline, WinBackGroup } from '../schemas/win-back';
import { aggregateKeysOf } from './aggregates';
import { categoryOf, MIN_RESPONSES_FOR_CONFIDENCE, type NpsCategory, type Tally, Z_95 } from './nps';

/** A detractor's case as their next survey's answer is first counted: the fields its group follows from. */
export interface CaseAtNextSurvey {
  readonly status: string;
  readonly firstReachedAt?: string | undefined;
}

/** Closed after a call reached the customer: called; never reached: the control; reached, still open: neither. */
export const winBackGroupOf = (caseRecord: CaseAtNextSurvey): WinBackGroup =>
  caseRecord.firstReachedAt === undefined
    ? 'not-reached'
    : caseRecord.status === 'closed'
      ? 'called'
      : 'reached-open';

/** The groups that are counted, and the prefix of their aggregate attributes. */
const groupPrefix = { called: 'wbCalled', 'not-reached': 'wbNotReached' } as const;
type CountedGroup = keyof typeof groupPrefix;
const categorySuffix: Record<NpsCategory, string> = {
  promoter: 'Promoters',
  passive: 'Passives',
  detractor: 'Detractors',
};
const attributeOf = (group: CountedGroup, category: NpsCategory) =>
  `${groupPrefix[group]}${categorySuffix[category]}`;

/**
 * What counting the next survey's answer adds for the win-back, when its counted score goes from
 * `before` (none the first time) to `after`: the group's category counts (`wbCalledPromoters`, …,
 * `wbNotReachedDetractors`). A changed answer moves one unit between categories; nothing for a
 * survey without a baseline or in neither group.
 */
export const winBackDelta = (
  baseline: Pick<WinBackBaseline, 'group'> | undefined,
  before: number | undefined,
  after: number,
): Record<string, number> => {
  if (baseline === undefined || baseline.group === 'reached-open') return {};
  const group = baseline.group;
  const delta: Record<string, number> = {};
  if (before !== undefined) delta[attributeOf(group, categoryOf(before))] = -1;
  const added = attributeOf(group, categoryOf(after));
  delta[added] = (delta[added] ?? 0) + 1;
  return Object.fromEntries(Object.entries(delta).filter(([, amount]) => amount !== 0));
};

/**
 * The win-back changes of counting a survey's answer, in the aggregates of the store whose case it was
 * (where the customer was a detractor) and everyone's, for the periods the answer is counted in.
 */
export const winBackDeltas = (
  baseline: WinBackBaseline | undefined,
  periods: { day: string; month: string },
  before: number | undefined,
  after: number,
) => {
  const delta = winBackDelta(baseline, before, after);
  if (baseline === undefined || Object.keys(delta).length === 0) return [];
  return aggregateKeysOf(baseline.storeId, periods).map((key) => ({ ...key, delta }));
};

/** The next-survey answers of each group, by category, in an aggregate item or a sum of them. */
export interface WinBackCounts {
  readonly called: Tally;
  readonly notReached: Tally;
}

const tallyOf = (item: Readonly<Record<string, unknown>>, group: CountedGroup): Tally => {
  const count = (category: NpsCategory) => Number(item[attributeOf(group, category)] ?? 0);
  return { promoters: count('promoter'), passives: count('passive'), detractors: count('detractor') };
};

export const winBackCountsOfItem = (item: Readonly<Record<string, unknown>>): WinBackCounts => ({
  called: tallyOf(item, 'called'),
  notReached: tallyOf(item, 'not-reached'),
});

export const noWinBackCounts = /* @__PURE__ */ winBackCountsOfItem({});

const addTallies = (a: Tally, b: Tally): Tally => ({
  promoters: a.promoters + b.promoters,
  passives: a.passives + b.passives,
  detractors: a.detractors + b.detractors,
});

export const addWinBackCounts = (a: WinBackCounts, b: WinBackCounts): WinBackCounts => ({
  called: addTallies(a.called, b.called),
  notReached: addTallies(a.notReached, b.notReached),
});

/** A group's win-back: how many answered their next survey, how many came back, the share and its 95% interval. */
export interface WinBackRate {
  /** Detractors of the group who answered their next survey. */
  readonly answered: number;
  /** Of them, passives or promoters this time. */
  readonly wonBack: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** wonBack ÷ answered (0…1); null when none answered. */
  readonly rate: number | null;
  /** The 95% interval of the share (Agresti–Coull), clipped to 0…1; null when none answered. */
  readonly low: number | null;
  readonly high: number | null;
  /** Half-width of that interval (0…1); null when none answered. */
  readonly marginOfError: number | null;
  /** Fewer than 30 answered: too few to compare. */
  readonly lowConfidence: boolean;
}

/** Called against not reached: the difference of the shares, its 95% interval and whether it is significant. */
export interface WinBackDifference {
  /** rate(called) − rate(not reached), as observed (−1…1). */
  readonly difference: number;
  /** The 95% interval of the difference (Agresti–Caffo), clipped to −1…1. */
  readonly low: number;
  readonly high: number;
  /** The adjusted difference over its standard error. */
  readonly z: number;
  /** |z| > 1.96: the interval leaves out 0. */
  readonly significant: boolean;
}

export interface WinBackFigures {
  readonly called: WinBackRate;
  readonly notReached: WinBackRate;
  /** Null when either group has no answers. */
  readonly difference: WinBackDifference | null;
}

const clip = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
const answeredOf = (tally: Tally) => tally.promoters + tally.passives + tally.detractors;

/**
 * The adjusted-Wald (Agresti–Coull) interval of a share x/n: ñ = n + z², p̃ = (x + z²/2)/ñ,
 * p̃ ± z·√(p̃(1 − p̃)/ñ) (Sauro and Lewis recommend it for small samples, as Rocks's adjustment for NPS).
 */
export const adjustedWaldShare = (successes: number, trials: number) => {
  const n = trials + Z_95 ** 2;
  const centre = (successes + Z_95 ** 2 / 2) / n;
  const margin = Z_95 * Math.sqrt((centre * (1 - centre)) / n);
  return { centre, margin, low: clip(centre - margin, 0, 1), high: clip(centre + margin, 0, 1) };
};

export const winBackRateOf = (tally: Tally): WinBackRate => {
  const answered = answeredOf(tally);
  const wonBack = tally.promoters + tally.passives;
  const interval = answered === 0 ? undefined : adjustedWaldShare(wonBack, answered);
  return {
    answered,
    wonBack,
    ...tally,
    rate: answered === 0 ? null : wonBack / answered,
    low: interval?.low ?? null,
    high: interval?.high ?? null,
    marginOfError: interval?.margin ?? null,
    lowConfidence: answered < MIN_RESPONSES_FOR_CONFIDENCE,
  };
};

/**
 * The difference of two independent shares with the Agresti–Caffo interval: one success and one
 * failure added to each, p̃ᵢ = (xᵢ + 1)/(nᵢ + 2), SE = √(Σ p̃ᵢ(1 − p̃ᵢ)/(nᵢ + 2)),
 * (p̃₁ − p̃₂) ± 1.96·SE. Undefined when either sample is empty.
 */
export const compareShares = (
  first: { successes: number; trials: number },
  second: { successes: number; trials: number },
): WinBackDifference | undefined => {
  if (first.trials === 0 || second.trials === 0) return undefined;
  const adjusted = ({ successes, trials }: { successes: number; trials: number }) => {
    const share = (successes + 1) / (trials + 2);
    return { share, variance: (share * (1 - share)) / (trials + 2) };
  };
  const a = adjusted(first);
  const b = adjusted(second);
  const centre = a.share - b.share;
  const standardError = Math.sqrt(a.variance + b.variance);
  const z = centre / standardError;
  return {
    difference: first.successes / first.trials - second.successes / second.trials,
    low: clip(centre - Z_95 * standardError, -1, 1),
    high: clip(centre + Z_95 * standardError, -1, 1),
    z,
    significant: Math.abs(z) > Z_95,
  };
};

export const winBackFiguresOf = (counts: WinBackCounts): WinBackFigures => {
  const called = winBackRateOf(counts.called);
  const notReached = winBackRateOf(counts.notReached);
  return {
    called,
    notReached,
    difference:
      compareShares(
        { successes: called.wonBack, trials: called.answered },
        { successes: notReached.wonBack, trials: notReached.answered },
      ) ?? null,
  };
};

/**
 * The survey just before `surveyId` in the customer's history, if the customer was a detractor at it
 * (its counted score, kept on the history): the baseline of a win-back. None for a first survey or one
 * missing from the history.
 */
export const previousDetractorSurvey = (
  history: readonly { readonly surveyId: string; readonly score?: number | undefined }[],
  surveyId: string,
) => {
  const index = history.findIndex((entry) => entry.surveyId === surveyId);
  const previous = index > 0 ? history[index - 1] : undefined;
  return previous?.score !== undefined && categoryOf(previous.score) === 'detractor'
    ? { surveyId: previous.surveyId, score: previous.score }
    : undefined;
};
