import escapeHtml from 'escape-html';
import { singleLine } from '../domain/text';
import type { CaseRecord } from '../schemas/case';

const reasonsText = (reasons: readonly string[]) => (reasons.length > 0 ? reasons.join(', ') : 'none given');

/**
 * The alert a store manager gets for a detractor (or the regional manager for an escalation): who,
 * how to reach them, the score, the comment (escaped), the reasons, earlier scores, and the deadline.
 */
export const renderCaseEmail = (
  caseRecord: CaseRecord,
  {
    storeName: givenStoreName,
    kind,
    casesUrl,
    changes = [],
  }: {
    storeName: string;
    kind: 'alert' | 'update' | 'escalation';
    casesUrl: string;
    /** For an update: the scores of the changes it covers, in order (one e-mail per interval at most). */
    changes?: readonly number[];
  },
) => {
  // Names may come from before imports cleaned them: one line each, so no header can be smuggled in.
  const storeName = singleLine(givenStoreName);
  const who = singleLine(caseRecord.customer.name) || singleLine(caseRecord.customer.email);
  const changed = changes.length > 1 ? ` after ${changes.length} changes` : '';
  const subject = {
    alert: `Detractor at ${storeName}: ${who} gave ${caseRecord.score}/10, please call within 24 hours`,
    update: `Update from ${who} (${storeName}): now ${caseRecord.score}/10${changed}`,
    escalation: `Overdue follow-up at ${storeName}: ${who} (${caseRecord.score}/10) has not been contacted`,
  }[kind];
  const intro = {
    alert: `A customer of ${storeName} is unhappy. Please contact them before ${caseRecord.dueAt} and record what happened.`,
    update: `${who} changed their answer or told us why. The case is updated; it is due by ${caseRecord.dueAt}.`,
    escalation: `This detractor case was due by ${caseRecord.dueAt} and is still open. It is escalated to you.`,
  }[kind];
  const rows: [string, string][] = [
    ['Customer', who],
    ['E-mail', caseRecord.customer.email],
    ['Score', `${caseRecord.score}/10`],
    ...(kind === 'update' && changes.length > 0
      ? [
          [
            'Changes since the last update',
            `${changes.length} (${changes.map((score) => `${score}/10`).join(' → ')})`,
          ] as [string, string],
        ]
      : []),
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
<p><a href="${escapeHtml(casesUrl)}">Open your cases</a> to record what happened.</p>
</body></html>`;
  const text = [
    intro,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    `Your cases: ${casesUrl}`,
  ].join('\n');
  return { subject, html, text };
};
