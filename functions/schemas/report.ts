import * as z from 'zod/mini';
import type { FollowUpFigures } from '../domain/follow-up-outcomes';
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

export interface PeriodFigures extends NpsFigures {
  /** `2026-11-23`, `2026-W47` (ISO week) or `2026-11`. */
  readonly period: string;
  readonly from: string;
  readonly to: string;
}

export interface StoreFigures extends NpsFigures {
  readonly storeId: string;
  readonly name: string;
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
