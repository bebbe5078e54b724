import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  chatAlertMessage,
  chatDigestMessage,
  slackPayloadOf,
  teamsPayloadOf,
} from '../../../functions/templates/chat-messages';

/**
 * Slack's incoming-webhook payload as documented (https://api.slack.com/messaging/webhooks, Block Kit
 * https://api.slack.com/reference/block-kit/blocks): `text` and `blocks`; a header's text is
 * plain_text of at most 150 characters, a section's a text object of at most 3000.
 */
const SlackText = z.object({
  type: z.enum(['plain_text', 'mrkdwn']),
  text: z.string().check(z.minLength(1), z.maxLength(3000)),
  verbatim: z.optional(z.boolean()),
});
const SlackPayload = z.strictObject({
  text: z.string().check(z.minLength(1)),
  blocks: z.array(
    z.discriminatedUnion('type', [
      z.strictObject({
        type: z.literal('header'),
        text: z.strictObject({ type: z.literal('plain_text'), text: z.string().check(z.maxLength(150)) }),
      }),
      z.strictObject({ type: z.literal('section'), text: SlackText }),
    ]),
  ),
  unfurl_links: z.optional(z.boolean()),
  unfurl_media: z.optional(z.boolean()),
});

/**
 * Teams' incoming webhook / Workflows payload as documented
 * (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook):
 * `type: 'message'`, attachments of the Adaptive Card content type whose content is the card.
 */
const TeamsPayload = z.strictObject({
  type: z.literal('message'),
  attachments: z
    .array(
      z.strictObject({
        contentType: z.literal('application/vnd.microsoft.card.adaptive'),
        contentUrl: z.null(),
        content: z.object({
          $schema: z.literal('http://adaptivecards.io/schemas/adaptive-card.json'),
          type: z.literal('AdaptiveCard'),
          version: z.string().check(z.regex(/^1\.[0-5]$/)),
          body: z.array(
            z.strictObject({
              type: z.literal('RichTextBlock'),
              inlines: z.array(
                z.object({ type: z.literal('TextRun'), text: z.string().check(z.minLength(1)) }),
              ),
            }),
          ),
          actions: z.optional(
            z.array(z.strictObject({ type: z.literal('Action.OpenUrl'), title: z.string(), url: z.url() })),
          ),
        }),
      }),
    )
    .check(z.length(1)),
});

const hostile =
  '<script>alert(1)</script> <!channel> @here *bold* _it_ [click](https://evil.example) <https://evil.example|click> & co';

const alert = (comment?: string) =>
  chatAlertMessage({
    storeName: 'Lyon <Part-Dieu>',
    firstName: 'Ada',
    score: 3,
    comment,
    reasons: ['staff'],
    dueAt: '2026-11-04T09:00:00.000Z',
    caseUrl: 'https://surveys.example.test/m?case=c%201',
    language: 'en',
    timeZone: 'Europe/Paris',
  });

/** Every string in a JSON value. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(stringsOf)
      : value !== null && typeof value === 'object'
        ? Object.values(value).flatMap(stringsOf)
        : [];

describe('slackPayloadOf', () => {
  it('builds the documented {text, blocks} shape: header, one section per line, the case link', () => {
    const payload = SlackPayload.parse(slackPayloadOf(alert('Nobody helped')));
    expect(payload.text).toBe(
      'Detractor at Lyon &lt;Part-Dieu&gt;: Ada gave 3/10, please call within 24 hours',
    );
    expect(payload.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: payload.text },
    });
    const texts = payload.blocks.slice(1).map((block) => block.text.text);
    expect(texts).toContain('Score: 3/10');
    expect(texts).toContain('Comment: Nobody helped');
    expect(texts).toContain('Customer: Ada');
    expect(payload.blocks.at(-1)?.text).toEqual({
      type: 'mrkdwn',
      text: '<https://surveys.example.test/m?case=c%201|Open this case>',
      verbatim: true,
    });
  });

  it('neutralises a hostile comment: control characters escaped, in plain_text that renders no mrkdwn', () => {
    const payload = SlackPayload.parse(slackPayloadOf(alert(hostile)));
    const comment = payload.blocks.find((block) => block.text.text.startsWith('Comment:'))?.text;
    expect(comment).toEqual({
      type: 'plain_text',
      text:
        'Comment: &lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt; @here *bold* _it_ ' +
        '[click](https://evil.example) &lt;https://evil.example|click&gt; &amp; co',
    });
    // No raw Slack control sequence anywhere but in our own link.
    for (const text of stringsOf(payload.blocks.slice(0, -1))) expect(text).not.toMatch(/[<>]/);
    expect(payload.text).not.toContain(hostile);
  });

  it('keeps a long comment inside the 3000-character section limit, escaped entities whole', () => {
    const payload = SlackPayload.parse(slackPayloadOf(alert('&'.repeat(2000))));
    const comment = payload.blocks.find((block) => block.text.text.startsWith('Comment:'))?.text.text ?? '';
    expect(comment.length).toBeLessThanOrEqual(3000);
    expect(comment).toMatch(/^Comment: (&amp;)+…$/);
  });

  it('never shows an e-mail address or phone number', () => {
    const text = JSON.stringify(slackPayloadOf(alert('call me')));
    expect(text).not.toMatch(/@[a-z0-9-]+\.[a-z]/i);
    expect(text).not.toContain('Phone');
  });
});

describe('teamsPayloadOf', () => {
  it('builds the documented message with one Adaptive Card attachment and an Open URL action', () => {
    const payload = TeamsPayload.parse(teamsPayloadOf(alert('Nobody helped')));
    const card = payload.attachments[0]?.content;
    expect(card?.version).toBe('1.2');
    expect(card?.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open this case', url: 'https://surveys.example.test/m?case=c%201' },
    ]);
    expect(card?.body.map((block) => block.inlines.map((run) => run.text).join(''))).toContain(
      'Comment: Nobody helped',
    );
  });

  it('puts a hostile comment as typed in a TextRun, which renders no Markdown, and no TextBlock anywhere', () => {
    const payload = teamsPayloadOf(alert(hostile));
    const card = TeamsPayload.parse(payload).attachments[0]?.content;
    const comment = card?.body.find((block) => block.inlines[0]?.text === 'Comment: ');
    expect(comment?.inlines[1]).toEqual({ type: 'TextRun', text: hostile });
    expect(JSON.stringify(payload)).not.toContain('"TextBlock"');
  });
});

describe('chatDigestMessage', () => {
  it('says the day’s NPS, counts and open cases, in the store’s language, for both chats', () => {
    const message = chatDigestMessage({
      storeName: 'Lyon',
      date: '2026-11-03',
      promoters: 6,
      passives: 2,
      detractors: 2,
      openCases: 1,
      casesUrl: 'https://surveys.example.test/m',
      language: 'fr',
    });
    expect(message.title).toBe('Lyon : synthèse NPS du 3 novembre 2026');
    const slack = SlackPayload.parse(slackPayloadOf(message));
    expect(slack.blocks.map((block) => block.text.text).join('\n')).toMatch(/NPS 40 .*10/);
    expect(TeamsPayload.parse(teamsPayloadOf(message)).attachments[0]?.content.actions?.[0]?.url).toBe(
      'https://surveys.example.test/m',
    );
  });
});
