import { type FunctionManifest, timeoutSecondsOf } from '../../functions/resources/function-manifest';

/** An alarm on a function's metric: the sum (or maximum) over `periodMinutes` above `threshold`. */
export interface FunctionAlarm {
  readonly periodMinutes: number;
  readonly threshold: number;
  /** Consecutive periods above the threshold before the alarm fires. */
  readonly evaluationPeriods: number;
  /** What the alarm means, for the operator reading the notification (see docs/operations.md). */
  readonly description: string;
}

/**
 * When a function's errors (invocations that threw or timed out) raise an alarm, by how it is
 * invoked. API functions map every failure to a response, so one error is a bug or a timeout. Queue
 * and stream consumers report failed records without throwing, so errors are whole batches lost to
 * a crash or timeout: retried, yet a steady stream of them means work is stuck. A schedule is
 * retried by its next run: two failed runs in three intervals.
 */
export const errorsAlarmOf = (manifest: FunctionManifest): FunctionAlarm => {
  const { trigger } = manifest;
  switch (trigger.kind) {
    case 'http':
      return {
        periodMinutes: 5,
        threshold: 0,
        evaluationPeriods: 1,
        description: `${manifest.id} failed (threw or ran past ${timeoutSecondsOf(manifest)} s): its callers got a 5xx. ${manifest.description}.`,
      };
    case 'schedule':
      return {
        periodMinutes: 3 * trigger.everyMinutes,
        threshold: 1,
        evaluationPeriods: 1,
        description: `${manifest.id} (every ${trigger.everyMinutes} min) failed twice in ${3 * trigger.everyMinutes} minutes: its jobs are not running. ${manifest.description}.`,
      };
    case 'queue':
    case 'stream':
      return {
        periodMinutes: 5,
        threshold: 5,
        evaluationPeriods: 1,
        description: `${manifest.id} keeps failing whole batches (crash, timeout, or a service such as SES or DynamoDB refusing): they are retried, then dead-lettered. ${manifest.description}.`,
      };
  }
};

/** Any throttled invocation: the account's or the function's concurrency is exhausted. */
export const throttlesAlarmOf = (manifest: FunctionManifest): FunctionAlarm => ({
  periodMinutes: 5,
  threshold: 0,
  evaluationPeriods: 1,
  description: `Lambda throttled ${manifest.id}: the account's concurrency is exhausted (requests got 429/5xx, or work waits). Raise the account's concurrency quota or find the function that takes it.`,
});

/**
 * A stream consumer falling behind: its oldest record waited more than a minute, five minutes in a
 * row. The stream keeps records 24 hours; the tick recounts answers left uncounted.
 */
export const iteratorAgeAlarmOf = (manifest: FunctionManifest): FunctionAlarm => ({
  periodMinutes: 1,
  threshold: 60_000,
  evaluationPeriods: 5,
  description: `${manifest.id} is more than a minute behind its stream for five minutes: ${
    manifest.trigger.kind === 'stream' && manifest.trigger.table.id === 'WebhookEvents'
      ? 'webhook events are delivered late'
      : 'answers are counted and detractor alerts sent late'
  }. ${manifest.description}.`,
});

/** The HTTP API answered 5xx more than this many times in five minutes. */
export const api5xxAlarm = {
  periodMinutes: 5,
  threshold: 5,
  evaluationPeriods: 1,
  description:
    'The HTTP API answered more than five 5xx in five minutes (a function failing or timing out, or Lambda throttled): customers may not be able to answer or unsubscribe.',
} as const satisfies FunctionAlarm;
