/**
 * Whether an NPS change is significant, and how many responses a given margin of error needs. Pure
 * functions on tallies, with the adjusted-Wald estimates of `nps.ts` (Rocks 2016; Sauro and Lewis):
 * n' = n + 3, p' = (P + ¾)/n', d' = (D + ¾)/n', NPS' = p' − d', Var = (p' + d' − (p' − d')²)/n'.
 * See docs/decisions.md, "Significance of NPS changes".
 */
import type { NpsChange, SampleNeeded } from '../schemas/report';
import { adjustedWald, type Tally, Z_95 } from './nps';

/** The margin of error (95%, NPS points) a "statistically valid sample" reaches. */
export const TARGET_MARGIN = 10;

const responsesOf = (tally: Tally) => tally.promoters + tally.passives + tally.detractors;

/**
 * The difference between the NPS of two independent samples (a − b, in the points the reader sees)
 * and whether it is significant at 95%: z = (NPS'₁ − NPS'₂) / √(Var₁/n'₁ + Var₂/n'₂) with the
 * adjusted-Wald estimates, significant when |z| > 1.96. Undefined when either sample is empty.
 */
export const compareNps = (a: Tally, b: Tally): NpsChange | undefined => {
  const n1 = responsesOf(a);
  const n2 = responsesOf(b);
  if (n1 === 0 || n2 === 0) return undefined;
  const first = adjustedWald(a);
  const second = adjustedWald(b);
  const z =
    (first.nps - second.nps) / Math.sqrt(first.unitVariance / first.n + second.unitVariance / second.n);
  return {
    difference: ((a.promoters - a.detractors) / n1 - (b.promoters - b.detractors) / n2) * 100,
    z,
    significant: Math.abs(z) > Z_95,
  };
};

/** What is left of a whole once a part is taken out (the rest of the chain without one store). */
export const restOf = (whole: Tally, part: Tally): Tally => ({
  promoters: Math.max(0, whole.promoters - part.promoters),
  passives: Math.max(0, whole.passives - part.passives),
  detractors: Math.max(0, whole.detractors - part.detractors),
});

/** Rounds up, after rounding to 9 decimals so that floating-point noise (132 / 0.3) never adds one. */
const roundUp = (value: number) => Math.ceil(Number(value.toFixed(9)));

/**
 * How many responses in all bring the margin of error down to `margin` points, if the adjusted shares
 * stay as they are: n' ≥ (1.96 · 100 / margin)² · (p' + d' − (p' − d')²), responses = ⌈n'⌉ − 3. An empty
 * tally has no shares: the worst case, p' = d' = ½ (variance 1), is used.
 */
export const responsesForMargin = (tally: Tally, margin = TARGET_MARGIN) => {
  const unitVariance = responsesOf(tally) === 0 ? 1 : adjustedWald(tally).unitVariance;
  return Math.max(0, roundUp(((Z_95 * 100) / margin) ** 2 * unitVariance) - 3);
};

/** The responses, and invitations at `responseRate`, still needed for a margin of `margin` points. */
export const sampleNeeded = (
  tally: Tally,
  responseRate: number | null,
  margin = TARGET_MARGIN,
): SampleNeeded => {
  const moreResponses = Math.max(0, responsesForMargin(tally, margin) - responsesOf(tally));
  return {
    targetMargin: margin,
    moreResponses,
    moreInvitations:
      responseRate === null || responseRate <= 0 ? null : roundUp(moreResponses / Math.min(1, responseRate)),
  };
};
