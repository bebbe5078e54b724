import * as z from 'zod/mini';
import type { DriversFigures, ThemeExamples } from '../domain/drivers';
import type { FollowUpFigures } from '../domain/follow-up-outcomes';
import type { WinBackFigures } from '../domain/win-back';
import { identifier, isoDate } from './common';

/** What a report covers: a range of UTC days (both included), split into days, weeks or months. */
export const ReportQuery = z.object({
  from: isoDate(),
  to: isoDate(),
  by: z._default(z.enum(['day', 'week', 'month']), 'month'),
  store: z.optional(identifier()),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

/** NPS figures for one scope and period, all from the exact aggregates. */
export interface NpsFigures {
  readonly responses: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** %promoters − %detractors (−100…100); null without responses. */
  readonly nps: number | null;
  /** Half-width of the 95% interval (adjusted Wald), in NPS points; null without responses. */
  readonly marginOfError: number | null;
  /** Fewer than 30 responses: too few to compare. */
  readonly lowConfidence: boolean;
  /** Invitations sent in the period (first invitations; reminders are not counted). */
  readonly invited: number;
  /** Responses ÷ invitations sent in the same period; null when none were sent. */
  readonly responseRate: number | null;
  /** How many answered 0, 1, … 10. */
  readonly histogram: readonly number[];
  /**
   * Automatic answers discarded as link scanners' (a burst of scores, the hidden link, an automated
   * browser): counted in no figure above, shown so that scanner traffic is seen, not silently dropped.
   */
  readonly scannerAnswersDiscarded: number;
}

/** An NPS against another (a period against the previous one, a store against the rest). */
export interface NpsChange {
  /** This NPS minus the other, in points. */
  readonly difference: number;
  /** The difference over its standard error (adjusted-Wald estimates of both samples). */
  readonly z: number;
  /** |z| > 1.96: significant at 95%; otherwise within noise. */
  readonly significant: boolean;
}

/** What a "statistically valid sample" still takes: responses and invitations for ±10 points. */
export interface SampleNeeded {
  /** The margin of error aimed at (95%), in NPS points: 10. */
  readonly targetMargin: number;
  /** Responses still needed, at the current promoter and detractor shares (0 when reached). */
  readonly moreResponses: number;
  /** moreResponses ÷ the response rate, rounded up; null when no invitation was answered. */
  readonly moreInvitations: number | null;
}

export interface PeriodFigures extends NpsFigures {
  /** `2026-11-23`, `2026-W47` (ISO week) or `2026-11`. */
  readonly period: string;
  readonly from: string;
  readonly to: string;
  /** Against the previous period of the report; null for the first or when either has no responses. */
  readonly change: NpsChange | null;
}

/** One store in one period: its NPS, the change, the store against the rest, the sample needed. */
export interface StorePeriodSignificance {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly responses: number;
  readonly nps: number | null;
  readonly marginOfError: number | null;
  readonly lowConfidence: boolean;
  readonly responseRate: number | null;
  /** Against the store's previous period in the report; null for the first or without responses. */
  readonly change: NpsChange | null;
  /** Against the rest (see `Report.significance.rest`) in the same period; null when either is empty. */
  readonly vsRest: NpsChange | null;
  readonly sampleNeeded: SampleNeeded;
}

export interface StoreFigures extends NpsFigures {
  readonly storeId: string;
  readonly name: string;
  /** The store against the rest over the whole range; null when either has no responses. */
  readonly vsRest: NpsChange | null;
  /** Responses and invitations still needed for ±10 points over the range. */
  readonly sampleNeeded: SampleNeeded;
  /** The store period by period, with its significance figures. */
  readonly trend: readonly StorePeriodSignificance[];
}

/** How changes are tested and what a store is compared with. */
export interface SignificanceMethod {
  readonly method: 'adjusted-wald-z-95';
  readonly targetMargin: number;
  /**
   * What a store is compared with, never including the store itself (so the samples are independent):
   * `rest-of-chain` (everyone's aggregate minus the store) for readers who see every store,
   * `rest-of-stores-seen` (the other stores of the report) for managers.
   */
  readonly rest: 'rest-of-chain' | 'rest-of-stores-seen';
}

export interface Report {
  readonly from: string;
  readonly to: string;
  readonly by: 'day' | 'week' | 'month';
  readonly method: 'adjusted-wald-95';
  /** `all` or the one store asked for. */
  readonly scope: string;
  readonly overall: NpsFigures;
  readonly periods: readonly PeriodFigures[];
  /** Every store the reader may see, best NPS first (stores without responses last). */
  readonly stores: readonly StoreFigures[];
  /** Detractor follow-up outcomes, counted by the period in which each case was opened. */
  readonly followUp: FollowUpReport;
  readonly significance: SignificanceMethod;
  /** Competitor and industry NPS figures, each with our gap to it (see `BenchmarkComparison`). */
  readonly benchmarks: readonly BenchmarkComparison[];
  /** What customers named as the reasons of their score, and the themes of their comments. */
  readonly drivers: DriversReport;
  /** Detractors won back at their next survey, called against never reached, with 95% intervals. */
  readonly winBack: WinBackReport;
  /** Consented testimonials of the calendar year of `to`, per store and chain, against the yearly target. */
  readonly testimonials?: TestimonialsReport;
}

/**
 * The drivers overall, per period and per store (in the order of `stores`), from the aggregates:
 * the reasons picked on the survey page and the themes of the comments, each with its mentions by
 * category and the NPS of those who named it, and for the themes the latest example comments of the
 * stores seen (kept in the aggregates, at most three per theme, store and month). Only answers counted
 * since drivers are counted are in these figures (`answers`).
 */
export interface DriversReport {
  readonly overall: DriversFigures & { readonly examples: ThemeExamples };
  readonly periods: readonly ({ readonly period: string } & DriversFigures)[];
  readonly stores: readonly ({
    readonly storeId: string;
    readonly name: string;
    readonly examples: ThemeExamples;
  } & DriversFigures)[];
}

/**
 * Win-back overall, per period and per store (in the order of `stores`), from the aggregates: counted in
 * the period of the next survey's answer, in the store whose case it was.
 */
export interface WinBackReport {
  /** Shares: adjusted Wald (Agresti–Coull); the difference: Agresti–Caffo; both 95%. */
  readonly method: 'adjusted-wald-95';
  readonly overall: WinBackFigures;
  readonly periods: readonly ({ readonly period: string } & WinBackFigures)[];
  readonly stores: readonly ({ readonly storeId: string; readonly name: string } & WinBackFigures)[];
}

/** Progress towards a yearly testimonial target: consents standing, target, what remains, % reached. */
export interface TestimonialProgress {
  readonly consented: number;
  readonly target: number;
  readonly remaining: number;
  readonly percent: number;
  readonly reached: boolean;
}

export interface TestimonialsReport {
  readonly year: number;
  /** The target of a store that names none (`TESTIMONIAL_TARGET`). */
  readonly defaultTarget: number;
  /** Everyone's (or the stores seen), against the sum of their targets. */
  readonly overall: TestimonialProgress;
  readonly stores: readonly (TestimonialProgress & { readonly storeId: string; readonly name: string })[];
}

/** Follow-up figures overall, per period and per store (in the order of `stores`), from the aggregates. */
export interface FollowUpReport {
  readonly slaHours: number;
  readonly overall: FollowUpFigures;
  readonly periods: readonly ({ readonly period: string } & FollowUpFigures)[];
  readonly stores: readonly ({ readonly storeId: string; readonly name: string } & FollowUpFigures)[];
}

export interface LatestComment {
  readonly surveyId: string;
  readonly storeId: string;
  readonly score: number;
  readonly comment: string;
  readonly at: string;
}

/** What the dashboard shows: the report, the follow-ups and the latest comments. */
export interface DashboardData {
  readonly report: Report;
  readonly followUps: { readonly open: number; readonly overdue: number; readonly contacted: number };
  readonly latestComments: readonly LatestComment[];
  readonly viewer: { readonly user: string; readonly sees: 'all-stores' | 'own-stores' };
}

/**
 * A benchmark (a competitor's or the industry's NPS) against ours over the report's range. `gap` is our
 * NPS minus the benchmark's, with its significance: `two-sample` when the benchmark's sample size is
 * known (taken with no passives, the largest variance its NPS allows), `fixed-value` when it is not
 * (only our own variance counts).
 */
export interface BenchmarkComparison {
  readonly benchmarkId: string;
  readonly name: string;
  /** Its NPS, −100…100. */
  readonly value: number;
  /** The responses it rests on; null when unknown. */
  readonly sampleSize: number | null;
  /** The day the figure is of (YYYY-MM-DD). */
  readonly date: string;
  /** The store it is for; null for the whole chain. */
  readonly storeId: string | null;
  readonly test: 'two-sample' | 'fixed-value';
  /**
   * Ours minus theirs: the report's overall NPS for a chain-wide benchmark, the store's for a store
   * benchmark; null without responses.
   */
  readonly gap: NpsChange | null;
  /** Each store of the report against a chain-wide benchmark, in the order of `stores`; empty for a store benchmark. */
  readonly stores: readonly {
    readonly storeId: string;
    readonly name: string;
    readonly gap: NpsChange | null;
  }[];
}
