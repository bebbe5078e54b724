import escapeHtml from 'escape-html';
import type { CaseRecord } from '../schemas/case';

const reasonsText = (reasons: readonly string[]) => (reasons.length > 0 ? reasons.join(', ') : 'none given');

/**
 * The alert a store manager gets for a detractor (or the regional manager for an escalation): who,
 * how to reach them, the score, the comment (escaped), the reasons, earlier scores, and the deadline.
 */
export const renderCaseEmail = (
  caseRecord: CaseRecord,
  { storeName, kind }: { storeName: string; kind: 'alert' | 'escalation' },
) => {
  const who = caseRecord.customer.name || caseRecord.customer.email;
  const subject =
    kind === 'alert'
      ? `Detractor at ${storeName}: ${who} gave ${caseRecord.score}/10, please call within 24 hours`
      : `Overdue follow-up at ${storeName}: ${who} (${caseRecord.score}/10) has not been contacted`;
  const intro =
    kind === 'alert'
      ? `A customer of ${storeName} is unhappy. Please contact them before ${caseRecord.dueAt} and record what happened.`
      : `This detractor case was due by ${caseRecord.dueAt} and is still open. It is escalated to you.`;
  const rows: [string, string][] = [
    ['Customer', who],
    ['E-mail', caseRecord.customer.email],
    ['Score', `${caseRecord.score}/10`],
    ['Comment', caseRecord.comment ?? '(no comment)'],
    ['Reasons', reasonsText(caseRecord.reasons)],
    [
      'Earlier scores',
      caseRecord.previousScores.length > 0 ? caseRecord.previousScores.join(', ') : 'first survey',
    ],
    ['Case', caseRecord.caseId],
    ['Due', caseRecord.dueAt],
  ];
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font:15px/1.5 Arial,Helvetica,sans-serif;color:#18181b">
<p>${escapeHtml(intro)}</p>
<table role="presentation" cellpadding="4">${rows
    .map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('')}</table>
<p>List and update your cases: <code>npx closeloop followups --store ${escapeHtml(caseRecord.storeId)}</code></p>
</body></html>`;
  const text = [intro, '', ...rows.map(([label, value]) => `${label}: ${value}`)].join('\n');
  return { subject, html, text };
};
