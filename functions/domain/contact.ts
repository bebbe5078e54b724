/** Pure rules about customers' contact details. */

/** E-mail addresses are compared and stored trimmed and lower-cased. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The canonical BCP 47 form of a locale tag (`en-gb` becomes `en-GB`), or undefined if invalid. */
export const canonicalLocale = (tag: string): string | undefined => {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
};

/** True for an IANA time zone name this runtime knows, such as `Europe/Paris`. */
export const isKnownTimeZone = (zone: string): boolean => {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** The contact statuses SES feedback can set. */
export type SuppressionStatus = 'bounced' | 'complained';

/**
 * Which addresses SES feedback suppresses: every recipient of a complaint, and every recipient of a
 * permanent (hard) bounce. Transient bounces (full mailbox, greylisting) suppress nobody.
 */
export const suppressionsFrom = (event: {
  eventType?: string;
  notificationType?: string;
  bounce?: { bounceType: string; bouncedRecipients: { emailAddress: string }[] };
  complaint?: { complainedRecipients: { emailAddress: string }[] };
}): { email: string; status: SuppressionStatus }[] => {
  const type = event.eventType ?? event.notificationType;
  if (type === 'Complaint') {
    return (event.complaint?.complainedRecipients ?? []).map((r) => ({
      email: normalizeEmail(r.emailAddress),
      status: 'complained',
    }));
  }
  if (type === 'Bounce' && event.bounce?.bounceType === 'Permanent') {
    return event.bounce.bouncedRecipients.map((r) => ({
      email: normalizeEmail(r.emailAddress),
      status: 'bounced',
    }));
  }
  return [];
};
