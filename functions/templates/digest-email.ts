import escapeHtml from 'escape-html';
import type { NpsResult } from '../domain/nps';
import { singleLine } from '../domain/text';
import type { CaseRecord } from '../schemas/case';

const npsText = (result: NpsResult) =>
  result.nps === undefined
    ? 'no responses'
    : `NPS ${result.nps.toFixed(0)} ± ${(result.marginOfError ?? 0).toFixed(0)} from ${result.responses} responses` +
      (result.lowConfidence ? ' (too few to compare)' : '');

/** The store manager's daily digest: yesterday's NPS and the cases still open. */
export const renderDigestEmail = (input: {
  storeName: string;
  date: string;
  yesterday: NpsResult & { promoters: number; passives: number; detractors: number };
  openCases: readonly CaseRecord[];
  now: Date;
}) => {
  const subject = `${singleLine(input.storeName)}: daily NPS digest for ${singleLine(input.date)}`;
  const { yesterday } = input;
  const summary = `Yesterday (${input.date}, UTC): ${npsText(yesterday)}; ${yesterday.promoters} promoters, ${yesterday.passives} passives, ${yesterday.detractors} detractors.`;
  const caseLine = (caseRecord: CaseRecord) => {
    const overdue = new Date(caseRecord.dueAt).getTime() <= input.now.getTime() ? 'OVERDUE ' : '';
    return `${overdue}${caseRecord.customer.name || caseRecord.customer.email} (${caseRecord.score}/10), due ${caseRecord.dueAt}: ${caseRecord.comment ?? 'no comment'}`;
  };
  const casesHeading =
    input.openCases.length === 0
      ? 'No open follow-up cases.'
      : `${input.openCases.length} open follow-up cases:`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font:15px/1.5 Arial,Helvetica,sans-serif;color:#18181b">
<p>${escapeHtml(summary)}</p>
<p>${escapeHtml(casesHeading)}</p>
${input.openCases.length > 0 ? `<ul>${input.openCases.map((caseRecord) => `<li>${escapeHtml(caseLine(caseRecord))}</li>`).join('')}</ul>` : ''}
</body></html>`;
  const text = [
    summary,
    '',
    casesHeading,
    ...input.openCases.map((caseRecord) => `- ${caseLine(caseRecord)}`),
  ].join('\n');
  return { subject, html, text };
};
