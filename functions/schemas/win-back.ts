import * as z from 'zod/mini';
import { identifier } from './common';

/**
 * What had happened to a detractor's case when their next survey's answer was first counted:
 * - `called`: a call reached the customer and the case was closed;
 * - `not-reached`: no call ever reached the customer (never called, only voicemail or no answer, or
 *   closed without reaching them): the control group;
 * - `reached-open`: reached, but the case was still open; in neither group.
 */
export const winBackGroups = ['called', 'not-reached', 'reached-open'] as const;
export const WinBackGroup = z.enum(winBackGroups);
export type WinBackGroup = z.infer<typeof WinBackGroup>;

/**
 * Kept on a survey whose customer was a detractor at the survey before it, from its answer's first
 * count: that survey, its score, the store whose case it was and the case's group. A changed answer is
 * then recounted in the same group, with no read of the case.
 */
export const WinBackBaseline = z.object({
  surveyId: z.string(),
  score: z.number().check(z.int(), z.gte(0), z.lte(6)),
  storeId: identifier(),
  group: WinBackGroup,
});
export type WinBackBaseline = z.infer<typeof WinBackBaseline>;
