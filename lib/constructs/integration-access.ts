import { Duration } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  OAuthScope,
  ResourceServerScope,
  type UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  integrationResourceServer,
  integrationScopeDescriptions,
  integrationScopes,
} from '../../functions/resources/integration-scopes';
import type { IntegrationClients } from '../defaults/integration-defaults';

export interface IntegrationAccessProps {
  /** The pool that issues the tokens (the staff pool: one issuer, one domain). */
  readonly userPool: UserPool;
  /** The pool's issuer URL, which the authorizer trusts. */
  readonly issuerUrl: string;
  /** The integration clients to create, by name, with their scopes. */
  readonly integrations: IntegrationClients;
}

/**
 * Machine-to-machine access for integrations (a CRM syncing customers): a Cognito resource server
 * `closeloop` with one scope per permission, one confidential app client per integration with the
 * client credentials flow only (its secret stays in Cognito: `closeloop integrations show NAME
 * --secret` reads it), and the JWT authorizer API Gateway runs before every integration route, whose
 * scopes it checks.
 *
 * API Gateway checks a token's audience, and a Cognito access token has none: it then checks
 * `client_id`, so the authorizer lists every integration client the stack creates. It also lists the
 * resource server's identifier, which is the `aud` of the local provider's tokens (RFC 8707) and never
 * a Cognito client id; in AWS it lets no token through that the clients' ids would not.
 */
export class IntegrationAccess extends Construct {
  readonly resourceServer: UserPoolResourceServer;
  readonly clients = new Map<string, UserPoolClient>();
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: IntegrationAccessProps) {
    super(scope, id);
    const scopes = new Map(
      integrationScopes.map((name) => [
        name,
        new ResourceServerScope({ scopeName: name, scopeDescription: integrationScopeDescriptions[name] }),
      ]),
    );
    this.resourceServer = props.userPool.addResourceServer('ResourceServer', {
      identifier: integrationResourceServer,
      userPoolResourceServerName: 'closeloop integrations',
      scopes: [...scopes.values()],
    });
    for (const [name, granted] of Object.entries(props.integrations)) {
      const client = props.userPool.addClient(`Client-${name}`, {
        userPoolClientName: `integration-${name}`,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { clientCredentials: true, authorizationCodeGrant: false, implicitCodeGrant: false },
          scopes: granted.map((scopeName) =>
            OAuthScope.resourceServer(this.resourceServer, scopes.get(scopeName) as ResourceServerScope),
          ),
        },
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        accessTokenValidity: Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
      this.clients.set(name, client);
    }
    this.authorizer = new HttpJwtAuthorizer('Integrations', props.issuerUrl, {
      authorizerName: 'integrations',
      jwtAudience: [
        integrationResourceServer,
        ...[...this.clients.values()].map((client) => client.userPoolClientId),
      ],
    });
  }
}
