import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The business figures closeloop publishes to CloudWatch (embedded metric format, namespace `closeloop`). */
export type BusinessMetric =
  | 'InvitationsSent'
  | 'RemindersSent'
  | 'InvitationsDeferred'
  | 'AnswersRecorded'
  | 'HiddenLinkFetches'
  | 'ScannerAnswersDiscarded'
  | 'DetractorCasesOpened'
  | 'CasesContacted'
  | 'CasesContactedWithin24h';

let instance: Metrics | undefined;

/** Counts one occurrence (or `value`); nothing is built until a function first counts something. */
export const countMetric = (name: BusinessMetric, value = 1) => {
  instance ??= new Metrics({
    namespace: 'closeloop',
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'closeloop',
  });
  instance.addMetric(name, MetricUnit.Count, value);
};

/**
 * Wraps a handler so the figures it counted are flushed at the end of every invocation (one EMF log
 * line). Metrics are off where `POWERTOOLS_DEV` is set (locally and in tests), as Powertools does.
 */
export const publishingMetrics =
  <Event, Context, Result>(handler: (event: Event, context: Context) => Promise<Result>) =>
  async (event: Event, context: Context): Promise<Result> => {
    try {
      return await handler(event, context);
    } finally {
      if (instance?.hasStoredMetrics()) instance.publishStoredMetrics();
    }
  };
