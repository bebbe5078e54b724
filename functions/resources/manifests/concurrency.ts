/**
 * How many invitation senders may run at once (the manifest's `maxConcurrency`); each paces itself to
 * its share of the SES rate. In a module of its own, so that the sender reads it without bundling the
 * manifests (esbuild keeps manifest objects built with spreads).
 */
export const sendInvitationsMaxConcurrency = 5;
