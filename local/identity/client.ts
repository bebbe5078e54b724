/** The local provider's one client: the managers' page and the dashboard (public, PKCE). */
export const staffClientId = 'closeloop-staff';

/** The scopes the pages ask for; the groups come with `openid`, as in Cognito's ID token. */
export const staffScope = 'openid email';
