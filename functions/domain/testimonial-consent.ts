/**
 * Rules of a promoter's consent to be quoted: the wording asked (versioned, per language), how a quote
 * is signed, what a consent counts in the aggregates and progress towards a yearly target. Pure.
 */
import { type Language, languageOf } from './languages';
import { isTestimonialCandidate } from './nps';

/** How a quote is signed: the customer's full name, first name and initial, or anonymously. */
export const signatureChoices = ['full-name', 'first-name-initial', 'anonymous'] as const;
export type SignatureChoice = (typeof signatureChoices)[number];

/**
 * The version of the consent wording in force. Change the wording → add a new version (never edit a
 * published one): every stored consent keeps the version and the exact text its customer agreed to.
 */
export const CONSENT_WORDING_VERSION = '2026-12-01';

/** The consent question, exactly as the form shows it, per version and language. */
export const consentWordings: Readonly<
  Record<string, Readonly<Record<Language, (brand: string) => string>>>
> = {
  '2026-12-01': {
    en: (brand) =>
      `May ${brand} quote what you wrote, with the signature you choose below, on its website, in its shops and in its advertising? You can withdraw your consent at any time with the link in the e-mail we send to confirm it.`,
    fr: (brand) =>
      `${brand} peut-il citer ce que vous avez écrit, avec la signature que vous choisissez ci-dessous, sur son site, dans ses magasins et dans sa publicité ? Vous pourrez retirer votre accord à tout moment avec le lien de l’e-mail que nous vous envoyons pour le confirmer.`,
    es: (brand) =>
      `¿Puede ${brand} citar lo que ha escrito, con la firma que elija a continuación, en su web, en sus tiendas y en su publicidad? Podrá retirar su consentimiento en cualquier momento con el enlace del correo que le enviamos para confirmarlo.`,
  },
};

/** The wording in force for a locale: its version, language and text. */
export const currentConsentWording = (locale: string, brand: string) => {
  const language = languageOf(locale);
  const wording = consentWordings[CONSENT_WORDING_VERSION];
  if (wording === undefined) throw new Error(`no consent wording ${CONSENT_WORDING_VERSION}`);
  return { version: CONSENT_WORDING_VERSION, language, text: wording[language](brand) };
};

const anonymousSignature: Readonly<Record<Language, string>> = {
  en: 'A customer',
  fr: 'Un client',
  es: 'Un cliente',
};

const firstLetter = (text: string) => {
  const [letter] = new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text.trim());
  return letter?.segment ?? '';
};

/**
 * A quote's signature as published: `Marie Dupont`, `Marie D.`, or `A customer` (in the survey's
 * language). A name the customer record lacks is left out; a choice that would leave nothing (no
 * first name) is anonymous.
 */
export const formatSignature = (
  choice: SignatureChoice,
  name: { readonly firstName?: string; readonly lastName?: string },
  locale: string,
): string => {
  const first = name.firstName?.trim() ?? '';
  const last = name.lastName?.trim() ?? '';
  if (choice === 'anonymous' || first === '') return anonymousSignature[languageOf(locale)];
  if (choice === 'full-name') return [first, last].filter(Boolean).join(' ');
  const initial = firstLetter(last).toLocaleUpperCase(locale);
  return initial === '' ? first : `${first} ${initial}.`;
};

/** The choices worth offering a customer: both named ones need a first name. */
export const signatureChoicesFor = (name: { readonly firstName?: string }) =>
  (name.firstName ?? '').trim() === '' ? (['anonymous'] as const) : signatureChoices;

/** Whether an answer may be offered the consent form: a promoter who wrote why. */
export const mayBeQuoted = (answer: { score: number; comment?: string } | undefined) =>
  answer !== undefined && isTestimonialCandidate(answer);

/** The aggregate attribute counting the quotes whose consent stands, by the period it was first given. */
export const CONSENTED_QUOTES = 'consentedQuotes';

/** What a consent's arrival (+1) or withdrawal (-1) adds to each of its aggregates. */
export const consentDelta = (amount: 1 | -1) => ({ [CONSENTED_QUOTES]: amount });

/** The consented quotes counted in one aggregate item (0 when absent). */
export const consentedQuotesOfItem = (item: Readonly<Record<string, unknown>>) =>
  Number(item[CONSENTED_QUOTES] ?? 0);

/** The month keys of one calendar year's aggregates (`month#2026-01` … `month#2026-12`). */
export const yearMonthRange = (year: number) => ({ from: `month#${year}-01`, to: `month#${year}-12` });

/** A yearly target when the store names none (`TESTIMONIAL_TARGET` changes it). */
export const DEFAULT_TESTIMONIAL_TARGET = 12;

/** Progress towards a yearly target: how many, the target, the share reached (0-100, capped at 100). */
export const targetProgress = (consented: number, target: number) => ({
  consented,
  target,
  remaining: Math.max(0, target - consented),
  percent: target === 0 ? 100 : Math.min(100, Math.round((consented / target) * 1000) / 10),
  reached: consented >= target,
});
