import { Aws, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { allStoreRoles } from '../../functions/domain/access';
import type { SignInDomain } from '../defaults/sign-in-defaults';

/** The groups the stack creates: `admin` and `marketing` see every store; `managers` is everyone else. */
export const staffGroups = [...allStoreRoles, 'managers'] as const;

/** Where the pages live under the API's URL: the managers' page and the dashboard. */
export const staffPagePaths = { managers: '/m', dashboard: '/d' } as const;

export interface ManagerIdentityProps {
  /** The base URL of the pages (the API's endpoint or its custom domain): the sign-in returns to its `/m` and `/d`. */
  readonly pagesUrl: string;
  /** The product name staff know, in the invitation e-mail. */
  readonly brandName: string;
  /** The managed login's domain: a Cognito prefix or a custom domain (default: a prefix made from the stack). */
  readonly signInDomain?: SignInDomain;
}

/**
 * Who may use the staff pages and API: a Cognito user pool of managers, marketers and administrators
 * (invited by an administrator, no self sign-up, MFA required, signed in by e-mail through the managed
 * login), an app client for the pages (authorization code with PKCE, no secret, no implicit flow) and
 * the JWT authorizer that API Gateway runs before every staff route. Access is decided by the token's
 * `sub` and groups, which no user can change; the e-mail stays the verified one until a change is
 * verified, and the app client cannot write it.
 */
export class ManagerIdentity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly authorizer: HttpUserPoolAuthorizer;
  private readonly pagesUrl: string;
  private readonly customDomainName?: string;

  constructor(scope: Construct, id: string, props: ManagerIdentityProps) {
    super(scope, id);
    this.pagesUrl = props.pagesUrl;
    if (props.signInDomain?.kind === 'custom') this.customDomainName = props.signInDomain.name;
    const managersPage = `${props.pagesUrl}${staffPagePaths.managers}`;
    const dashboardPage = `${props.pagesUrl}${staffPagePaths.dashboard}`;
    this.userPool = new UserPool(this, 'Managers', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // A change of e-mail takes effect only once the new address is verified.
      keepOriginal: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      userInvitation: {
        emailSubject: `Your ${props.brandName} staff account`,
        emailBody:
          `You have been given a ${props.brandName} staff account to follow up on customer feedback.<br><br>` +
          `Sign in at ${managersPage} with your e-mail address {username} and the temporary password ` +
          '{####} within 7 days. You will choose your own password and set up an authenticator app.',
      },
      featurePlan: FeaturePlan.PLUS,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of staffGroups) {
      this.userPool.addGroup(`${group}Group`, {
        groupName: group,
        description:
          group === 'managers'
            ? 'Store and regional managers: see the stores the registry links to their account'
            : `${group}: sees every store`,
      });
    }
    this.client = this.userPool.addClient('ManagerApp', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [managersPage, dashboardPage],
        logoutUrls: [managersPage, dashboardPage],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      readAttributes: new ClientAttributes().withStandardAttributes({
        email: true,
        emailVerified: true,
        fullname: true,
        locale: true,
      }),
      // Nothing access depends on: not the e-mail (managers are linked by `sub`), nor any group.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true, locale: true }),
    });
    this.domain = this.userPool.addDomain('SignIn', {
      ...(props.signInDomain?.kind === 'custom'
        ? {
            customDomain: {
              domainName: props.signInDomain.name,
              certificate: Certificate.fromCertificateArn(
                this,
                'SignInCertificate',
                props.signInDomain.certificateArn,
              ),
            },
          }
        : { cognitoDomain: { domainPrefix: props.signInDomain?.prefix ?? defaultPrefixOf(this) } }),
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows a client's pages only once it has a style: Cognito's own.
    const style = new CfnManagedLoginBranding(this, 'SignInStyle', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    style.node.addDependency(this.domain);
    this.authorizer = new HttpUserPoolAuthorizer('Managers', this.userPool, {
      userPoolClients: [this.client],
    });
  }

  /** The managed login's base URL (`https://…`), where `/oauth2/authorize`, `/login` and `/logout` are. */
  get signInUrl(): string {
    return this.customDomainName ? `https://${this.customDomainName}` : this.domain.baseUrl();
  }

  /** The issuer of the pool's tokens, whose `/.well-known/openid-configuration` the pages read. */
  get issuerUrl(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** Cognito has no `end_session_endpoint`: its `/logout` ends the session and returns to the managers' page. */
  get logoutUrl(): string {
    return `${this.signInUrl}/logout?client_id=${this.client.userPoolClientId}&logout_uri=${this.pagesUrl}${staffPagePaths.managers}`;
  }
}

/**
 * A prefix unique in the region without revealing the account: the stack's name and the first part of
 * the stack's id (a UUID CloudFormation gives it), e.g. `closeloop-4f1c2a9e`.
 */
const defaultPrefixOf = (scope: Construct): string => {
  const name = Stack.of(scope)
    .stackName.toLowerCase()
    .replace(/aws|amazon|cognito/g, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return `${name || 'closeloop'}-${Fn.select(0, Fn.split('-', stackUuid))}`;
};
