import * as z from 'zod/mini';

const recipients = z.array(z.object({ emailAddress: z.string() }));

/**
 * The part of an SES bounce or complaint we act on, as SES publishes it through a configuration set
 * event destination (`eventType`) or identity notifications (`notificationType`).
 */
export const SesFeedbackEvent = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(z.object({ bounceType: z.string(), bouncedRecipients: recipients })),
  complaint: z.optional(z.object({ complainedRecipients: recipients })),
});
export type SesFeedbackEvent = z.infer<typeof SesFeedbackEvent>;

/** The SNS envelope around it when the topic delivers to SQS without raw message delivery. */
export const SnsEnvelope = z.object({ Type: z.string(), Message: z.string() });

/** The SES event of a queue message: SES publishes to SNS, which wraps it in an envelope first. */
export const feedbackOf = (messageBody: string): SesFeedbackEvent => {
  const body: unknown = JSON.parse(messageBody);
  const envelope = SnsEnvelope.safeParse(body);
  return SesFeedbackEvent.parse(envelope.success ? JSON.parse(envelope.data.Message) : body);
};
