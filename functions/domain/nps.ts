/** Net Promoter Score: classification, score and its margin of error. Pure functions. */

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** The scale of the question: 0 (not at all likely) to 10 (extremely likely). */
export const MIN_SCORE = 0;
export const MAX_SCORE = 10;

/** Whether a value is a score on the scale (a whole number from 0 to 10). */
export const isScore = (value: number) => Number.isInteger(value) && value >= MIN_SCORE && value <= MAX_SCORE;

/** 9-10 promoters, 7-8 passives, 0-6 detractors. */
export const categoryOf = (score: number): NpsCategory =>
  score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';

export interface Tally {
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
}

/** Below this many responses an NPS is too uncertain to compare (shown greyed out in reports). */
export const MIN_RESPONSES_FOR_CONFIDENCE = 30;

/** |z| above this is outside the 95% interval (two-sided). */
export const Z_95 = 1.96;

/**
 * The adjusted-Wald estimates of a tally (Rocks 2016): n' = n + 3, p' = (P + ¾)/n', d' = (D + ¾)/n',
 * NPS' = p' − d' (a fraction) and the variance of one response, p' + d' − (p' − d')².
 */
export const adjustedWald = ({ promoters, passives, detractors }: Tally) => {
  const n = promoters + passives + detractors + 3;
  const p = (promoters + 0.75) / n;
  const d = (detractors + 0.75) / n;
  return { n, nps: p - d, unitVariance: p + d - (p - d) ** 2 };
};

export interface NpsResult {
  readonly responses: number;
  /** %promoters − %detractors, from −100 to +100; undefined without responses. */
  readonly nps: number | undefined;
  /** Half-width of the 95% interval, in NPS points (adjusted Wald). */
  readonly marginOfError: number | undefined;
  readonly lowConfidence: boolean;
}

/**
 * NPS with its 95% margin of error. The margin uses the adjusted-Wald interval (Rocks 2016):
 * n' = n + 3, p' = (P + ¾)/n', d' = (D + ¾)/n', Var = (p' + d' − (p' − d')²)/n', which behaves better
 * than the plain Wald interval for small samples.
 */
export const npsOf = (tally: Tally): NpsResult => {
  const { promoters, passives, detractors } = tally;
  const n = promoters + passives + detractors;
  if (n === 0) return { responses: 0, nps: undefined, marginOfError: undefined, lowConfidence: true };
  const nps = ((promoters - detractors) / n) * 100;
  const adjusted = adjustedWald(tally);
  return {
    responses: n,
    nps,
    marginOfError: Z_95 * Math.sqrt(adjusted.unitVariance / adjusted.n) * 100,
    lowConfidence: n < MIN_RESPONSES_FOR_CONFIDENCE,
  };
};

/** A promoter who said why in words: someone marketing may ask for a testimonial. */
export const isTestimonialCandidate = (answer: { score: number; comment?: string }) =>
  categoryOf(answer.score) === 'promoter' && (answer.comment ?? '').trim() !== '';
