import type { CustomerRepository } from '../adapters/customer-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import { suppressionsFrom } from '../domain/contact';
import { NotFoundError } from '../domain/errors';
import type { SesFeedbackEvent } from '../schemas/ses-feedback';
import { SurveyToken } from '../schemas/survey';

export interface ContactStatusDeps {
  readonly customers: Pick<CustomerRepository, 'setContactStatus' | 'emailOwner'>;
  readonly surveys: Pick<SurveyRepository, 'get'>;
  readonly clock?: () => Date;
}

type FeedbackDeps = Omit<ContactStatusDeps, 'surveys'>;

/** Finds the survey behind an e-mail link; an unknown or malformed token is a 404. */
export const surveyForLink = async (deps: Pick<ContactStatusDeps, 'surveys'>, token: string) => {
  const survey = SurveyToken.safeParse(token).success ? await deps.surveys.get(token) : undefined;
  if (survey === undefined) throw new NotFoundError('This link is not valid.');
  return survey;
};

/** Unsubscribes the customer an e-mail link was sent to. Idempotent: a second click changes nothing. */
export const unsubscribe = async (deps: ContactStatusDeps, token: string) => {
  const survey = await surveyForLink(deps, token);
  const changed = await deps.customers.setContactStatus(
    survey.customerId,
    'unsubscribed',
    (deps.clock ?? (() => new Date()))().toISOString(),
  );
  return { survey, changed };
};

/** Marks the customers behind hard bounces and complaints so they are never mailed again. */
export const applySesFeedback = async (deps: FeedbackDeps, event: SesFeedbackEvent) => {
  const at = (deps.clock ?? (() => new Date()))().toISOString();
  const applied: { email: string; customerId?: string; status: string }[] = [];
  for (const { email, status } of suppressionsFrom(event)) {
    const customerId = await deps.customers.emailOwner(email);
    if (customerId !== undefined) await deps.customers.setContactStatus(customerId, status, at);
    applied.push({ email, customerId, status });
  }
  return applied;
};
