import { type RouteThrottle, routeThrottles, type ThrottleGroup } from '../../functions/resources/routes';

/** A custom domain for the public API, with a certificate to import or a hosted zone to issue one in. */
export interface ApiDomain {
  /** e.g. `survey.example.com`. */
  readonly name: string;
  /** An ACM certificate for `name`, in the stack's region. */
  readonly certificateArn?: string;
  /** A public Route 53 zone holding `name`: a DNS-validated certificate and an alias record are created. */
  readonly hostedZone?: { readonly id: string; readonly name: string };
}

/** A context value as given on the command line (a string) or in cdk.json (any JSON). */
const parsed = (name: string, value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`context ${name} must be JSON, got ${value}`);
  }
};

/** A context value that must be a string, trimmed; none when absent or empty. */
export const contextText = (name: string, value: unknown): string | undefined => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${name} must be a string`);
  return value.trim();
};

const isLimit = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Each route group's limits: the defaults of `routeThrottles`, with those of context `apiThrottles`
 * in their place, e.g. `-c 'apiThrottles={"staff":{"rateLimit":10,"burstLimit":20}}'` (a group may
 * give one of the two). Anything else in it is refused, naming what is wrong.
 */
export const routeThrottlesFrom = (context: unknown): Record<ThrottleGroup, RouteThrottle> => {
  const limits: Record<ThrottleGroup, RouteThrottle> = { ...routeThrottles };
  if (context === undefined) return limits;
  const given = parsed('apiThrottles', context);
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new Error('context apiThrottles must be an object of route groups');
  for (const [group, value] of Object.entries(given)) {
    if (!Object.hasOwn(routeThrottles, group))
      throw new Error(
        `context apiThrottles: unknown route group ${group} (one of ${Object.keys(routeThrottles).join(', ')})`,
      );
    const entries = Object.entries((value ?? {}) as Record<string, unknown>);
    for (const [key, limit] of entries) {
      if (key !== 'rateLimit' && key !== 'burstLimit')
        throw new Error(`context apiThrottles.${group}: unknown limit ${key} (rateLimit or burstLimit)`);
      if (!isLimit(limit) || (key === 'burstLimit' && !Number.isInteger(limit)))
        throw new Error(`context apiThrottles.${group}.${key} must be a number ≥ 0, got ${String(limit)}`);
    }
    limits[group as ThrottleGroup] = { ...limits[group as ThrottleGroup], ...Object.fromEntries(entries) };
  }
  return limits;
};

/**
 * The custom domain from context: `apiDomain` with either `apiCertificateArn` or `apiHostedZoneId`
 * and `apiHostedZoneName`; none when `apiDomain` is absent.
 */
export const apiDomainFrom = (context: {
  apiDomain?: unknown;
  apiCertificateArn?: unknown;
  apiHostedZoneId?: unknown;
  apiHostedZoneName?: unknown;
}): ApiDomain | undefined => {
  const text = (name: keyof typeof context) => contextText(name, context[name]);
  const name = text('apiDomain');
  const certificateArn = text('apiCertificateArn');
  const zoneId = text('apiHostedZoneId');
  const zoneName = text('apiHostedZoneName');
  if (name === undefined) {
    if (certificateArn || zoneId || zoneName)
      throw new Error('context apiCertificateArn and apiHostedZone* need apiDomain');
    return undefined;
  }
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(name))
    throw new Error(`context apiDomain must be a domain name such as survey.example.com, got ${name}`);
  if ((zoneId === undefined) !== (zoneName === undefined))
    throw new Error('context apiHostedZoneId and apiHostedZoneName go together');
  if (zoneName !== undefined) {
    const zone = zoneName.toLowerCase().replace(/\.$/, '');
    const domain = name.toLowerCase();
    if (domain !== zone && !domain.endsWith(`.${zone}`))
      throw new Error(`context apiDomain ${name} is not in the hosted zone ${zoneName}`);
  }
  if (certificateArn === undefined && zoneId === undefined)
    throw new Error(
      `context apiDomain ${name} needs apiCertificateArn (an ACM certificate in the stack's region) ` +
        'or apiHostedZoneId and apiHostedZoneName (a Route 53 zone to issue one in)',
    );
  return {
    name: name.toLowerCase(),
    ...(certificateArn && { certificateArn }),
    ...(zoneId && zoneName && { hostedZone: { id: zoneId, name: zoneName } }),
  };
};
