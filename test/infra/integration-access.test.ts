import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeKeyOf, routes } from '../../functions/resources/routes';
import { CloseloopStack } from '../../lib/closeloop-stack';
import { integrationsFrom } from '../../lib/defaults/integration-defaults';

type Resource = { Properties: Record<string, unknown> };

describe('integration access (client credentials)', () => {
  let template: Template;
  beforeAll(() => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new CloseloopStack(app, 'Test', {
      integrations: integrationsFrom(
        '{"crm":["customers.write","customers.erase"],"shop":"customers.write"}',
      ),
    });
    template = Template.fromStack(stack);
  });

  const clients = () =>
    Object.entries(template.findResources('AWS::Cognito::UserPoolClient')) as [string, Resource][];
  const integrationClients = () =>
    clients().filter(([, client]) => String(client.Properties.ClientName ?? '').startsWith('integration-'));

  it('defines the resource server closeloop with its scopes in the staff pool', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'closeloop',
      UserPoolId: Match.anyValue(),
      Scopes: [
        { ScopeName: 'customers.write', ScopeDescription: Match.anyValue() },
        { ScopeName: 'customers.erase', ScopeDescription: Match.anyValue() },
      ],
    });
  });

  it('creates one confidential client per integration: client credentials only, its own scopes', () => {
    const byName = Object.fromEntries(
      integrationClients().map(([, client]) => [client.Properties.ClientName, client.Properties]),
    );
    expect(Object.keys(byName).sort()).toEqual(['integration-crm', 'integration-shop']);
    expect(byName['integration-crm']).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
    });
    expect(JSON.stringify(byName['integration-crm']?.AllowedOAuthScopes)).toMatch(
      /customers\.write.*customers\.erase/,
    );
    expect(byName['integration-shop']?.AllowedOAuthScopes).toHaveLength(1);
    // The secret stays in Cognito: nothing in the template or the outputs.
    expect(JSON.stringify(template.toJSON())).not.toMatch(/ClientSecret/);
  });

  it('guards every integration route with a JWT authorizer for the integration clients, requiring its scope', () => {
    const authorizers = Object.entries(template.findResources('AWS::ApiGatewayV2::Authorizer')) as [
      string,
      Resource,
    ][];
    const integrations = authorizers.find(([, authorizer]) => authorizer.Properties.Name === 'integrations');
    expect(integrations).toBeDefined();
    const [authorizerId, authorizer] = integrations as [string, Resource];
    const audience = (authorizer.Properties.JwtConfiguration as { Audience: unknown[] }).Audience;
    expect(audience[0]).toBe('closeloop');
    expect(audience.slice(1).sort()).toEqual(
      integrationClients()
        .map(([id]) => ({ Ref: id }))
        .sort((a, b) => a.Ref.localeCompare(b.Ref)),
    );
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      // The staff pool's issuer: one pool, one domain, one token endpoint.
      JwtConfiguration: {
        Issuer: { 'Fn::Join': ['', expect.arrayContaining(['https://cognito-idp.', '.amazonaws.com/'])] },
      },
    });

    const deployed = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
    const integrationRoutes = routes.filter((route) => 'auth' in route && route.auth === 'integration');
    expect(integrationRoutes.map(routeKeyOf).sort()).toEqual([
      'DELETE /api/customers/{customerId}',
      'POST /api/customers/batch',
      'POST /api/customers/erasures',
      'PUT /api/customers/{customerId}',
    ]);
    for (const route of integrationRoutes) {
      const found = deployed.find((candidate) => candidate.Properties.RouteKey === routeKeyOf(route));
      expect(found?.Properties, routeKeyOf(route)).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
        AuthorizationScopes: route.scopes.map((scope) => `closeloop/${scope}`),
      });
    }
    // No other route takes integration tokens.
    const others = deployed.filter((route) =>
      JSON.stringify(route.Properties.AuthorizerId ?? '').includes(authorizerId),
    );
    expect(others).toHaveLength(integrationRoutes.length);
  });

  it('outputs where integrations get tokens', () => {
    template.hasOutput('IntegrationTokenUrl', { Value: Match.anyValue() });
  });
});

describe('integrationsFrom (context integrations)', () => {
  it('reads names with scopes from JSON, short or full, and none without context', () => {
    expect(integrationsFrom(undefined)).toEqual({});
    expect(integrationsFrom({ crm: ['closeloop/customers.write', 'customers.write'] })).toEqual({
      crm: ['customers.write'],
    });
    expect(integrationsFrom('{"a-1":"customers.erase,customers.write"}')).toEqual({
      'a-1': ['customers.erase', 'customers.write'],
    });
  });

  it.each([
    ['not JSON', '{crm', /must be JSON/],
    ['a list', '["crm"]', /must be an object/],
    ['a bad name', '{"CRM!":["customers.write"]}', /not a valid name/],
    ['no scope', '{"crm":[]}', /needs at least one scope/],
    ['an unknown scope', '{"crm":["customers.read"]}', /unknown scope customers.read/],
  ])('refuses %s', (_, value, message) => {
    expect(() => integrationsFrom(value)).toThrow(message);
  });
});
