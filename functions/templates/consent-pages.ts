import escapeHtml from 'escape-html';
import type { SignatureChoice } from '../domain/testimonial-consent';
import { singleLine } from '../domain/text';
import type { StoredConsent } from '../schemas/consent';
import { type ConsentMessages, consentMessagesFor } from './consent-messages';
import { page } from './pages';

/** What the consent form offers a promoter: the wording in force, their quote and how it may be signed. */
export interface ConsentOffer {
  /** Where the form posts: relative to the survey page (`{token}/consent`). */
  readonly action: string;
  readonly wordingVersion: string;
  readonly wordingText: string;
  readonly quote: string;
  readonly choices: readonly { readonly value: SignatureChoice; readonly signatureText: string }[];
  readonly checked?: SignatureChoice;
}

const choiceLabel = (t: ConsentMessages, choice: SignatureChoice, signature: string) =>
  choice === 'full-name'
    ? t.fullName(signature)
    : choice === 'first-name-initial'
      ? t.firstNameInitial(signature)
      : t.anonymous(signature);

/**
 * The consent form, a plain form post that works with or without script: the quote, the question
 * exactly as versioned, a fieldset of signature choices (each a labelled radio), and one button.
 */
export const consentForm = (locale: string, offer: ConsentOffer, problems: readonly string[] = []) => {
  const { messages: t } = consentMessagesFor(locale);
  const choices = offer.choices
    .map((choice, index) => {
      const checked = offer.checked === choice.value ? ' checked' : '';
      return (
        `<label class="choice"><input type="radio" name="signature" value="${escapeHtml(choice.value)}" ` +
        `id="signature-${index}" required${checked}> ${escapeHtml(choiceLabel(t, choice.value, choice.signatureText))}</label>`
      );
    })
    .join('');
  const error =
    problems.length > 0
      ? `<div role="alert" class="error"><ul>${problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul></div>`
      : '';
  return `<section class="consent" aria-labelledby="consent-heading">
<h2 id="consent-heading">${escapeHtml(t.formHeading)}</h2>
${error}<figure><figcaption class="hint">${escapeHtml(t.quoteLabel)}</figcaption><blockquote>${escapeHtml(offer.quote)}</blockquote></figure>
<form id="consent" method="post" action="${escapeHtml(offer.action)}">
<input type="hidden" name="wordingVersion" value="${escapeHtml(offer.wordingVersion)}">
<p id="consent-wording">${escapeHtml(offer.wordingText)}</p>
<fieldset aria-describedby="consent-wording"><legend>${escapeHtml(t.signatureLegend)}</legend>${choices}</fieldset>
<button type="submit">${escapeHtml(t.agree)}</button>
<p class="hint">${escapeHtml(t.noThanks)}</p>
</form>
</section>`;
};

/** The form alone, shown again with what to fix (a post without a signature). */
export const renderConsentFormPage = (locale: string, offer: ConsentOffer, problems: readonly string[]) => {
  const { language, messages: t } = consentMessagesFor(locale);
  return page({ language, title: t.formHeading, body: consentForm(locale, offer, problems) });
};

/** After consent: what was agreed to, and where the confirmation went. */
export const renderConsentSaved = (locale: string, consent: StoredConsent) => {
  const { language, messages: t } = consentMessagesFor(locale);
  return page({
    language,
    title: t.savedTitle,
    body:
      `<p>${escapeHtml(t.savedText(consent.signatureText))}</p>` +
      `<blockquote>${escapeHtml(consent.quote)}</blockquote>` +
      `<p role="status">${escapeHtml(t.mailSent)}</p>`,
  });
};

export type ConsentPageKind = 'mail-failed' | 'not-quotable' | 'error';

/** A page for what went wrong with a consent or a withdrawal. */
export const renderConsentProblem = (locale: string, kind: ConsentPageKind) => {
  const { language, messages: t } = consentMessagesFor(locale);
  const [title, text] =
    kind === 'mail-failed'
      ? [t.mailFailedTitle, t.mailFailedText]
      : kind === 'not-quotable'
        ? [t.notQuotableTitle, t.notQuotableText]
        : [t.errorTitle, t.errorText];
  return page({ language, title, body: `<p>${escapeHtml(text)}</p>` });
};

/** Asks to confirm a withdrawal (link scanners fetch links: a GET changes nothing). */
export const renderWithdrawQuestion = (locale: string, brand: string, consent: StoredConsent) => {
  const { language, messages: t } = consentMessagesFor(locale);
  return page({
    language,
    title: t.withdrawTitle,
    body:
      `<p>${escapeHtml(t.withdrawQuestion(brand))}</p>` +
      `<figure><blockquote>${escapeHtml(consent.quote)}</blockquote><figcaption>${escapeHtml(`— ${consent.signatureText}`)}</figcaption></figure>` +
      `<form method="post"><button type="submit">${escapeHtml(t.withdrawButton)}</button></form>`,
  });
};

/** After a withdrawal, or when there is none to withdraw (the same for a second click). */
export const renderWithdrawn = (locale: string, brand: string, kind: 'withdrawn' | 'nothing') => {
  const { language, messages: t } = consentMessagesFor(locale);
  return kind === 'withdrawn'
    ? page({
        language,
        title: t.withdrawnTitle,
        body: `<p role="status">${escapeHtml(t.withdrawnText(brand))}</p>`,
      })
    : page({
        language,
        title: t.nothingToWithdrawTitle,
        body: `<p>${escapeHtml(t.nothingToWithdrawText)}</p>`,
      });
};

/** The confirmation e-mail: what was agreed to (quote, signature, wording, date) and the withdraw link. */
export const renderConsentEmail = (input: {
  readonly locale: string;
  readonly brand: string;
  readonly firstName?: string;
  readonly consent: StoredConsent;
  readonly withdrawUrl: string;
}) => {
  const brand = singleLine(input.brand);
  const { language, messages: t } = consentMessagesFor(input.locale);
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(input.consent.givenAt),
  );
  const firstName = input.firstName === undefined ? undefined : singleLine(input.firstName) || undefined;
  const subject = t.mailSubject(brand);
  const paragraphs = [t.mailGreeting(firstName), t.mailIntro(brand, date)];
  const html = `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px 8px;background:#f4f4f5;font:16px/1.5 Arial,Helvetica,sans-serif;color:#18181b">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
${paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join('\n')}
<blockquote style="margin:16px 0;padding:8px 16px;border-left:4px solid #18181b">${escapeHtml(input.consent.quote)}</blockquote>
<p>${escapeHtml(t.mailSigned(input.consent.signatureText))}</p>
<p>${escapeHtml(t.mailWordingLabel)}<br><em>${escapeHtml(input.consent.wording.text)}</em></p>
<p>${escapeHtml(t.mailWithdrawText)}<br><a href="${escapeHtml(input.withdrawUrl)}" style="color:#1d4ed8">${escapeHtml(t.withdrawLink)}</a></p>
</div>
</body>
</html>`;
  const text = [
    ...paragraphs,
    '',
    `“${input.consent.quote}”`,
    t.mailSigned(input.consent.signatureText),
    '',
    t.mailWordingLabel,
    input.consent.wording.text,
    '',
    t.mailWithdrawText,
    input.withdrawUrl,
  ].join('\n');
  return { subject, html, text };
};
