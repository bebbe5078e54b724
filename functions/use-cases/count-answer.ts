import type { AnswerRepository } from '../adapters/answer-repository';
import { StaleAnswerError } from '../adapters/answer-repository';
import type { CaseOutcomeReader } from '../adapters/case-outcomes';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { Once } from '../adapters/idempotency';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { TaskQueue } from '../adapters/task-queue';
import type { ThemeExampleRepository } from '../adapters/theme-example-repository';
import type { WebhookOutbox } from '../adapters/webhook-outbox';
import { aggregateKeysOf, countDelta, periodsOf } from '../domain/aggregates';
import { driversOf } from '../domain/answer-drivers';
import { answerKeyOf, decideAnswers, firstAcceptedAt } from '../domain/answer-trust';
import { type DriverMarks, exampleText, reasonDelta } from '../domain/drivers';
import { languageOf } from '../domain/languages';
import { categoryOf, isTestimonialCandidate } from '../domain/nps';
import { dueShardOf } from '../domain/schedule';
import { type Theme, themesOf } from '../domain/themes';
import { responseEventOf } from '../domain/webhooks';
import { winBackDeltas } from '../domain/win-back';
import type { FollowUpTask, StoredAnswer } from '../schemas/answer';
import type { SurveyRecord } from '../schemas/survey';
import { winBackBaselineOf } from './win-back-baseline';

export interface CountAnswerDeps {
  readonly surveys: Pick<SurveyRepository, 'get'>;
  readonly answers: Pick<AnswerRepository, 'settle' | 'noteFollowUp'>;
  readonly customers: Pick<CustomerRepository, 'recordScore'>;
  /** Where the case of a detractor's previous survey stands (win-back), read at the first count. */
  readonly cases: Pick<CaseOutcomeReader, 'caseAtNextSurvey'>;
  readonly followUps: Pick<TaskQueue, 'sendAll'>;
  /** The answers queue: counting comes back when a held answer can be decided. */
  readonly recheck: Pick<TaskQueue, 'sendLater'>;
  /** The example comments of each theme, kept in the store's month aggregate. */
  readonly themeExamples: Pick<ThemeExampleRepository, 'recordThemeExample'>;
  readonly once: Once;
  /** The webhook outbox: `response.created` / `response.changed` for each answer that counts. */
  readonly webhookEvents?: Pick<WebhookOutbox, 'record'>;
  /** How long an automatic answer is held before it counts (see `decideAnswers`). */
  readonly holdSeconds: number;
  readonly clock?: () => Date;
}

export interface CountOutcome {
  readonly outcome: 'counted' | 'held' | 'nothing-to-count';
  /** Answers discarded as a link scanner's by this call. */
  readonly discarded: number;
}

/** One aggregate change per item (a transaction may touch each item once). */
const mergeDeltas = (
  changes: readonly { scope: string; period: string; delta: Record<string, number> }[],
) => {
  const merged = new Map<string, { scope: string; period: string; delta: Record<string, number> }>();
  for (const { scope, period, delta } of changes) {
    const entry = merged.get(`${scope}|${period}`) ?? { scope, period, delta: {} };
    for (const [name, amount] of Object.entries(delta)) entry.delta[name] = (entry.delta[name] ?? 0) + amount;
    merged.set(`${scope}|${period}`, entry);
  }
  return [...merged.values()];
};

/**
 * Decides a survey's new answers (a person's, or a link scanner's: see `decideAnswers`) and counts
 * the one that counts into the aggregates exactly once (a transaction conditioned on the survey's
 * version), with the discarded answers as their own figure. Feeds the score back to the customer
 * record, and hands a detractor to the store manager's follow-up queue: one task per detractor
 * survey, and a note on it if the customer later changes the answer. While an answer is held, comes
 * back through the answers queue when it can be decided. Every step is safe to repeat.
 *
 * The score and the hand-off come before the transaction, which is the write that takes the survey
 * out of the `answersToCount` index: a failure at any step leaves the answer uncounted, so it is
 * retried, and swept up by the tick if the retries run out. (Counting first would leave a counted
 * answer whose hand-off failed nowhere to be found again: a detractor without a case.)
 */
export const countAnswer = async (deps: CountAnswerDeps, token: string): Promise<CountOutcome> => {
  for (let attempt = 0; ; attempt++) {
    const survey = await deps.surveys.get(token);
    const answers = survey?.answers ?? [];
    if (survey === undefined || answers.length === 0 || survey.version === undefined) {
      return { outcome: 'nothing-to-count', discarded: 0 };
    }
    const now = (deps.clock ?? (() => new Date()))();
    const decision = decideAnswers(answers, {
      now,
      holdSeconds: deps.holdSeconds,
      ...(survey.honeypotAt !== undefined && { honeypotAt: survey.honeypotAt }),
      ...(survey.sentAt !== undefined && { sentAt: survey.sentAt }),
    });
    const countingIndex = decision.counting;
    const counting = countingIndex === undefined ? undefined : answers[countingIndex];
    let winBack: SurveyRecord['winBack'];
    if (counting !== undefined) {
      const history = await deps.customers.recordScore(survey.customerId, survey.surveyId, counting);
      await handOff(deps, survey, counting, countingIndex as number);
      winBack = await winBackBaselineOf(deps.cases, survey, history);
    }
    const countingVersion = countingIndex === undefined ? undefined : countingIndex + 1;
    const changesCount = counting !== undefined && survey.counted?.version !== countingVersion;
    // Before the counting transaction, like the hand-off: a failure leaves the answer to be counted
    // again, and the event (keyed by survey and version) is recorded once however often that happens.
    if (changesCount && counting !== undefined)
      await deps.webhookEvents?.record(
        responseEventOf(survey, counting, countingVersion as number, survey.counted?.score),
      );
    const newlyDiscarded = [...decision.verdicts.values()].filter((verdict) => verdict.kind === 'discarded');
    const settled = decision.heldUntil === undefined;
    const { day, month } =
      survey.counted ??
      periodsOf(firstAcceptedAt(answers, decision) ?? survey.firstAnsweredAt ?? now.toISOString());
    const periods = { day, month };
    const discardedDeltas = [...decision.verdicts]
      .filter(([, verdict]) => verdict.kind === 'discarded')
      .flatMap(([index]) =>
        aggregateKeysOf(survey.storeId, periodsOf((answers[index] as StoredAnswer).at)).map((key) => ({
          ...key,
          delta: { scannerAnswers: 1 },
        })),
      );
    const language = languageOf(survey.locale);
    const drivers = counting === undefined ? undefined : driversOf(counting, language);
    const countedDrivers = survey.counted?.drivers;
    const driversBefore: DriverMarks | undefined =
      survey.counted !== undefined && countedDrivers !== undefined
        ? { score: survey.counted.score, ...countedDrivers, themes: countedDrivers.themes as Theme[] }
        : undefined;
    const countDeltas =
      changesCount && counting !== undefined && drivers !== undefined
        ? [
            ...aggregateKeysOf(survey.storeId, periods).map((key) => ({
              ...key,
              delta: {
                ...countDelta(survey.counted?.score, counting.score),
                ...reasonDelta(driversBefore, { score: counting.score, ...drivers }),
              },
            })),
            ...winBackDeltas(winBack, periods, survey.counted?.score, counting.score),
          ]
        : [];
    // Before the transaction, like the hand-off: safe to repeat, and keyed by survey, so an answer
    // replaced before it counted leaves no example behind.
    if (
      changesCount &&
      counting !== undefined &&
      drivers !== undefined &&
      (drivers.themes.length > 0 ||
        answers.some((answer) => answer !== counting && themesOf(answer.comment, language).length > 0))
    ) {
      await deps.themeExamples.recordThemeExample(
        survey.storeId,
        month,
        survey.surveyId,
        drivers.themes.length === 0
          ? undefined
          : {
              surveyId: survey.surveyId,
              score: counting.score,
              comment: exampleText(counting.comment ?? ''),
              at: counting.at,
              day: day.slice('day#'.length),
            },
        drivers.themes,
      );
    }
    const leavesIndex = settled && survey.countShard !== undefined;
    if (decision.verdicts.size > 0 || changesCount || leavesIndex) {
      try {
        await deps.answers.settle(token, {
          version: survey.version,
          previous: survey.counted,
          ...(changesCount &&
            counting !== undefined && {
              counting: {
                counted: {
                  score: counting.score,
                  version: countingVersion as number,
                  day,
                  month,
                  ...(drivers !== undefined && { drivers }),
                },
                answer: {
                  ...counting,
                  verdict: counting.verdict ?? decision.verdicts.get(countingIndex as number),
                },
                ...(isTestimonialCandidate(counting) && { testimonialShard: dueShardOf(token) }),
                ...(counting.comment && { commentStoreId: survey.storeId }),
                ...(winBack && { winBack }),
              },
            }),
          verdicts: decision.verdicts,
          deltas: mergeDeltas([...countDeltas, ...discardedDeltas]),
          settled,
        });
      } catch (error) {
        // A newer answer came in meanwhile: read it, and decide (and count) again.
        if (error instanceof StaleAnswerError && attempt < 10) continue;
        throw error;
      }
    }
    if (!settled) {
      const seconds = Math.ceil((Date.parse(decision.heldUntil as string) - now.getTime()) / 1000) + 1;
      await deps.recheck.sendLater({ token }, Math.max(seconds, 1));
    }
    return {
      outcome: counting !== undefined ? 'counted' : settled ? 'nothing-to-count' : 'held',
      discarded: newlyDiscarded.length,
    };
  }
};

const handOff = async (deps: CountAnswerDeps, survey: SurveyRecord, answer: StoredAnswer, index: number) => {
  const answerKey = answerKeyOf(answer);
  const task: FollowUpTask | undefined =
    survey.followUpQueuedAt === undefined
      ? categoryOf(answer.score) === 'detractor'
        ? {
            kind: 'detractor',
            surveyId: survey.surveyId,
            customerId: survey.customerId,
            storeId: survey.storeId,
            score: answer.score,
            ...(answer.comment !== undefined && { comment: answer.comment }),
            reasons: answer.reasons,
            answeredAt: answer.at,
          }
        : undefined
      : // A changed score, or a comment added after the score was saved: the case is updated.
        survey.followUpAnswerKey !== answerKey
        ? {
            kind: 'answer-changed',
            surveyId: survey.surveyId,
            score: answer.score,
            ...(answer.comment !== undefined && { comment: answer.comment }),
            reasons: answer.reasons,
            answeredAt: answer.at,
          }
        : undefined;
  if (task === undefined) return;
  // One detractor task per survey, one note per changed answer: idempotent even when two counting
  // tasks for the same survey race.
  const key =
    task.kind === 'detractor' ? `follow-up:${survey.surveyId}` : `follow-up:${survey.surveyId}:v${index + 1}`;
  await deps.once(key, async () => {
    await deps.followUps.sendAll([task]);
    return {};
  });
  await deps.answers.noteFollowUp(survey.token, answer.score, answerKey, answer.at);
};
