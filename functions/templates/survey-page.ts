import { surveyPageScript } from '../../lib/bundling/browser-scripts';
import type { NpsCategory } from '../domain/nps';
import { reasonCodes } from '../schemas/answer';
import { type ConsentOffer, consentForm } from './consent-pages';
import { messagesFor } from './messages';
import { escapeHtml, page } from './pages';

export interface SurveyPageInput {
  readonly locale: string;
  readonly brand: string;
  /** The score clicked in the e-mail (or the current answer), preselected. */
  readonly score?: number;
  readonly comment?: string;
  readonly reasons: readonly string[];
  readonly nonce: string;
  readonly problems?: readonly string[];
}

/**
 * The survey: the question with its eleven scores, an optional "why?", optional reasons, Send. Its
 * script (`functions/browser/survey-page.ts`) saves a score clicked in the e-mail once a real browser
 * shows the page.
 */
export const renderSurveyPage = (input: SurveyPageInput) => {
  const { language, messages: t } = messagesFor(input.locale);
  const scores = Array.from({ length: 11 }, (_, score) => {
    const checked = input.score === score ? ' checked' : '';
    return `<label><input type="radio" name="score" value="${score}" required${checked}><span>${score}</span></label>`;
  }).join('');
  const reasons = reasonCodes
    .map((code) => {
      const checked = input.reasons.includes(code) ? ' checked' : '';
      return `<label><input type="checkbox" name="reasons" value="${code}"${checked}>${escapeHtml(t.reasons[code])}</label>`;
    })
    .join('');
  const problems =
    input.problems && input.problems.length > 0
      ? `<div role="alert" class="error"><p>${escapeHtml(t.invalidTitle)}</p><ul>${input.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('')}</ul></div>`
      : '';
  const body = `${problems}
<form id="survey" method="post" action="" data-autosave="${input.score === undefined ? 'false' : 'true'}" data-saved="${escapeHtml(t.saved)}">
<fieldset>
<legend>${escapeHtml(t.question(input.brand))}</legend>
<div class="scores">${scores}</div>
<div class="ends" aria-hidden="true"><span>${escapeHtml(t.notLikely)}</span><span>${escapeHtml(t.extremelyLikely)}</span></div>
</fieldset>
<p id="status" class="status" role="status" aria-live="polite"></p>
<p><label class="block" for="comment">${escapeHtml(t.commentLabel)}</label>
<textarea id="comment" name="comment" rows="4" maxlength="2000" aria-describedby="comment-hint">${escapeHtml(input.comment ?? '')}</textarea>
<span id="comment-hint" class="hint">${escapeHtml(t.commentHint)}</span></p>
<fieldset class="reasons"><legend>${escapeHtml(t.reasonsLegend)}</legend>${reasons}</fieldset>
<button type="submit">${escapeHtml(t.send)}</button>
</form>`;
  return page({
    language,
    title: t.surveyTitle(input.brand),
    body,
    script: { nonce: input.nonce, code: surveyPageScript() },
  });
};

/**
 * The thank-you page, different for promoters (recommend us, and a public review if the business has
 * a review page), passives, and detractors (the store manager will call).
 */
export const renderThanksPage = (input: {
  locale: string;
  brand: string;
  storeName: string;
  reviewUrl?: string;
  category: NpsCategory;
  /** A promoter who wrote why is asked whether we may quote them. */
  consent?: ConsentOffer;
}) => {
  const { language, messages: t } = messagesFor(input.locale);
  const text =
    input.category === 'promoter'
      ? t.thanksPromoter(input.brand)
      : input.category === 'passive'
        ? t.thanksPassive(input.brand)
        : t.thanksDetractor(input.storeName);
  return page({
    language,
    title: t.thanksTitle,
    body:
      `<p>${escapeHtml(text)}</p>` +
      (input.category === 'promoter' && input.reviewUrl
        ? `<p><a href="${escapeHtml(input.reviewUrl)}" rel="noopener">${escapeHtml(t.reviewLink)}</a></p>`
        : '') +
      `<p class="hint">${escapeHtml(t.changeLater)}</p>` +
      (input.consent ? consentForm(input.locale, input.consent) : ''),
  });
};

/**
 * A page for a link that cannot be answered: unknown (404), closed (410), out of changes (409), or not
 * right now (503, when the service is busy: the customer's browser still holds the form one step back).
 */
export const renderClosedPage = (locale: string, status: number) => {
  const { language, messages: t } = messagesFor(locale);
  const [title, text] =
    status === 410
      ? [t.expiredTitle, t.expiredText]
      : status === 409
        ? [t.limitTitle, t.limitText]
        : status === 503
          ? [t.busyTitle, t.busyText]
          : [t.notFoundTitle, t.notFoundText];
  return page({ language, title, body: `<p>${escapeHtml(text)}</p>` });
};

/** What the e-mail's hidden link shows, should a person ever reach it. */
export const renderHiddenLinkPage = (locale: string) => {
  const { language, messages: t } = messagesFor(locale);
  return page({ language, title: t.hiddenLinkTitle, body: `<p>${escapeHtml(t.hiddenLinkText)}</p>` });
};
