import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackOutputVariables } from '../../functions/resources/stack-outputs';
import { CloseloopStack, type CloseloopStackProps } from '../../lib/closeloop-stack';
import { apiDomainFrom } from '../../lib/defaults/api-defaults';
import { signInDomainFrom } from '../../lib/defaults/sign-in-defaults';
import { nagPacks } from '../../lib/nag';

const synth = (props: CloseloopStackProps = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CloseloopStack(app, 'Test', props);
  return { stack, template: Template.fromStack(stack) };
};

type Resource = { Properties: Record<string, unknown> };
const only = (template: Template, type: string): Resource => {
  const found = Object.values(template.findResources(type)) as Resource[];
  expect(found).toHaveLength(1);
  return found[0] as Resource;
};

/** A CloudFormation value as text, references included (`Fn::Join` parts are concatenated). */
const textOf = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(textOf).join(join[0]);
  return JSON.stringify(value);
};

describe('staff sign-in on the API endpoint', () => {
  let synthesised: ReturnType<typeof synth>;
  let client: Resource['Properties'];
  beforeAll(() => {
    synthesised = synth({ brandName: 'Example Stores' });
    client = only(synthesised.template, 'AWS::Cognito::UserPoolClient').Properties;
  });

  it('gives the pool a managed login domain (new managed login with a style) on a prefix made from the stack', () => {
    const { template } = synthesised;
    const domain = only(template, 'AWS::Cognito::UserPoolDomain').Properties;
    expect(domain).toMatchObject({ ManagedLoginVersion: 2, UserPoolId: expect.anything() });
    expect(textOf(domain.Domain)).toMatch(/^test-\{.*AWS::StackId/);
    expect(domain.CustomDomainConfig).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UseCognitoProvidedValues: true,
      ClientId: Match.anyValue(),
    });
  });

  it('creates the admin, marketing and managers groups', () => {
    const groups = Object.values(synthesised.template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties.GroupName,
    );
    expect(groups.sort()).toEqual(['admin', 'managers', 'marketing']);
  });

  it('has one app client: authorization code only (PKCE, no implicit flow), no secret, OpenID scopes, Cognito users only', () => {
    expect(client).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    expect(client.AllowedOAuthFlows).not.toContain('implicit');
    expect(client.ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
  });

  it('returns from sign-in and sign-out to the managers’ page and the dashboard on the API endpoint', () => {
    for (const urls of [client.CallbackURLs, client.LogoutURLs] as unknown[][]) {
      const texts = urls.map(textOf);
      expect(texts).toHaveLength(2);
      expect(texts[0]).toMatch(/PublicApi.*ApiEndpoint.*\/m$/);
      expect(texts[1]).toMatch(/PublicApi.*ApiEndpoint.*\/d$/);
    }
  });

  it('keeps the e-mail until a change is verified, and no client may write it', () => {
    const pool = only(synthesised.template, 'AWS::Cognito::UserPool').Properties;
    expect(pool.UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: ['email'],
    });
    expect(pool).toMatchObject({ MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    const clients = Object.values(synthesised.template.findResources('AWS::Cognito::UserPoolClient'));
    for (const { Properties } of clients) {
      // Absent WriteAttributes would let the client write every attribute.
      expect(Properties.WriteAttributes).toEqual(expect.any(Array));
      expect(Properties.WriteAttributes).not.toContain('email');
      expect(Properties.WriteAttributes).not.toContain('email_verified');
      expect(Properties.WriteAttributes.some((name: string) => name.startsWith('custom:'))).toBe(false);
    }
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(['email', 'email_verified']));
  });

  it('e-mails invitations that name the product and the page to sign in at', () => {
    const pool = only(synthesised.template, 'AWS::Cognito::UserPool').Properties;
    const invitation = (pool.AdminCreateUserConfig as Record<string, Record<string, unknown>>)
      .InviteMessageTemplate;
    expect(invitation?.EmailSubject).toContain('Example Stores');
    const body = textOf(invitation?.EmailMessage);
    expect(body).toContain('Example Stores');
    expect(body).toMatch(/PublicApi.*ApiEndpoint.*\/m /);
    expect(body).toContain('{username}');
    expect(body).toContain('{####}');
  });

  it('gives the pages the issuer, the client and the managed login’s logout URL to declare', () => {
    const setting = (name: 'OIDC_ISSUER_URL' | 'OIDC_CLIENT_ID' | 'OIDC_LOGOUT_URL') =>
      synthesised.stack.resolve(synthesised.stack.settings[name]);
    expect(textOf(setting('OIDC_ISSUER_URL'))).toMatch(
      /^https:\/\/cognito-idp\.\{"Ref":"AWS::Region"\}\.amazonaws\.com\/\{"Ref":"ManagerIdentityManagers\w+"\}$/,
    );
    expect(setting('OIDC_CLIENT_ID')).toEqual({ Ref: expect.stringMatching(/ManagerApp/) });
    expect(textOf(setting('OIDC_LOGOUT_URL'))).toMatch(
      /^https:\/\/\{"Ref":"ManagerIdentityManagersSignIn\w+"\}\.auth\.\{"Ref":"AWS::Region"\}\.amazoncognito\.com\/logout\?client_id=\{"Ref":"ManagerIdentityManagersManagerApp\w+"\}&logout_uri=\{"Fn::GetAtt":\["PublicApi\w+","ApiEndpoint"\]\}\/m$/,
    );
  });

  it('outputs the managed login, the pool, the client and the issuer', () => {
    const { template } = synthesised;
    template.hasOutput('SignInUrl', { Value: Match.anyValue() });
    expect(textOf(template.findOutputs('SignInUrl').SignInUrl?.Value)).toMatch(
      /^https:\/\/.*\.auth\..*\.amazoncognito\.com$/,
    );
    template.hasOutput('ManagerUserPoolId', { Value: { Ref: Match.stringLikeRegexp('ManagerIdentity') } });
    template.hasOutput('ManagerAppClientId', { Value: { Ref: Match.stringLikeRegexp('ManagerApp') } });
    template.hasOutput('SignInIssuerUrl', { Value: Match.anyValue() });
  });

  it('outputs every value the CLI reads, described by its variable', () => {
    const outputs = synthesised.template.findOutputs('*');
    for (const { outputKey, envVar } of stackOutputVariables)
      expect(outputs[outputKey]?.Description, outputKey).toBe(envVar);
  });

  it.each(nagPacks().map((pack) => [pack.readPackName, pack] as const))(
    'leaves %s with no unacknowledged finding',
    (_name, pack) => {
      expect(pack.validateScope(synthesised.stack).violations.map((v) => v.ruleName)).toEqual([]);
    },
  );
});

describe('staff sign-in with custom domains', () => {
  const signInCertificate =
    'arn:aws:acm:us-east-1:123456789012:certificate/0c8f1a2e-0000-4000-8000-000000000000';
  let synthesised: ReturnType<typeof synth>;
  beforeAll(() => {
    synthesised = synth({
      apiDomain: apiDomainFrom({
        apiDomain: 'survey.example.com',
        apiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0c8f1a2e',
      }),
      signInDomain: signInDomainFrom({
        signInDomain: 'login.example.com',
        signInCertificateArn: signInCertificate,
      }),
    });
  });

  it('returns to the pages on the API’s domain and serves the managed login on its own', () => {
    const { template } = synthesised;
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://survey.example.com/m', 'https://survey.example.com/d'],
      LogoutURLs: ['https://survey.example.com/m', 'https://survey.example.com/d'],
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'login.example.com',
      CustomDomainConfig: { CertificateArn: signInCertificate },
    });
    template.hasOutput('SignInUrl', { Value: 'https://login.example.com' });
    template.hasOutput('SignInDomainTarget', { Value: Match.anyValue() });
  });

  it.each(nagPacks().map((pack) => [pack.readPackName, pack] as const))(
    'leaves %s with no unacknowledged finding',
    (_name, pack) => {
      expect(pack.validateScope(synthesised.stack).violations.map((v) => v.ruleName)).toEqual([]);
    },
  );
});

describe('a chosen Cognito prefix', () => {
  it('names the managed login domain', () => {
    const { template } = synth({ signInDomain: signInDomainFrom({ signInDomainPrefix: 'example-staff' }) });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'example-staff' });
  });
});

describe('signInDomainFrom (context signInDomain*)', () => {
  it('is absent without context, and takes a prefix or a domain with its certificate', () => {
    expect(signInDomainFrom({})).toBeUndefined();
    expect(signInDomainFrom({ signInDomainPrefix: 'stores-staff' })).toEqual({
      kind: 'prefix',
      prefix: 'stores-staff',
    });
    expect(
      signInDomainFrom({
        signInDomain: 'Login.Example.com',
        signInCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-1',
      }),
    ).toEqual({
      kind: 'custom',
      name: 'login.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-1',
    });
  });

  it.each([
    ['a prefix with capitals', { signInDomainPrefix: 'Staff' }],
    ['a prefix with a reserved word', { signInDomainPrefix: 'my-cognito-login' }],
    ['a prefix ending in a hyphen', { signInDomainPrefix: 'staff-' }],
    ['a prefix and a domain', { signInDomainPrefix: 'staff', signInDomain: 'login.example.com' }],
    ['a domain without a certificate', { signInDomain: 'login.example.com' }],
    [
      'a certificate outside us-east-1',
      {
        signInDomain: 'login.example.com',
        signInCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      },
    ],
    ['a certificate without a domain', { signInCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/a' }],
    ['a URL instead of a domain', { signInDomain: 'https://login.example.com', signInCertificateArn: 'x' }],
    ['a number', { signInDomainPrefix: 42 }],
  ])('refuses %s', (_what, context) => {
    expect(() => signInDomainFrom(context)).toThrow(/context signIn/);
  });
});
