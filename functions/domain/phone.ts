/** Phone numbers as customers' records hold them: pure, shared by the import, the API and the page. */

/** How many digits a phone number has: E.164 allows 15 at most; fewer than 6 is no phone number. */
export const MIN_PHONE_DIGITS = 6;
export const MAX_PHONE_DIGITS = 15;

/**
 * Whether a text is written like a phone number: E.164 (`+33612345678`) or a national format of
 * digits with spaces, dots, hyphens and parentheses (`(617) 555-0134`, `06 12 34 56 78`), a `+` only
 * in front. Lenient on purpose: the number is for a person to dial, not for a machine to route.
 */
export const looksLikePhoneNumber = (text: string) => {
  if (!/^\+?[\d\s().-]+$/.test(text)) return false;
  const digits = text.replace(/\D/g, '').length;
  return digits >= MIN_PHONE_DIGITS && digits <= MAX_PHONE_DIGITS;
};

/** The `tel:` URI of a number (RFC 3966): its leading `+` and digits, without the separators. */
export const telUri = (phone: string) =>
  `tel:${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}`;
