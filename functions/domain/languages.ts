/**
 * The languages closeloop writes in: the survey's (customers) and the managers' page and e-mails
 * (staff). Adding one means adding its texts to `templates/messages.ts` and
 * `templates/manager-messages.ts`; tsc points at both.
 */
export const languages = ['en', 'fr', 'es'] as const;
export type Language = (typeof languages)[number];

/** A known language of a locale tag (`fr-CA` → `fr`), else English. */
export const languageOf = (tag: string | undefined): Language => {
  const language = tag?.split('-')[0]?.toLowerCase();
  return (languages as readonly string[]).includes(language ?? '') ? (language as Language) : 'en';
};
