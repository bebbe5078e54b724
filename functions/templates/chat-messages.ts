import { escapeSlackText } from '../domain/chat';
import type { Language } from '../domain/languages';
import { npsOf } from '../domain/nps';
import { singleLine } from '../domain/text';
import type { ChatKind } from '../schemas/chat';
import { reasonsText } from './alert-email';
import { localTime, longDate, managerMessagesFor } from './manager-messages';

/**
 * What a chat post says, whatever the chat: a title, labelled lines (any of them may hold a
 * customer's words, so every one is treated as untrusted text) and a link.
 */
export interface ChatMessage {
  readonly title: string;
  readonly lines: readonly (readonly [label: string, value: string])[];
  readonly link?: { readonly label: string; readonly url: string };
}

/** A detractor alert: score, the customer's first name (never an address or a phone), store, comment, case link. */
export const chatAlertMessage = (input: {
  storeName: string;
  firstName?: string;
  score: number;
  comment?: string;
  reasons: readonly string[];
  dueAt: string;
  caseUrl: string;
  language: Language;
  timeZone: string;
}): ChatMessage => {
  const text = managerMessagesFor(input.language);
  const storeName = singleLine(input.storeName);
  const who = singleLine(input.firstName ?? '') || text.labels.customer;
  return {
    title: text.alertSubject(storeName, who, input.score),
    lines: [
      [text.labels.store, storeName],
      [text.labels.customer, who],
      [text.labels.score, `${input.score}/10`],
      [text.labels.comment, input.comment ?? text.noComment],
      [text.labels.reasons, reasonsText(input.reasons, input.language)],
      [text.labels.due, localTime(input.dueAt, input.language, input.timeZone)],
    ],
    link: { label: text.openThisCase, url: input.caseUrl },
  };
};

/** A store's daily digest: the day's NPS and counts, the number of cases still open, a link to the cases. */
export const chatDigestMessage = (input: {
  storeName: string;
  date: string;
  promoters: number;
  passives: number;
  detractors: number;
  openCases: number;
  casesUrl: string;
  language: Language;
}): ChatMessage => {
  const text = managerMessagesFor(input.language);
  const day = longDate(input.date, input.language);
  const result = npsOf(input);
  const nps =
    result.nps === undefined
      ? text.noResponses
      : text.npsFigure(
          result.nps.toFixed(0),
          (result.marginOfError ?? 0).toFixed(0),
          result.responses,
          result.lowConfidence,
        );
  return {
    title: text.digestSubject(singleLine(input.storeName), day),
    lines: [
      ['NPS', text.digestSummary(day, nps, input.promoters, input.passives, input.detractors)],
      [
        text.yourCases,
        input.openCases === 0 ? text.noOpenCases : text.openCases(input.openCases).replace(/\s*:\s*$/, '.'),
      ],
    ],
    link: { label: text.yourCases, url: input.casesUrl },
  };
};

/** What `closeloop chat test` posts. */
export const chatTestMessage = (input: { scope: string; events: readonly string[] }): ChatMessage => ({
  title: 'closeloop: test message',
  lines: [
    ['Scope', input.scope],
    ['Posts', input.events.join(', ')],
  ],
});

/** Cuts a text so that its Slack-escaped form fits `max` characters, with an ellipsis if cut. */
const slackFit = (text: string, max: number) => {
  const escaped = escapeSlackText(text);
  if (escaped.length <= max) return escaped;
  let fitted = '';
  for (const char of text) {
    const next = escapeSlackText(char);
    if (fitted.length + next.length > max - 1) break;
    fitted += next;
  }
  return `${fitted}…`;
};

/**
 * A Slack incoming-webhook payload (https://api.slack.com/messaging/webhooks): `text`, the
 * notification's fallback, and Block Kit `blocks`. Every text has Slack's control characters `&`, `<`
 * and `>` escaped (https://api.slack.com/reference/surfaces/formatting#escaping), so `<!channel>` or
 * `<https://evil|x>` show as typed. Untrusted values go in `plain_text` objects, which render no
 * mrkdwn (`*bold*` stays as typed) and parse no mention (`@here`); the one `mrkdwn` text, the case
 * link, is ours and `verbatim` (https://api.slack.com/reference/block-kit/composition-objects#text).
 * Limits: header 150 characters, section text 3000.
 */
export const slackPayloadOf = (message: ChatMessage) => ({
  text: slackFit(message.title, 3000),
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: slackFit(message.title, 150) } },
    ...message.lines.map(([label, value]) => ({
      type: 'section',
      text: { type: 'plain_text', text: slackFit(`${label}: ${value}`, 3000) },
    })),
    ...(message.link === undefined
      ? []
      : [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: `<${escapeSlackText(message.link.url)}|${escapeSlackText(message.link.label)}>`,
              verbatim: true,
            },
          },
        ]),
  ],
  unfurl_links: false,
  unfurl_media: false,
});

/** One run of text in an Adaptive Card: a `TextRun` renders no Markdown, so any text shows as typed. */
const textRun = (text: string, style: Record<string, string> = {}) => ({ type: 'TextRun', text, ...style });

/**
 * A Teams payload: an Adaptive Card in the `message` attachment shape that Teams incoming webhooks
 * and the Workflows "when a Teams webhook request is received" trigger accept
 * (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook).
 * A `TextBlock` renders a Markdown subset (`**bold**`, `[link](url)`), so every text here is a
 * `RichTextBlock` of `TextRun`s instead, whose text is plain: "Markdown is not supported"
 * (https://adaptivecards.io/explorer/TextRun.html, card version 1.2). HTML is never rendered, and a
 * mention needs an `msteams.entities` entry, so `<at>` or `@here` in a comment stay text. The link
 * is an `Action.OpenUrl`, one of the actions incoming webhooks support.
 */
export const teamsPayloadOf = (message: ChatMessage) => ({
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.2',
        body: [
          {
            type: 'RichTextBlock',
            inlines: [textRun(message.title, { weight: 'Bolder', size: 'Medium' })],
          },
          ...message.lines.map(([label, value]) => ({
            type: 'RichTextBlock',
            inlines: [textRun(`${label}: `, { weight: 'Bolder' }), textRun(value)],
          })),
        ],
        ...(message.link && {
          actions: [{ type: 'Action.OpenUrl', title: message.link.label, url: message.link.url }],
        }),
        msteams: { width: 'Full' },
      },
    },
  ],
});

/** The payload of a message for a chat of this kind. */
export const chatPayloadOf = (kind: ChatKind, message: ChatMessage) =>
  kind === 'slack' ? slackPayloadOf(message) : teamsPayloadOf(message);
