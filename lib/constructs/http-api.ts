import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  type CfnStage,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { fullScopeName } from '../../functions/resources/integration-scopes';
import {
  type RouteDefinition,
  type RouteThrottle,
  routeKeyOf,
  routes,
  routeThrottleSettings,
  routeThrottles,
  stageThrottle,
  type ThrottleGroup,
} from '../../functions/resources/routes';
import type { ApiDomain } from '../defaults/api-defaults';
import type { NodeFunction } from './node-function';

export interface PublicHttpApiProps {
  /** Each route group's limits (default: `routeThrottles` of `functions/resources/routes.ts`). */
  readonly routeThrottles?: Readonly<Record<ThrottleGroup, RouteThrottle>>;
  /** A custom domain for the public links, e.g. `survey.example.com`. */
  readonly domain?: ApiDomain;
}

const missingAuthorizer = (route: RouteDefinition): never => {
  throw new Error(`${routeKeyOf(route)} is for integrations: addRoutes needs the integrations' authorizer`);
};

/**
 * The public HTTP API (API Gateway HTTP API, payload format 2.0): a default stage with JSON access
 * logs, each route throttled with its group's limits (stage route settings), the routes of
 * `functions/resources/routes.ts`, each to its handler's function, and optionally a custom domain.
 */
export class PublicHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly domainName?: DomainName;
  /** The custom domain as configured (a plain string, where `domainName.name` is a reference). */
  readonly domain?: ApiDomain;
  private readonly routeThrottles: Readonly<Record<ThrottleGroup, RouteThrottle>>;

  constructor(scope: Construct, id: string, props: PublicHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false, description: 'closeloop public API' });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.THREE_MONTHS });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: stageThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    this.routeThrottles = props.routeThrottles ?? routeThrottles;
    this.domain = props.domain;
    if (props.domain) this.domainName = this.addDomain(props.domain);
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public by design: customers reach the survey and unsubscribe routes from e-mail links without an ' +
        'account, and each such request is authorised by the unguessable, expiring token it carries; ' +
        '/health reveals nothing. Every route is throttled. Manager routes have a Cognito JWT authorizer; ' +
        "integration routes a JWT authorizer requiring the route's OAuth scope (client credentials).",
    });
  }

  /** The base of public links: `https://` and the custom domain when there is one, else the API's endpoint. */
  get url(): string {
    return this.domain ? `https://${this.domain.name}` : this.api.apiEndpoint;
  }

  /**
   * Adds every shared route, integrated with the function of its handler, with its group's limits;
   * `managerAuthorizer` runs before every route declared with `auth: 'manager'`, `integrationAuthorizer`
   * before every route with `auth: 'integration'`, requiring one of the route's scopes. (They come
   * after the API itself: the staff app client's callback URLs are built on the API's URL.)
   */
  addRoutes(
    functionOf: (handler: string) => NodeFunction,
    managerAuthorizer: IHttpRouteAuthorizer,
    integrationAuthorizer?: IHttpRouteAuthorizer,
  ): void {
    const throttles = routeThrottleSettings(this.routeThrottles);
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const stage = this.stage.node.defaultChild as CfnStage;
    for (const route of routes as readonly RouteDefinition[]) {
      const fn = functionOf(route.handler);
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          `${route.method}${route.path.replace(/[^A-Za-z0-9]+/g, '-')}`,
          fn.fn,
        ),
        ...(route.auth === 'manager' && { authorizer: managerAuthorizer }),
        ...(route.auth === 'integration' && {
          authorizer: integrationAuthorizer ?? missingAuthorizer(route),
          authorizationScopes: (route.scopes ?? []).map(fullScopeName),
        }),
      });
      // A stage's route settings may only name routes that exist: create the routes first.
      if (created !== undefined) stage.node.addDependency(created);
      const limits = throttles.get(routeKeyOf(route));
      if (route.throttle === undefined || limits === undefined) continue;
      routeSettings[routeKeyOf(route)] = {
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
      };
    }
    stage.routeSettings = routeSettings;
  }

  /**
   * The custom domain (TLS 1.2), mapped to the default stage. With a hosted zone the certificate is
   * issued and validated through DNS and an alias record points at the API; with a certificate ARN the
   * DNS record is the operator's (the stack outputs its target).
   */
  private addDomain(domain: ApiDomain): DomainName {
    let certificate: ICertificate;
    const zone =
      domain.hostedZone &&
      HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        hostedZoneId: domain.hostedZone.id,
        zoneName: domain.hostedZone.name,
      });
    if (domain.certificateArn) {
      certificate = Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn);
    } else if (zone) {
      certificate = new Certificate(this, 'Certificate', {
        domainName: domain.name,
        validation: CertificateValidation.fromDns(zone),
      });
    } else {
      throw new Error(`apiDomain ${domain.name} needs a certificate ARN or a hosted zone`);
    }
    const domainName = new DomainName(this, 'Domain', {
      domainName: domain.name,
      certificate,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    new ApiMapping(this, 'Mapping', { api: this.api, domainName, stage: this.stage });
    if (zone) {
      new ARecord(this, 'AliasRecord', {
        zone,
        recordName: domain.name,
        target: RecordTarget.fromAlias(
          new ApiGatewayv2DomainProperties(domainName.regionalDomainName, domainName.regionalHostedZoneId),
        ),
      });
    }
    return domainName;
  }
}
