/**
 * How the staff pages sign in, handed by the page to its script (a JSON block): the OpenID Connect
 * issuer (the Cognito user pool in AWS, the local provider locally), the pages' app client, and where
 * to sign out when the issuer's discovery names no end-session endpoint (Cognito's `/logout`). Read
 * from the settings with zod (`readPageSignIn`); plain types here, so the browser bundles no zod.
 */
export interface PageSignIn {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly logoutUrl?: string;
}

/** The id of the page's JSON block that carries its `PageSignIn`. */
export const pageSignInElementId = 'sign-in-settings';
