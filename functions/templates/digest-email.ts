import escapeHtml from 'escape-html';
import { isOverdue } from '../domain/follow-up';
import type { Language } from '../domain/languages';
import type { NpsResult } from '../domain/nps';
import { singleLine } from '../domain/text';
import type { CaseRecord } from '../schemas/case';
import { caseLink } from './alert-email';
import { localTime, longDate, managerMessagesFor } from './manager-messages';

/**
 * The store manager's daily digest: yesterday's NPS and the cases still open, each with its due time
 * in the store's zone and a link to it, in the store's language.
 */
export const renderDigestEmail = (input: {
  storeName: string;
  date: string;
  yesterday: NpsResult & { promoters: number; passives: number; detractors: number };
  openCases: readonly CaseRecord[];
  /** The store's follow-up this month (of `date`), when it opened any case. */
  followUp?: { withinSla: number; opened: number; medianHours: number | null };
  now: Date;
  /** The managers' page, `{apiUrl}/m`. */
  casesUrl: string;
  language: Language;
  timeZone: string;
}) => {
  const { yesterday, language, timeZone } = input;
  const text = managerMessagesFor(language);
  const day = longDate(input.date, language);
  const subject = text.digestSubject(singleLine(input.storeName), day);
  const nps =
    yesterday.nps === undefined
      ? text.noResponses
      : text.npsFigure(
          yesterday.nps.toFixed(0),
          (yesterday.marginOfError ?? 0).toFixed(0),
          yesterday.responses,
          yesterday.lowConfidence === true,
        );
  const summary = text.digestSummary(day, nps, yesterday.promoters, yesterday.passives, yesterday.detractors);
  const followUp =
    input.followUp === undefined || input.followUp.opened === 0
      ? undefined
      : text.followUpLine(input.followUp.withinSla, input.followUp.opened, input.followUp.medianHours);
  const caseLine = (caseRecord: CaseRecord) => {
    const overdue = isOverdue(caseRecord, input.now) ? `${text.overdue} ` : '';
    const who = singleLine(caseRecord.customer.name) || caseRecord.customer.email;
    return `${overdue}${who} (${caseRecord.score}/10), ${text.dueBy(localTime(caseRecord.dueAt, language, timeZone))}: ${caseRecord.comment ?? text.noComment}`;
  };
  const casesHeading =
    input.openCases.length === 0 ? text.noOpenCases : text.openCases(input.openCases.length);
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font:15px/1.5 Arial,Helvetica,sans-serif;color:#18181b">
<p>${escapeHtml(summary)}</p>
${followUp === undefined ? '' : `<p>${escapeHtml(followUp)}</p>\n`}<p>${escapeHtml(casesHeading)}</p>
${input.openCases.length > 0 ? `<ul>${input.openCases.map((caseRecord) => `<li><a href="${escapeHtml(caseLink(input.casesUrl, caseRecord.caseId))}">${escapeHtml(caseLine(caseRecord))}</a></li>`).join('')}</ul>` : ''}
<p><a href="${escapeHtml(input.casesUrl)}">${escapeHtml(text.yourCases)}</a></p>
</body></html>`;
  const plain = [
    summary,
    ...(followUp === undefined ? [] : [followUp]),
    '',
    casesHeading,
    ...input.openCases.map(
      (caseRecord) => `- ${caseLine(caseRecord)}\n  ${caseLink(input.casesUrl, caseRecord.caseId)}`,
    ),
    '',
    `${text.yourCases}: ${input.casesUrl}`,
  ].join('\n');
  return { subject, html, text: plain };
};
