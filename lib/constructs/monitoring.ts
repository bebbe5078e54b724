import { Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  AlarmStatusWidgetSortBy,
  Dashboard,
  GraphWidget,
  type IWidget,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { queues } from '../../functions/resources/queues';
import {
  api5xxAlarm,
  errorsAlarmOf,
  type FunctionAlarm,
  iteratorAgeAlarmOf,
  throttlesAlarmOf,
} from '../defaults/alarm-defaults';
import type { AlarmTopic } from './alarm-topic';
import type { PublicHttpApi } from './http-api';
import type { NodeFunction } from './node-function';
import type { WorkQueues } from './work-queues';

export interface MonitoringProps {
  readonly alarms: AlarmTopic;
  readonly api: PublicHttpApi;
  readonly functions: readonly NodeFunction[];
  readonly queues: WorkQueues;
}

const minutes = (alarm: FunctionAlarm) => Duration.minutes(alarm.periodMinutes);
const oneMinute = Duration.minutes(1);

/**
 * The alarms every part of the stack gets and one CloudWatch dashboard. Alarms: 5xx answers of the
 * HTTP API; errors and throttles of every function, and the iterator age of every stream consumer
 * (thresholds in `lib/defaults/alarm-defaults.ts`). The dead-letter queues' and SES reputation
 * alarms are raised where those resources are built. The dashboard shows every alarm's state, then
 * the API, the functions, the queues and the business figures. Create it last: it lists the alarms
 * raised so far.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { alarms, api } = props;
    alarms.alarmAbove(
      'Api5xxAlarm',
      api.api.metricServerError({ period: minutes(api5xxAlarm), statistic: 'Sum' }),
      api5xxAlarm.threshold,
      api5xxAlarm.description,
    );
    for (const { fn, manifest } of props.functions) {
      const errors = errorsAlarmOf(manifest);
      alarms.alarmAbove(
        `${manifest.id}ErrorsAlarm`,
        fn.metricErrors({ period: minutes(errors), statistic: 'Sum' }),
        errors.threshold,
        errors.description,
        errors,
      );
      const throttles = throttlesAlarmOf(manifest);
      alarms.alarmAbove(
        `${manifest.id}ThrottlesAlarm`,
        fn.metricThrottles({ period: minutes(throttles), statistic: 'Sum' }),
        throttles.threshold,
        throttles.description,
        throttles,
      );
      if (manifest.trigger.kind === 'stream') {
        const age = iteratorAgeAlarmOf(manifest);
        alarms.alarmAbove(
          `${manifest.id}IteratorAgeAlarm`,
          fn.metric('IteratorAge', { period: minutes(age), statistic: 'Maximum' }),
          age.threshold,
          age.description,
          age,
        );
      }
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new TextWidget({
            markdown:
              '# closeloop\nAlarms, the HTTP API, functions, queues and business figures. ' +
              'What each alarm means and what to do: docs/operations.md in the repository.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...alarms.alarms],
            sortBy: AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
            width: 24,
            height: 6,
          }),
        ],
        this.apiRow(api),
        this.functionsRow(props.functions),
        this.queuesRow(props.queues),
        this.figuresRow(props.functions),
      ],
    });
  }

  private apiRow(api: PublicHttpApi): IWidget[] {
    const sum = { period: oneMinute, statistic: 'Sum' };
    return [
      new GraphWidget({
        title: 'API requests and errors',
        left: [api.api.metricCount(sum), api.api.metricClientError(sum), api.api.metricServerError(sum)],
        width: 12,
      }),
      new GraphWidget({
        title: 'API latency (ms)',
        left: [
          api.api.metricLatency({ period: oneMinute, statistic: 'p50' }),
          api.api.metricLatency({ period: oneMinute, statistic: 'p99' }),
        ],
        width: 12,
      }),
    ];
  }

  private functionsRow(functions: readonly NodeFunction[]): IWidget[] {
    const each = (title: string, metricOf: (fn: NodeFunction) => Metric, width = 6) =>
      new GraphWidget({ title, left: functions.map(metricOf), width });
    const sum = { period: oneMinute, statistic: 'Sum' };
    return [
      each('Invocations', ({ fn, manifest }) => fn.metricInvocations({ ...sum, label: manifest.id })),
      each('Errors', ({ fn, manifest }) => fn.metricErrors({ ...sum, label: manifest.id })),
      each('Throttles', ({ fn, manifest }) => fn.metricThrottles({ ...sum, label: manifest.id })),
      each('Duration p99 (ms)', ({ fn, manifest }) =>
        fn.metricDuration({ period: oneMinute, statistic: 'p99', label: manifest.id }),
      ),
    ];
  }

  private queuesRow(workQueues: WorkQueues): IWidget[] {
    const maximum = { period: oneMinute, statistic: 'Maximum' };
    const pairs = queues.map((definition) => ({ definition, ...workQueues.get(definition) }));
    return [
      new GraphWidget({
        title: 'Messages waiting',
        left: pairs.map(({ definition, queue }) =>
          queue.metricApproximateNumberOfMessagesVisible({ ...maximum, label: definition.id }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Oldest message (s)',
        left: pairs.map(({ definition, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({ ...maximum, label: definition.id }),
        ),
        width: 8,
      }),
      new GraphWidget({
        title: 'Dead letters',
        left: pairs.map(({ definition, deadLetter }) =>
          deadLetter.metricApproximateNumberOfMessagesVisible({ ...maximum, label: definition.id }),
        ),
        width: 8,
      }),
    ];
  }

  private figuresRow(functions: readonly NodeFunction[]): IWidget[] {
    const figure = (metricName: string) =>
      new Metric({
        namespace: 'closeloop',
        metricName,
        dimensionsMap: { service: 'closeloop' },
        period: Duration.hours(1),
        statistic: 'Sum',
      });
    const streams = functions.filter(({ manifest }) => manifest.trigger.kind === 'stream');
    return [
      new GraphWidget({
        title: 'Surveys (per hour)',
        left: ['InvitationsSent', 'RemindersSent', 'AnswersRecorded'].map(figure),
        width: 8,
      }),
      new GraphWidget({
        title: 'Detractor cases (per hour)',
        left: ['DetractorCasesOpened', 'CasesContacted', 'CasesContactedWithin24h'].map(figure),
        width: 8,
      }),
      new GraphWidget({
        title: 'Stream iterator age (ms)',
        left: streams.map(({ fn, manifest }) =>
          fn.metric('IteratorAge', { period: oneMinute, statistic: 'Maximum', label: manifest.id }),
        ),
        width: 8,
      }),
    ];
  }
}
