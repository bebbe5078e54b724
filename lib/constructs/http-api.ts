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
import { NodeFunction } from './node-function';

export interface PublicHttpApiProps {
  /** Runs before every route declared with `auth: 'manager'`. */
  readonly managerAuthorizer: IHttpRouteAuthorizer;
  /** Sustained and burst request limits for the whole stage. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** Called once per handler, to grant it what it needs and no more. */
  readonly wire: (handler: string, fn: NodeFunction) => void;
}

/**
 * The public HTTP API (API Gateway HTTP API, payload format 2.0): one function per handler of
 * `functions/resources/routes.ts`, a throttled default stage and JSON access logs.
 */
export class PublicHttpApi extends Construct {
  readonly api: HttpApi;
  readonly functions = new Map<string, NodeFunction>();

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
    for (const route of routes as readonly RouteDefinition[]) {
      const fn = this.functionFor(route.handler, props.wire);
      this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          `${route.method}${route.path.replace(/[^A-Za-z0-9]+/g, '-')}`,
          fn.fn,
        ),
        ...(route.auth === 'manager' && { authorizer: props.managerAuthorizer }),
      });
    }
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

  private functionFor(handler: string, wire: PublicHttpApiProps['wire']): NodeFunction {
    let fn = this.functions.get(handler);
    if (fn === undefined) {
      fn = new NodeFunction(this, `${handler}-handler`, {
        handler,
        description: `closeloop API: ${handler}`,
      });
      wire(handler, fn);
      this.functions.set(handler, fn);
    }
    return fn;
  }
}
