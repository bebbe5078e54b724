import escapeHtml from 'escape-html';
import { singleLine } from '../domain/text';
import { emailMessagesFor } from './email-messages';

export interface InvitationEmailInput {
  readonly kind: 'invitation' | 'reminder';
  readonly locale: string;
  readonly firstName?: string;
  readonly brand: string;
  readonly storeName: string;
  /** `{apiUrl}/s/{token}`; each score link adds `?score=N`. */
  readonly surveyUrl: string;
  readonly unsubscribeUrl: string;
}

const scores = Array.from({ length: 11 }, (_, score) => score);

/** Red for detractor scores, amber for passives, green for promoters (AA contrast with white text). */
const buttonColour = (score: number) => (score <= 6 ? '#b42318' : score <= 8 ? '#a15c07' : '#067647');

export const scoreUrl = (surveyUrl: string, score: number) => `${surveyUrl}?score=${score}`;

/** The hidden link: people never see it; link scanners, which fetch every link, follow it. */
export const hiddenLinkUrl = (surveyUrl: string) => `${surveyUrl}/about`;

/** Hidden from every mail client's view and from screen readers and keyboards. */
const hiddenLink = (surveyUrl: string) =>
  `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all" aria-hidden="true">` +
  `<a href="${escapeHtml(hiddenLinkUrl(surveyUrl))}" tabindex="-1" style="display:none;font-size:0;color:#ffffff">&#8203;</a></div>`;

/**
 * The survey e-mail: the one question with eleven 0-10 links that look like buttons, and a hidden
 * link only link scanners follow (HTML part only). Table layout and inline styles, because that is
 * what mail clients render reliably. Every interpolated value is escaped.
 */
export const renderInvitationEmail = (given: InvitationEmailInput) => {
  // The brand, store and customer names as one line each: the subject carries the brand.
  const input = {
    ...given,
    brand: singleLine(given.brand),
    storeName: singleLine(given.storeName),
    ...(given.firstName !== undefined && { firstName: singleLine(given.firstName) || undefined }),
  };
  const { language, messages: t } = emailMessagesFor(input.locale);
  const brand = escapeHtml(input.brand);
  const subject = input.kind === 'reminder' ? t.reminderSubject(input.brand) : t.subject(input.brand);
  const cells = scores
    .map(
      (score) =>
        `<td align="center" style="padding:2px;width:9%"><a href="${escapeHtml(scoreUrl(input.surveyUrl, score))}" ` +
        `aria-label="${score}" style="display:block;padding:12px 0;border-radius:6px;background:${buttonColour(score)};` +
        `color:#ffffff;font:bold 16px/1 Arial,Helvetica,sans-serif;text-decoration:none;text-align:center">${score}</a></td>`,
    )
    .join('');
  const html = `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 24px 8px;font:bold 20px Arial,Helvetica,sans-serif;color:#18181b">${brand}${hiddenLink(input.surveyUrl)}</td></tr>
<tr><td style="padding:8px 24px;font:16px/1.5 Arial,Helvetica,sans-serif;color:#18181b">
<p style="margin:0 0 12px">${escapeHtml(t.greeting(input.firstName))}</p>
${input.kind === 'reminder' ? `<p style="margin:0 0 12px">${escapeHtml(t.reminderIntro)}</p>` : ''}
<p style="margin:0 0 16px;font-weight:bold">${escapeHtml(t.question(input.brand))}</p>
</td></tr>
<tr><td style="padding:0 16px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>${cells}</tr></table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
<td style="padding:6px 4px;font:13px Arial,Helvetica,sans-serif;color:#52525b">${escapeHtml(t.notLikely)}</td>
<td align="right" style="padding:6px 4px;font:13px Arial,Helvetica,sans-serif;color:#52525b">${escapeHtml(t.extremelyLikely)}</td>
</tr></table>
</td></tr>
<tr><td style="padding:16px 24px;font:14px/1.5 Arial,Helvetica,sans-serif;color:#3f3f46">
<p style="margin:0 0 8px">${escapeHtml(t.tapHint)} ${escapeHtml(t.whyFollows)}</p>
<p style="margin:0">${escapeHtml(t.visited(input.storeName))}</p>
</td></tr>
<tr><td style="padding:16px 24px 24px;font:12px Arial,Helvetica,sans-serif;color:#52525b">
<a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#52525b">${escapeHtml(t.unsubscribe)}</a>
</td></tr>
</table>
</td></tr></table>
</body>
</html>`;
  const text = [
    t.greeting(input.firstName),
    '',
    ...(input.kind === 'reminder' ? [t.reminderIntro, ''] : []),
    t.question(input.brand),
    `0 = ${t.notLikely}, 10 = ${t.extremelyLikely}`,
    '',
    ...scores.map((score) => `${score}: ${scoreUrl(input.surveyUrl, score)}`),
    '',
    t.whyFollows,
    t.visited(input.storeName),
    '',
    `${t.unsubscribe}: ${input.unsubscribeUrl}`,
  ].join('\n');
  return {
    subject,
    html,
    text,
    /** RFC 8058 one-click unsubscribe, as Gmail and Yahoo require of bulk senders. */
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
};
