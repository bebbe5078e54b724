import { contextText } from './api-defaults';

/** The managed login's domain: a prefix of Cognito's own domain, or a domain of yours. */
export type SignInDomain =
  | { readonly kind: 'prefix'; readonly prefix: string }
  | {
      readonly kind: 'custom';
      /** e.g. `login.example.com`: its parent domain must resolve (an A record), as Cognito requires. */
      readonly name: string;
      /** An ACM certificate for `name` in us-east-1 (the managed login is served by CloudFront). */
      readonly certificateArn: string;
    };

const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const prefixPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The managed login's domain from context: `signInDomainPrefix` (`https://PREFIX.auth.REGION.amazoncognito.com`),
 * or `signInDomain` with `signInCertificateArn`; none when neither is given (the stack makes a prefix).
 */
export const signInDomainFrom = (context: {
  signInDomainPrefix?: unknown;
  signInDomain?: unknown;
  signInCertificateArn?: unknown;
}): SignInDomain | undefined => {
  const text = (name: keyof typeof context) => contextText(name, context[name]);
  const prefix = text('signInDomainPrefix');
  const name = text('signInDomain');
  const certificateArn = text('signInCertificateArn');
  if (prefix !== undefined) {
    if (name !== undefined || certificateArn !== undefined)
      throw new Error('context signInDomainPrefix and signInDomain are alternatives: give one');
    if (!prefixPattern.test(prefix) || /aws|amazon|cognito/.test(prefix))
      throw new Error(
        'context signInDomainPrefix must be lowercase letters, digits and hyphens (at most 63, ' +
          `not starting or ending with a hyphen, without aws, amazon or cognito), got ${prefix}`,
      );
    return { kind: 'prefix', prefix };
  }
  if (name === undefined) {
    if (certificateArn !== undefined) throw new Error('context signInCertificateArn needs signInDomain');
    return undefined;
  }
  if (!domainPattern.test(name))
    throw new Error(`context signInDomain must be a domain name such as login.example.com, got ${name}`);
  if (certificateArn === undefined)
    throw new Error(
      `context signInDomain ${name} needs signInCertificateArn (an ACM certificate in us-east-1)`,
    );
  if (!/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn))
    throw new Error(
      `context signInCertificateArn must be an ACM certificate ARN in us-east-1 (Cognito serves the managed login through CloudFront), got ${certificateArn}`,
    );
  return { kind: 'custom', name: name.toLowerCase(), certificateArn };
};
