import escapeHtml from 'escape-html';
import type { Language } from '../domain/languages';
import { singleLine } from '../domain/text';
import type { CaseRecord } from '../schemas/case';
import { localTime, managerMessagesFor } from './manager-messages';

/** The reasons a customer picked, in the manager's language. */
export const reasonsText = (reasons: readonly string[], language: Language) => {
  const labels = managerMessagesFor(language).reasons as Readonly<Record<string, string>>;
  return reasons.length > 0
    ? reasons.map((reason) => labels[reason] ?? reason).join(', ')
    : managerMessagesFor(language).noReasons;
};

/** Where an e-mail about a case links: the managers' page opened on that case. */
export const caseLink = (casesUrl: string, caseId: string) =>
  `${casesUrl}?case=${encodeURIComponent(caseId)}`;

/**
 * The alert a store manager gets for a detractor (or the regional manager for an escalation): who,
 * how to reach them, the score, the comment (escaped), the reasons, earlier scores, and the deadline,
 * in the store's language and time zone, with a link straight to the case.
 */
export const renderCaseEmail = (
  caseRecord: CaseRecord,
  {
    storeName: givenStoreName,
    kind,
    casesUrl,
    changes = [],
    language,
    timeZone,
  }: {
    storeName: string;
    kind: 'alert' | 'update' | 'escalation';
    /** The managers' page, `{apiUrl}/m`. */
    casesUrl: string;
    /** For an update: the scores of the changes it covers, in order (one e-mail per interval at most). */
    changes?: readonly number[];
    /** The store's language and zone. */
    language: Language;
    timeZone: string;
  },
) => {
  const text = managerMessagesFor(language);
  // Names may come from before imports cleaned them: one line each, so no header can be smuggled in.
  const storeName = singleLine(givenStoreName);
  const who = singleLine(caseRecord.customer.name) || singleLine(caseRecord.customer.email);
  const due = localTime(caseRecord.dueAt, language, timeZone);
  const subject = {
    alert: text.alertSubject(storeName, who, caseRecord.score),
    update: text.updateSubject(who, storeName, caseRecord.score, changes.length),
    escalation: text.escalationSubject(storeName, who, caseRecord.score),
  }[kind];
  const intro = {
    alert: text.alertIntro(storeName, due),
    update: text.updateIntro(who, due),
    escalation: text.escalationIntro(due),
  }[kind];
  const { labels } = text;
  const rows: [string, string][] = [
    [labels.customer, who],
    [labels.phone, caseRecord.customer.phone ?? text.noPhone],
    [labels.email, caseRecord.customer.email],
    [labels.score, `${caseRecord.score}/10`],
    ...(kind === 'update' && changes.length > 0
      ? [
          [labels.changes, `${changes.length} (${changes.map((score) => `${score}/10`).join(' → ')})`] as [
            string,
            string,
          ],
        ]
      : []),
    [labels.comment, caseRecord.comment ?? text.noComment],
    [labels.reasons, reasonsText(caseRecord.reasons, language)],
    [
      labels.earlierScores,
      caseRecord.previousScores.length > 0 ? caseRecord.previousScores.join(', ') : text.firstSurvey,
    ],
    [labels.answered, localTime(caseRecord.answeredAt, language, timeZone)],
    [labels.due, due],
    [labels.case, caseRecord.caseId],
  ];
  const link = caseLink(casesUrl, caseRecord.caseId);
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font:15px/1.5 Arial,Helvetica,sans-serif;color:#18181b">
<p>${escapeHtml(intro)}</p>
<table role="presentation" cellpadding="4">${rows
    .map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('')}</table>
<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:12px 20px;background:#18181b;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:bold">${escapeHtml(text.openThisCase)}</a> ${escapeHtml(text.toRecord)}</p>
</body></html>`;
  const plain = [
    intro,
    '',
    ...rows.map(([label, value]) => `${label}: ${value}`),
    '',
    `${text.openThisCase}: ${link}`,
  ].join('\n');
  return { subject, html, text: plain };
};
