import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface MailerConfig {
  /** `Name <address>` or an address of a verified SES identity. */
  readonly from: string;
  /** Configuration set whose event destination reports bounces and complaints. */
  readonly configurationSet?: string;
}

/** Sends e-mail through SES v2 (simple content with custom headers, HTML and text parts). */
export const createMailer = (ses: SESv2Client, config: MailerConfig) => ({
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: config.from,
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: config.configurationSet,
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
            Headers: Object.entries(email.headers ?? {}).map(([Name, Value]) => ({ Name, Value })),
          },
        },
      }),
    );
    return { messageId: MessageId ?? '' };
  },
});

export type Mailer = ReturnType<typeof createMailer>;
