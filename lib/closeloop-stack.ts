import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { DEFAULT_HOLD_SECONDS } from '../functions/domain/answer-trust';
import { DEFAULT_SEND_WINDOW_TEXT, formatSendWindow, parseSendWindow } from '../functions/domain/send-window';
import { DEFAULT_TESTIMONIAL_TARGET } from '../functions/domain/testimonial-consent';
import { functionManifests } from '../functions/resources/manifests';
import {
  exportsBucketEnvVar,
  importFilesQueue,
  queues,
  sesFeedbackQueue,
} from '../functions/resources/queues';
import type { RouteThrottle, ThrottleGroup } from '../functions/resources/routes';
import {
  deadLetterOutputKey,
  exportsBucketOutputKey,
  managerUserPoolIdEnvVar,
  managerUserPoolIdOutputKey,
  queueOutputKey,
  tableOutputKey,
} from '../functions/resources/stack-outputs';
import { AlarmTopic } from './constructs/alarm-topic';
import { ExportBucket } from './constructs/export-bucket';
import { PublicHttpApi } from './constructs/http-api';
import { IntegrationAccess } from './constructs/integration-access';
import { ManagerIdentity } from './constructs/manager-identity';
import { Monitoring } from './constructs/monitoring';
import { type FunctionResources, NodeFunction } from './constructs/node-function';
import { Tables } from './constructs/registry-tables';
import { SurveyMail } from './constructs/survey-mail';
import { WorkQueues } from './constructs/work-queues';
import type { ApiDomain } from './defaults/api-defaults';
import type { IntegrationClients } from './defaults/integration-defaults';
import type { SignInDomain } from './defaults/sign-in-defaults';

export interface CloseloopStackProps extends StackProps {
  /** E-mail address subscribed to operational alarms. */
  readonly alarmEmail?: string;
  /** Domain survey e-mails come from (an SES identity with Easy DKIM). */
  readonly senderDomain?: string;
  /** The brand customers know, used in e-mails and pages. */
  readonly brandName?: string;
  /** A public review page promoters are invited to on the thank-you page. */
  readonly reviewUrl?: string;
  /** How long an automatic answer is held before it counts (default 60 s; see docs/decisions.md). */
  readonly answerHoldSeconds?: number;
  /** When customers may be mailed, in their local time (default `Mon-Fri 09:00-18:00`; a store may override it). */
  readonly sendWindow?: string;
  /** Consented testimonials a store aims for per year when its row names none (default 12). */
  readonly testimonialTarget?: number;
  /** Each route group's request limits (default: `routeThrottles` in `functions/resources/routes.ts`). */
  readonly apiThrottles?: Readonly<Record<ThrottleGroup, RouteThrottle>>;
  /** A custom domain for the API: survey and unsubscribe links are built on it. */
  readonly apiDomain?: ApiDomain;
  /** The staff sign-in's domain (default: a Cognito prefix made from the stack's name and id). */
  readonly signInDomain?: SignInDomain;
  /** The integration clients (client credentials) to create, by name, with their scopes (default none). */
  readonly integrations?: IntegrationClients;
}

/**
 * closeloop in one environment-agnostic stack: stateful resources (tables, queues) kept apart from
 * stateless ones (functions, API), each built by a small construct with opinionated defaults.
 */
export class CloseloopStack extends Stack {
  readonly tables: Tables;
  readonly queues: WorkQueues;
  readonly api: PublicHttpApi;
  /** The values of the settings a function may declare. */
  readonly settings: FunctionResources['settings'];
  /** Every function, by handler name. */
  readonly functions = new Map<string, NodeFunction>();

  constructor(scope: Construct, id: string, props: CloseloopStackProps = {}) {
    super(scope, id, props);
    const senderDomain = props.senderDomain ?? 'example.com';
    const alarms = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });

    // Stateful: retained and deletion-protected.
    this.tables = new Tables(this, 'Tables');
    this.queues = new WorkQueues(this, 'Queues', alarms);
    const queue = (definition: Parameters<WorkQueues['get']>[0]) => this.queues.get(definition).queue;
    const mail = new SurveyMail(this, 'Mail', {
      senderDomain,
      feedbackQueue: queue(sesFeedbackQueue),
      feedbackDeadLetterQueue: this.queues.get(sesFeedbackQueue).deadLetter,
      alarms,
    });

    // Stateless: the API, and every function built from its manifest with exactly what it declares.
    this.api = new PublicHttpApi(this, 'PublicApi', {
      routeThrottles: props.apiThrottles,
      domain: props.apiDomain,
    });
    const brandName = props.brandName ?? 'closeloop';
    // After the API: the sign-in returns to its pages. Before the routes: its authorizer guards them.
    const managers = new ManagerIdentity(this, 'ManagerIdentity', {
      pagesUrl: this.api.url,
      brandName,
      signInDomain: props.signInDomain,
    });
    const exportFiles = new ExportBucket(this, 'ExportFiles');
    // A CSV file dropped in `imports/` starts a bulk import (the splitter reads this queue).
    exportFiles.notifyImports(this.queues.get(importFilesQueue).queue);
    this.settings = {
      BRAND_NAME: brandName,
      PUBLIC_API_URL: this.api.url,
      SENDER_ADDRESS: `${brandName} <surveys@${senderDomain}>`,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      EXPORTS_BUCKET: exportFiles.bucket.bucketName,
      ...(props.reviewUrl && { REVIEW_URL: props.reviewUrl }),
      ANSWER_HOLD_SECONDS: String(props.answerHoldSeconds ?? DEFAULT_HOLD_SECONDS),
      TESTIMONIAL_TARGET: String(props.testimonialTarget ?? DEFAULT_TESTIMONIAL_TARGET),
      OIDC_ISSUER_URL: managers.issuerUrl,
      OIDC_CLIENT_ID: managers.client.userPoolClientId,
      OIDC_LOGOUT_URL: managers.logoutUrl,
      // Read at synth too, so that a window that does not read fails the deployment, not the tick.
      SEND_WINDOW: formatSendWindow(parseSendWindow(props.sendWindow ?? DEFAULT_SEND_WINDOW_TEXT)),
    };
    const resources: FunctionResources = {
      tables: this.tables,
      queues: this.queues,
      mail,
      exportFiles,
      settings: this.settings,
    };
    for (const manifest of functionManifests) {
      this.functions.set(manifest.handler, new NodeFunction(this, manifest.id, manifest, resources));
    }
    const integrations = new IntegrationAccess(this, 'IntegrationAccess', {
      userPool: managers.userPool,
      issuerUrl: managers.issuerUrl,
      integrations: props.integrations ?? {},
    });
    this.api.addRoutes((handler) => this.functionOf(handler), managers.authorizer, integrations.authorizer);

    for (const manifest of functionManifests) {
      if (manifest.trigger.kind !== 'schedule') continue;
      const rule = new Rule(this, `${manifest.id}Schedule`, {
        description: `Runs ${manifest.handler} every ${manifest.trigger.everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(manifest.trigger.everyMinutes)),
        targets: [
          new LambdaFunction(this.functionOf(manifest.handler).fn, {
            retryAttempts: 2,
            maxEventAge: Duration.minutes(manifest.trigger.everyMinutes),
          }),
        ],
      });
      Validations.of(rule).acknowledge({
        id: 'Serverless-EventBusDLQ',
        reason:
          'A failed scheduled run needs no dead letter: each run handles everything due up to its own instant, ' +
          'so the next run catches up. Repeated failures raise the errors alarm.',
      });
    }
    // Last: the dashboard lists every alarm raised before it.
    const monitoring = new Monitoring(this, 'Monitoring', {
      alarms,
      api: this.api,
      functions: [...this.functions.values()],
      queues: this.queues,
    });

    new CfnOutput(this, exportsBucketOutputKey, {
      value: exportFiles.bucket.bucketName,
      description: exportsBucketEnvVar,
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of survey links' });
    if (this.api.domainName && props.apiDomain && !props.apiDomain.hostedZone) {
      new CfnOutput(this, 'ApiDomainTarget', {
        value: this.api.domainName.regionalDomainName,
        description: `Point a CNAME for ${props.apiDomain.name} at this name`,
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', {
      value: monitoring.dashboard.dashboardName,
      description: 'CloudWatch dashboard: every alarm, the API, functions, queues and figures',
    });
    new CfnOutput(this, managerUserPoolIdOutputKey, {
      value: managers.userPool.userPoolId,
      description: managerUserPoolIdEnvVar,
    });
    new CfnOutput(this, 'ManagerAppClientId', {
      value: managers.client.userPoolClientId,
      description: "The pages' app client (OIDC_CLIENT_ID)",
    });
    new CfnOutput(this, 'SignInUrl', {
      value: managers.signInUrl,
      description: 'Managed login of staff (the pages send staff there); staff open ApiUrl/m or ApiUrl/d',
    });
    new CfnOutput(this, 'SignInIssuerUrl', {
      value: managers.issuerUrl,
      description: 'OpenID Connect issuer of staff tokens (OIDC_ISSUER_URL)',
    });
    new CfnOutput(this, 'IntegrationTokenUrl', {
      value: `${managers.signInUrl}/oauth2/token`,
      description: 'Where integration clients get access tokens (client credentials grant)',
    });
    if (props.signInDomain?.kind === 'custom') {
      new CfnOutput(this, 'SignInDomainTarget', {
        value: managers.domain.cloudFrontEndpoint,
        description: `Point a CNAME for ${props.signInDomain.name} at this name`,
      });
    }
    // The CLI reads these into the variables the functions use (`stackOutputVariables`; README: AWS).
    for (const [definition, resource] of this.tables.all) {
      new CfnOutput(this, tableOutputKey(definition), {
        value: resource.tableName,
        description: definition.envVar,
      });
    }
    for (const definition of queues) {
      new CfnOutput(this, queueOutputKey(definition), {
        value: queue(definition).queueUrl,
        description: definition.envVar,
      });
      new CfnOutput(this, deadLetterOutputKey(definition), {
        value: this.queues.get(definition).deadLetter.queueUrl,
        description: definition.deadLetterEnvVar,
      });
    }
  }

  /** The function of a handler (a file name in `functions/handlers/`). */
  functionOf(handler: string): NodeFunction {
    const fn = this.functions.get(handler);
    if (fn === undefined) throw new Error(`no function for the handler ${handler}`);
    return fn;
  }
}
