import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Where alarm notifications go by e-mail; more subscribers can be added in the console. */
  readonly email?: string;
}

/**
 * The SNS topic every alarm notifies. Encrypted with a customer-managed key, because CloudWatch
 * cannot publish to a topic encrypted with the AWS-managed SNS key.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  /** Every alarm raised through this topic, in creation order (the dashboard shows their states). */
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Encrypts closeloop alarm notifications',
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      masterKey: key,
      enforceSSL: true,
      displayName: 'closeloop alarms',
    });
    if (props.email) {
      const subscription = this.topic.addSubscription(new EmailSubscription(props.email));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An alarm e-mail that cannot be delivered needs no redrive: the alarm state itself stays in ' +
          'CloudWatch, and the OK/ALARM transitions are sent again on the next change.',
      });
    }
  }

  /**
   * Raises an alarm, notifying the topic (on ALARM and back to OK), as soon as `metric` exceeds
   * `threshold` once, or in each of `evaluationPeriods` consecutive periods. No data is not a breach.
   */
  alarmAbove(
    id: string,
    metric: IMetric,
    threshold: number,
    description: string,
    { evaluationPeriods = 1 }: { evaluationPeriods?: number } = {},
  ): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

export const oneMinute = Duration.minutes(1);
