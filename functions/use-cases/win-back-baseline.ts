import type { CaseOutcomeReader } from '../adapters/case-outcomes';
import { previousDetractorSurvey, winBackGroupOf } from '../domain/win-back';
import type { SurveyRecord } from '../schemas/survey';
import type { WinBackBaseline } from '../schemas/win-back';

/**
 * The win-back baseline of a survey whose answer is counted: the one it keeps, or, at its first count,
 * the customer's previous survey if they were a detractor at it, with where its case stands now (read
 * once: the survey keeps it from then on, so a changed answer moves within the same group). None for
 * a survey counted before win-back was (its first count added nothing to move).
 */
export const winBackBaselineOf = async (
  cases: Pick<CaseOutcomeReader, 'caseAtNextSurvey'>,
  survey: Pick<SurveyRecord, 'surveyId' | 'counted' | 'winBack'>,
  history: readonly { readonly surveyId: string; readonly score?: number | undefined }[],
): Promise<WinBackBaseline | undefined> => {
  if (survey.winBack !== undefined || survey.counted !== undefined) return survey.winBack;
  const previous = previousDetractorSurvey(history, survey.surveyId);
  const caseRecord = previous && (await cases.caseAtNextSurvey(previous.surveyId));
  return previous && caseRecord
    ? { ...previous, storeId: caseRecord.storeId, group: winBackGroupOf(caseRecord) }
    : undefined;
};
