import type { CustomerRepository } from '../adapters/customer-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { WebhookOutbox } from '../adapters/webhook-outbox';
import { suppressionsFrom } from '../domain/contact';
import { NotFoundError } from '../domain/errors';
import { legacyKeyOf, surveyKeyOf } from '../domain/survey-link';
import { customerUnsubscribedEventOf } from '../domain/webhooks';
import type { SesFeedbackEvent } from '../schemas/ses-feedback';
import { SurveyToken } from '../schemas/survey';

export interface ContactStatusDeps {
  readonly customers: Pick<CustomerRepository, 'setContactStatus' | 'emailOwner'>;
  readonly surveys: Pick<SurveyRepository, 'get' | 'keyOfReminderLink'>;
  readonly clock?: () => Date;
  /**
   * The webhook outbox: `customer.unsubscribed`, recorded after the status change and again on a
   * repeat (a retry after a failure here): keyed by customer and reason, it is recorded once.
   */
  readonly webhookEvents?: Pick<WebhookOutbox, 'record'>;
}

type FeedbackDeps = Omit<ContactStatusDeps, 'surveys'>;

/**
 * The key of the survey behind a link that is not an invitation's (whose key is `surveyKeyOf(token)`):
 * a reminder's, through the `byReminderLink` index, else a link sent before keys were hashed, keyed by
 * its raw token (that fallback can go 30 days after deploying hashed keys: see docs/decisions.md).
 */
export const keyOfOtherLink = async (
  surveys: Pick<SurveyRepository, 'keyOfReminderLink'>,
  token: string,
): Promise<string | undefined> => (await surveys.keyOfReminderLink(surveyKeyOf(token))) ?? legacyKeyOf(token);

/** Finds the survey behind an e-mail link; an unknown or malformed token is a 404. */
export const surveyForLink = async (deps: Pick<ContactStatusDeps, 'surveys'>, token: string) => {
  if (!SurveyToken.safeParse(token).success) throw new NotFoundError('This link is not valid.');
  let survey = await deps.surveys.get(surveyKeyOf(token));
  if (survey === undefined) {
    const key = await keyOfOtherLink(deps.surveys, token);
    survey = key === undefined ? undefined : await deps.surveys.get(key);
  }
  if (survey === undefined) throw new NotFoundError('This link is not valid.');
  return survey;
};

/** Unsubscribes the customer an e-mail link was sent to. Idempotent: a second click changes nothing. */
export const unsubscribe = async (deps: ContactStatusDeps, token: string) => {
  const survey = await surveyForLink(deps, token);
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  const changed = await deps.customers.setContactStatus(survey.customerId, 'unsubscribed', at);
  await deps.webhookEvents?.record(customerUnsubscribedEventOf(survey.customerId, 'unsubscribed', at));
  return { survey, changed };
};

/** Marks the customers behind hard bounces and complaints so they are never mailed again. */
export const applySesFeedback = async (deps: FeedbackDeps, event: SesFeedbackEvent) => {
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  const applied: { email: string; customerId?: string; status: string }[] = [];
  for (const { email, status } of suppressionsFrom(event)) {
    const customerId = await deps.customers.emailOwner(email);
    if (customerId !== undefined) {
      await deps.customers.setContactStatus(customerId, status, at);
      await deps.webhookEvents?.record(customerUnsubscribedEventOf(customerId, status, at));
    }
    applied.push({ email, customerId, status });
  }
  return applied;
};
