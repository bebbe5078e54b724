import type { AnswerRepository, Settlement } from '../../functions/adapters/answer-repository';
import { StaleAnswerError } from '../../functions/adapters/answer-repository';
import type { SurveyRepository } from '../../functions/adapters/survey-repository';
import { aggregateKeysOf, periodsOf } from '../../functions/domain/aggregates';
import { answerKeyOf, MAX_ANSWERS } from '../../functions/domain/answer-trust';
import { type ThemeExample, type ThemeExamples, withExample } from '../../functions/domain/drivers';
import { followUpCountsOfItem } from '../../functions/domain/follow-up-outcomes';
import type { Theme } from '../../functions/domain/themes';
import type { StoredAnswer } from '../../functions/schemas/answer';
import type { SurveyRecord } from '../../functions/schemas/survey';

/** A survey as stored: the record, plus the sparse index attributes the schema does not parse. */
export type StoredSurvey = SurveyRecord & { testimonialShard?: string; commentStoreId?: string };

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The surveys table and the aggregates table in memory, behind the survey and answer repository
 * methods the pipeline uses, with the conditions of the DynamoDB ones (the integration tests run the
 * real ones): a survey is created once, marked sent once, reminded once, and counted only at the
 * version it was read at. `calls` logs every write in order.
 */
export const createSurveyTables = () => {
  const surveys = new Map<string, StoredSurvey>();
  /** `scope|period` → counts. */
  const aggregates = new Map<string, Record<string, number>>();
  /** `scope|period` → example comments per theme (the `themeExamples` attribute). */
  const examples = new Map<string, ThemeExamples>();
  const calls: string[] = [];
  /** Runs before each `settle`, as if another writer got there first (a newer answer, a crash). */
  const beforeCount: (() => void)[] = [];

  const addTo = (scope: string, period: string, delta: Readonly<Record<string, number>>) => {
    const key = `${scope}|${period}`;
    const item = aggregates.get(key) ?? {};
    for (const [name, amount] of Object.entries(delta)) item[name] = (item[name] ?? 0) + amount;
    aggregates.set(key, item);
  };

  const surveyRepository = {
    get: async (token: string): Promise<SurveyRecord | undefined> => {
      const survey = surveys.get(token);
      if (survey === undefined) return undefined;
      const { testimonialShard: _t, commentStoreId: _c, ...record } = copy(survey);
      return record;
    },
    create: async (survey: SurveyRecord) => {
      calls.push(`surveys.create ${survey.token}`);
      if (surveys.has(survey.token)) throw new Error(`survey ${survey.token} exists`);
      surveys.set(survey.token, copy(survey));
    },
    discard: async (token: string) => {
      calls.push(`surveys.discard ${token}`);
      if (surveys.get(token)?.status === 'sending') surveys.delete(token);
    },
    markSent: async (
      token: string,
      sentAt: string,
      reminder: { shard: string; dueAt: string } | undefined,
      storeId: string,
    ) => {
      calls.push(`surveys.markSent ${token}`);
      const survey = surveys.get(token);
      if (survey?.status !== 'sending') return false;
      Object.assign(survey, {
        status: 'sent',
        sentAt,
        ...(reminder && { reminderShard: reminder.shard, reminderDueAt: reminder.dueAt }),
      });
      for (const { scope, period } of aggregateKeysOf(storeId, periodsOf(sentAt)))
        addTo(scope, period, { invited: 1 });
      return true;
    },
    setReminderLinkKey: async (token: string, reminderLinkKey: string) => {
      calls.push(`surveys.setReminderLinkKey ${token}`);
      const survey = surveys.get(token);
      if (survey === undefined || survey.reminderLinkKey !== undefined) return false;
      survey.reminderLinkKey = reminderLinkKey;
      return true;
    },
    removeReminderLinkKey: async (token: string, reminderLinkKey: string) => {
      calls.push(`surveys.removeReminderLinkKey ${token}`);
      const survey = surveys.get(token);
      if (survey?.reminderLinkKey === reminderLinkKey) delete survey.reminderLinkKey;
    },
    keyOfReminderLink: async (reminderLinkKey: string) =>
      [...surveys.values()].find((survey) => survey.reminderLinkKey === reminderLinkKey)?.token,
    restoreReminder: async (token: string, shard: string, dueAt: string) => {
      calls.push(`surveys.restoreReminder ${token}`);
      const survey = surveys.get(token);
      if (survey === undefined || survey.reminderShard !== undefined || survey.reminderSentAt !== undefined)
        return false;
      Object.assign(survey, { reminderShard: shard, reminderDueAt: dueAt });
      return true;
    },
    markReminderSent: async (token: string, at: string) => {
      calls.push(`surveys.markReminderSent ${token}`);
      const survey = surveys.get(token);
      if (survey === undefined || survey.reminderSentAt !== undefined) return false;
      survey.reminderSentAt = at;
      return true;
    },
  };

  const answerRepository = {
    settle: async (token: string, settlement: Settlement) => {
      const { version, previous, counting, verdicts, deltas, settled } = settlement;
      calls.push(`answers.settle ${token} v${version}`);
      for (const hook of beforeCount.splice(0, 1)) hook();
      const survey = surveys.get(token);
      if (
        survey === undefined ||
        survey.version !== version ||
        (previous === undefined ? survey.counted !== undefined : survey.counted?.version !== previous.version)
      ) {
        throw new StaleAnswerError('survey changed while counting');
      }
      for (const { scope, period, delta } of deltas) addTo(scope, period, delta);
      for (const [index, verdict] of verdicts) {
        const answer = survey.answers?.[index];
        if (answer !== undefined) answer.verdict = copy(verdict);
      }
      if (counting !== undefined) {
        Object.assign(survey, {
          counted: copy(counting.counted),
          answer: copy(counting.answer),
          status: 'responded',
        });
        delete survey.reminderShard;
        if (counting.testimonialShard) survey.testimonialShard = counting.testimonialShard;
        else delete survey.testimonialShard;
        if (counting.commentStoreId) survey.commentStoreId = counting.commentStoreId;
        else delete survey.commentStoreId;
        if (counting.winBack) survey.winBack = copy(counting.winBack);
      }
      if (settled) delete survey.countShard;
    },
    /** As `AnswerRepository.record`: one conditional write on the survey's key, no read before it. */
    record: async (token: string, given: StoredAnswer, answerKey: string, countShard: string) => {
      calls.push(`answers.record ${token}`);
      const survey = surveys.get(token);
      if (survey === undefined) return { outcome: 'missing' as const };
      const record = () => {
        const { testimonialShard: _t, commentStoreId: _c, ...rest } = copy(survey);
        return rest;
      };
      if (survey.expiresAt <= given.at) return { outcome: 'expired' as const };
      if (survey.answerKey === answerKey) return { outcome: 'duplicate' as const, survey: record() };
      if ((survey.answers?.length ?? 0) >= MAX_ANSWERS) return { outcome: 'full' as const, survey: record() };
      Object.assign(survey, {
        answerKey,
        version: (survey.version ?? 0) + 1,
        answeredAt: given.at,
        countShard,
        firstAnsweredAt: survey.firstAnsweredAt ?? given.at,
        answers: [...(survey.answers ?? []), copy(given)],
      });
      return { outcome: 'recorded' as const, survey: record() };
    },
    noteHoneypot: async (token: string, at: string) => {
      const survey = surveys.get(token);
      if (survey === undefined) return false;
      survey.honeypotAt = at;
      return true;
    },
    noteFollowUp: async (token: string, score: number, answerKey: string, at: string) => {
      calls.push(`answers.noteFollowUp ${token}`);
      const survey = surveys.get(token);
      if (survey === undefined) return;
      survey.followUpScore = score;
      survey.followUpAnswerKey = answerKey;
      survey.followUpQueuedAt ??= at;
    },
    readFollowUp: async (scope: string, period: string) =>
      followUpCountsOfItem(aggregates.get(`${scope}|${period}`) ?? {}),
    readAggregate: async (scope: string, period: string) => {
      const item = aggregates.get(`${scope}|${period}`) ?? {};
      return {
        promoters: item.promoters ?? 0,
        passives: item.passives ?? 0,
        detractors: item.detractors ?? 0,
      };
    },
  };

  /**
   * Records an answer as `AnswerRepository.record` does: appended to the answers, one version up, in
   * the `answersToCount` index until decided and counted. A person's answer (`form`) by default.
   */
  const answer = (token: string, given: Omit<StoredAnswer, 'reasons' | 'source'> & Partial<StoredAnswer>) => {
    const survey = surveys.get(token);
    if (survey === undefined) throw new Error(`no survey ${token}`);
    const stored: StoredAnswer = { reasons: [], source: 'form', ...given };
    Object.assign(survey, {
      answerKey: answerKeyOf(stored),
      version: (survey.version ?? 0) + 1,
      answeredAt: stored.at,
      countShard: '0',
      firstAnsweredAt: survey.firstAnsweredAt ?? stored.at,
      answers: [...(survey.answers ?? []), stored],
    });
  };

  const isDriverCount = (name: string) => /^(dr|rs|th)_/.test(name);
  const only = (scope: string, period: string, keep: (name: string) => boolean) =>
    Object.fromEntries(
      Object.entries(aggregates.get(`${scope}|${period}`) ?? {}).filter(([name]) => keep(name)),
    );
  /** The counts of one aggregate item, only the attributes ever written, the drivers' left out. */
  const aggregate = (scope: string, period: string) => only(scope, period, (name) => !isDriverCount(name));
  /** The drivers' counts of one aggregate item (reasons and comment themes per category). */
  const drivers = (scope: string, period: string) => only(scope, period, isDriverCount);

  /** As `AggregateRepository.recordThemeExample`. */
  const themeExampleRepository = {
    recordThemeExample: async (
      storeId: string,
      month: string,
      surveyId: string,
      example: ThemeExample | undefined,
      themes: readonly Theme[],
    ) => {
      calls.push(`aggregates.recordThemeExample ${surveyId}`);
      const key = `store#${storeId}|${month}`;
      examples.set(key, withExample(examples.get(key) ?? {}, surveyId, example, themes));
    },
  };

  return {
    surveys,
    aggregates,
    calls,
    beforeCount,
    answer,
    aggregate,
    drivers,
    examples,
    themeExampleRepository,
    /** Only the methods above exist: a use case calling another one fails its test. */
    surveyRepository: surveyRepository as typeof surveyRepository & SurveyRepository,
    answerRepository: answerRepository as typeof answerRepository & AnswerRepository,
  };
};

export type SurveyTables = ReturnType<typeof createSurveyTables>;

/** A survey sent to customer C1 of store S1 on 1 November 2026, open until 1 December. */
export const sentSurvey = (overrides: Partial<StoredSurvey> = {}): StoredSurvey => ({
  token: 'tok-aaaaaaaaaaaaaaaaaaaaaa',
  surveyId: 'sv-1',
  customerId: 'C1',
  storeId: 'S1',
  locale: 'en',
  cycleAt: '2026-11-01T09:00:00.000Z',
  status: 'sent',
  createdAt: '2026-11-01T09:00:00.000Z',
  sentAt: '2026-11-01T09:00:00.000Z',
  expiresAt: '2026-12-01T09:00:00.000Z',
  ...overrides,
});
