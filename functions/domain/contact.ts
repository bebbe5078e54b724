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
