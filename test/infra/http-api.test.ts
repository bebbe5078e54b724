import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendInvitations } from '../../functions/resources/manifests';
import { routeKeyOf, routes, routeThrottles, stageThrottle } from '../../functions/resources/routes';
import { CloseloopStack, type CloseloopStackProps } from '../../lib/closeloop-stack';
import { apiDomainFrom, routeThrottlesFrom } from '../../lib/defaults/api-defaults';
import { nagPacks } from '../../lib/nag';

const synth = (props: CloseloopStackProps = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CloseloopStack(app, 'Test', props);
  return { stack, template: Template.fromStack(stack) };
};

/** The value of a function's environment variable (resolved only when it is a literal). */
const publicApiUrlOf = (template: Template) => {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Description: sendInvitations.description },
    }),
  );
  return fn?.Properties.Environment.Variables.PUBLIC_API_URL;
};

describe('route throttles', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({
      apiThrottles: routeThrottlesFrom('{"staff":{"rateLimit":7,"burstLimit":9}}'),
    }).template;
  });

  it('give every survey, unsubscribe and staff route its group limits in the stage route settings', () => {
    const settings = Object.fromEntries(
      routes
        .filter((route) => 'throttle' in route)
        .map((route) => {
          const limits =
            route.throttle === 'staff' ? { rateLimit: 7, burstLimit: 9 } : routeThrottles[route.throttle];
          return [
            routeKeyOf(route),
            { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
          ];
        }),
    );
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining(['GET /s/{token}', 'POST /u/{token}', 'GET /r/report']),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: {
        ThrottlingRateLimit: stageThrottle.rateLimit,
        ThrottlingBurstLimit: stageThrottle.burstLimit,
      },
      RouteSettings: settings,
    });
  });

  it('deploy the stage after its routes (route settings may only name existing routes)', () => {
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    const routeIds = Object.keys(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(routeIds));
  });
});

describe('routeThrottlesFrom (context apiThrottles)', () => {
  it('keeps the declared limits without context, and takes a group or a single limit from JSON', () => {
    expect(routeThrottlesFrom(undefined)).toEqual(routeThrottles);
    expect(routeThrottlesFrom({ survey: { burstLimit: 1000 } }).survey).toEqual({
      rateLimit: routeThrottles.survey.rateLimit,
      burstLimit: 1000,
    });
  });

  it.each([
    ['not JSON', '{staff'],
    ['an unknown group', '{"admins":{"rateLimit":1}}'],
    ['an unknown limit', '{"staff":{"rps":1}}'],
    ['a negative rate', '{"staff":{"rateLimit":-1}}'],
    ['a fractional burst', '{"staff":{"burstLimit":1.5}}'],
    ['an array', '[]'],
  ])('refuses %s', (_what, value) => {
    expect(() => routeThrottlesFrom(value)).toThrow(/apiThrottles/);
  });
});

describe('without a custom domain', () => {
  it('builds survey links on the API endpoint and creates no domain', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 0);
    expect(JSON.stringify(publicApiUrlOf(template))).toContain('PublicApi');
    template.hasOutput('ApiUrl', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PublicApi'), 'ApiEndpoint'] },
    });
  });
});

describe('with a custom domain and a certificate ARN', () => {
  const certificateArn =
    'arn:aws:acm:eu-west-1:123456789012:certificate/0c8f1a2e-0000-4000-8000-000000000000';
  let synthesised: ReturnType<typeof synth>;
  beforeAll(() => {
    synthesised = synth({
      apiDomain: apiDomainFrom({ apiDomain: 'Survey.Example.com', apiCertificateArn: certificateArn }),
    });
  });

  it('maps the domain (TLS 1.2) to the default stage', () => {
    const { template } = synthesised;
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'survey.example.com',
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: certificateArn, SecurityPolicy: 'TLS_1_2' }),
      ],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: Match.anyValue(),
      DomainName: Match.anyValue(),
      Stage: '$default',
    });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('builds survey links on the domain and outputs the name its CNAME must point at', () => {
    const { template } = synthesised;
    expect(publicApiUrlOf(template)).toBe('https://survey.example.com');
    template.hasOutput('ApiUrl', { Value: 'https://survey.example.com' });
    template.hasOutput('ApiDomainTarget', { Value: Match.anyValue() });
  });

  it.each(nagPacks().map((pack) => [pack.readPackName, pack] as const))(
    'leaves %s with no unacknowledged finding',
    (_name, pack) => {
      expect(pack.validateScope(synthesised.stack).violations.map((v) => v.ruleName)).toEqual([]);
    },
  );
});

describe('with a custom domain in a hosted zone', () => {
  it('issues a DNS-validated certificate and points an alias record at the API', () => {
    const { template, stack } = synth({
      apiDomain: apiDomainFrom({
        apiDomain: 'survey.example.com',
        apiHostedZoneId: 'Z0123456789ABCDEFGHIJ',
        apiHostedZoneName: 'example.com',
      }),
    });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'survey.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [Match.objectLike({ HostedZoneId: 'Z0123456789ABCDEFGHIJ' })],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'survey.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: Match.anyValue(),
    });
    expect(publicApiUrlOf(template)).toBe('https://survey.example.com');
    expect(() => template.hasOutput('ApiDomainTarget', {})).toThrow();
    for (const pack of nagPacks())
      expect(pack.validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('apiDomainFrom (context apiDomain)', () => {
  it('is absent without apiDomain', () => {
    expect(apiDomainFrom({})).toBeUndefined();
  });

  it.each([
    ['a domain without a certificate or zone', { apiDomain: 'survey.example.com' }],
    ['a zone id without its name', { apiDomain: 'survey.example.com', apiHostedZoneId: 'Z1' }],
    [
      'a domain outside the hosted zone',
      { apiDomain: 'survey.example.org', apiHostedZoneId: 'Z1', apiHostedZoneName: 'example.com' },
    ],
    ['a certificate without a domain', { apiCertificateArn: 'arn:aws:acm:…' }],
    ['a URL instead of a domain', { apiDomain: 'https://survey.example.com', apiCertificateArn: 'arn' }],
  ])('refuses %s', (_what, context) => {
    expect(() => apiDomainFrom(context)).toThrow(/context api/);
  });
});
