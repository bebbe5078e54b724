import { Duration, Stack } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmTopic } from './alarm-topic';

export interface SurveyMailProps {
  /** Domain the surveys are sent from; verified with Easy DKIM (publish the CNAMEs SES shows). */
  readonly senderDomain: string;
  /** Receives every bounce and complaint, to suppress those customers. */
  readonly feedbackQueue: IQueue;
  /** Where SNS puts feedback it could not deliver to the queue. */
  readonly feedbackDeadLetterQueue: IQueue;
  readonly alarms: AlarmTopic;
}

/**
 * Sending e-mail through SES: the domain identity (DKIM), a configuration set that requires TLS,
 * keeps reputation metrics and the account suppression list, and publishes bounces and complaints
 * through an encrypted SNS topic to the feedback queue. Alarms fire well before SES's own review
 * thresholds (5% bounces, 0.1% complaints).
 */
export class SurveyMail extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;

  constructor(scope: Construct, id: string, props: SurveyMailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.senderDomain),
      configurationSet: this.configurationSet,
    });

    const key = new Key(this, 'FeedbackKey', {
      enableKeyRotation: true,
      description: 'Encrypts SES feedback events',
    });
    key.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const feedback = new Topic(this, 'Feedback', {
      masterKey: key,
      enforceSSL: true,
      displayName: 'SES bounces and complaints',
    });
    feedback.addSubscription(
      new SqsSubscription(props.feedbackQueue, { deadLetterQueue: props.feedbackDeadLetterQueue }),
    );
    this.configurationSet.addEventDestination('ToFeedbackTopic', {
      destination: EventDestination.snsTopic(feedback),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Average', period: Duration.hours(1) });
    props.alarms.alarmAbove(
      'BounceRateAlarm',
      new MathExpression({
        period: Duration.hours(1),
        expression: 'bounce * 100',
        usingMetrics: { bounce: reputation('Reputation.BounceRate') },
        label: 'Bounce rate %',
      }),
      4,
      'SES bounce rate above 4% (SES reviews the account at 5%, pauses it at 10%): check the imported addresses.',
    );
    props.alarms.alarmAbove(
      'ComplaintRateAlarm',
      new MathExpression({
        period: Duration.hours(1),
        expression: 'complaint * 100',
        usingMetrics: { complaint: reputation('Reputation.ComplaintRate') },
        label: 'Complaint rate %',
      }),
      0.08,
      'SES complaint rate above 0.08% (Gmail and Yahoo require under 0.1%, SES reviews at 0.1%).',
    );
  }

  /**
   * Lets a function send through this identity and configuration set, and nothing else; and read the
   * account's sending quota (`GetAccount`), which a sender paces itself to.
   */
  grantSend(grantee: IGrantable): void {
    this.identity.grantSendEmail(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }),
    );
    const { account, partition, region } = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [
          `arn:${partition}:ses:${region}:${account}:configuration-set/${this.configurationSet.configurationSetName}`,
        ],
      }),
    );
  }
}
