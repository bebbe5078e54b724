import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type RouteDefinition, routes } from '../../functions/resources/routes';
import type { NodeFunction } from './node-function';

export interface PublicHttpApiProps {
  /** Runs before every route declared with `auth: 'manager'`. */
  readonly managerAuthorizer: IHttpRouteAuthorizer;
  /** Sustained and burst request limits for the whole stage. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

/**
 * The public HTTP API (API Gateway HTTP API, payload format 2.0): a throttled default stage with JSON
 * access logs, and the routes of `functions/resources/routes.ts`, each to its handler's function.
 */
export class PublicHttpApi extends Construct {
  readonly api: HttpApi;
  private readonly managerAuthorizer: IHttpRouteAuthorizer;

  constructor(scope: Construct, id: string, props: PublicHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false, description: 'closeloop public API' });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    this.managerAuthorizer = props.managerAuthorizer;
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public by design: customers reach the survey and unsubscribe routes from e-mail links without an ' +
        'account, and each such request is authorised by the unguessable, expiring token it carries; ' +
        '/health reveals nothing. The stage is throttled. Manager routes have a Cognito JWT authorizer.',
    });
  }

  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Adds every shared route, integrated with the function of its handler. */
  addRoutes(functionOf: (handler: string) => NodeFunction): void {
    for (const route of routes as readonly RouteDefinition[]) {
      const fn = functionOf(route.handler);
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          `${route.method}${route.path.replace(/[^A-Za-z0-9]+/g, '-')}`,
          fn.fn,
        ),
        ...(route.auth === 'manager' && { authorizer: this.managerAuthorizer }),
      });
    }
  }
}
