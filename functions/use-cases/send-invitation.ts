import type { CustomerRepository } from '../adapters/customer-repository';
import type { Once } from '../adapters/idempotency';
import type { Mailer } from '../adapters/mailer';
import type { StoreRepository } from '../adapters/store-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import {
  addDays,
  dueShardOf,
  effectiveNow,
  invitationDecision,
  nextSurveyAfter,
  provisionalNextSurveyAt,
  type SkipReason,
} from '../domain/schedule';
import { surveyKeyOf } from '../domain/survey-link';
import type { CustomerRecord } from '../schemas/customer';
import type { InvitationTask, SurveyRecord } from '../schemas/survey';
import { renderInvitationEmail } from '../templates/invitation-email';

export interface InvitationSettings {
  /** Base URL of the public API: links are `{apiUrl}/s/{token}` and `{apiUrl}/u/{token}`. */
  readonly apiUrl: string;
  readonly brand: string;
  /** Days after the invitation that the one reminder goes to a non-responder; 0 sends none. */
  readonly reminderAfterDays: number;
  /** Days a survey link can be answered. */
  readonly surveyTtlDays: number;
}

export interface SendInvitationDeps {
  readonly customers: CustomerRepository;
  readonly stores: Pick<StoreRepository, 'get'>;
  readonly surveys: SurveyRepository;
  readonly mailer: Mailer;
  readonly once: Once;
  readonly settings: InvitationSettings;
  /** A new unguessable link token (at least 128 random bits) and a new public survey id. */
  readonly newToken: () => string;
  readonly newSurveyId: () => string;
  readonly clock?: () => Date;
}

export type TaskOutcome =
  | { readonly outcome: 'sent'; readonly surveyId: string }
  /** Run after its send window closed (`sendBy`): handed back to the scheduler, for the next window. */
  | { readonly outcome: 'postponed' }
  | {
      readonly outcome: 'skipped';
      readonly reason: SkipReason | 'answered' | 'expired' | 'unknown-survey' | 'reminded';
    };

const links = (apiUrl: string, token: string) => ({
  surveyUrl: `${apiUrl}/s/${token}`,
  unsubscribeUrl: `${apiUrl}/u/${token}`,
});

const emailFor = (
  kind: 'invitation' | 'reminder',
  customer: CustomerRecord,
  storeName: string,
  token: string,
  settings: InvitationSettings,
) => {
  const email = renderInvitationEmail({
    kind,
    locale: customer.locale,
    firstName: customer.firstName,
    brand: settings.brand,
    storeName,
    ...links(settings.apiUrl, token),
  });
  return { to: customer.email, ...email };
};

/**
 * Sends the e-mail an invitation task asks for, exactly once however often the task is delivered:
 * the send runs under an idempotency key (the customer and cycle, or the survey for a reminder), and
 * the bookkeeping after it is idempotent too, so a redelivery after a crash only finishes it.
 */
export const handleInvitationTask = (
  task: InvitationTask,
  deps: SendInvitationDeps,
): Promise<TaskOutcome> => {
  const at = effectiveNow(new Date(task.scheduledAt), (deps.clock ?? (() => new Date()))());
  const late = task.sendBy !== undefined && at.getTime() >= new Date(task.sendBy).getTime();
  return task.kind === 'invitation'
    ? sendInvitation(task, at, late, deps)
    : sendReminder(task.token, at, late, deps);
};

const storeName = async (deps: SendInvitationDeps, storeId: string) =>
  (await deps.stores.get(storeId))?.name ?? storeId;

const sendInvitation = async (
  task: Extract<InvitationTask, { kind: 'invitation' }>,
  at: Date,
  late: boolean,
  deps: SendInvitationDeps,
): Promise<TaskOutcome> => {
  const customer = await deps.customers.get(task.customerId);
  const decision = invitationDecision(customer, task.cycleAt, at);
  if (!decision.send || customer === undefined)
    return { outcome: 'skipped', reason: decision.send ? 'unknown-customer' : decision.reason };
  if (late) {
    // Due again at its cycle (so a send an earlier attempt made is recognised): the scheduler finds it
    // overdue and gives it a slot in the next window. Nothing changes if the due date moved meanwhile.
    const queuedFor = provisionalNextSurveyAt(new Date(task.cycleAt), new Date(task.scheduledAt));
    await deps.customers.advanceSchedule(customer.customerId, queuedFor.toISOString(), task.cycleAt);
    return { outcome: 'postponed' };
  }
  const { settings } = deps;
  const store = await storeName(deps, customer.storeId);

  const sent = await deps.once(`invitation:${customer.customerId}:${task.cycleAt}`, async () => {
    // The link token goes into the e-mail only: the survey is keyed by its hash, and the result kept by
    // the idempotency record is that key too, so a retry finishes with the survey the e-mail links to.
    const linkToken = deps.newToken();
    const survey: SurveyRecord = {
      token: surveyKeyOf(linkToken),
      surveyId: deps.newSurveyId(),
      customerId: customer.customerId,
      storeId: customer.storeId,
      locale: customer.locale,
      cycleAt: task.cycleAt,
      status: 'sending',
      createdAt: at.toISOString(),
      expiresAt: addDays(at, settings.surveyTtlDays).toISOString(),
    };
    await deps.surveys.create(survey);
    try {
      await deps.mailer.send(emailFor('invitation', customer, store, linkToken, settings));
    } catch (error) {
      await deps.surveys.discard(survey.token);
      throw error;
    }
    return { token: survey.token, surveyId: survey.surveyId };
  });

  const reminder =
    settings.reminderAfterDays > 0
      ? { shard: dueShardOf(sent.token), dueAt: addDays(at, settings.reminderAfterDays).toISOString() }
      : undefined;
  await deps.surveys.markSent(sent.token, at.toISOString(), reminder, customer.storeId);
  await deps.customers.recordSurveySent(customer.customerId, {
    surveyId: sent.surveyId,
    cycleAt: task.cycleAt,
    sentAt: at.toISOString(),
    nextSurveyAt: nextSurveyAfter(at).toISOString(),
  });
  return { outcome: 'sent', surveyId: sent.surveyId };
};

const sendReminder = async (
  token: string,
  at: Date,
  late: boolean,
  deps: SendInvitationDeps,
): Promise<TaskOutcome> => {
  const survey = await deps.surveys.get(token);
  if (survey === undefined) return { outcome: 'skipped', reason: 'unknown-survey' };
  if (survey.status === 'responded') return { outcome: 'skipped', reason: 'answered' };
  if (survey.reminderSentAt !== undefined) return { outcome: 'skipped', reason: 'reminded' };
  if (new Date(survey.expiresAt).getTime() <= at.getTime()) return { outcome: 'skipped', reason: 'expired' };
  const customer = await deps.customers.get(survey.customerId);
  if (customer === undefined) return { outcome: 'skipped', reason: 'unknown-customer' };
  if (customer.contactStatus !== 'subscribed') return { outcome: 'skipped', reason: 'not-subscribed' };
  if (late) {
    // Back in the reminder index, due now: the scheduler gives it a slot in the next window.
    await deps.surveys.restoreReminder(token, dueShardOf(token), at.toISOString());
    return { outcome: 'postponed' };
  }
  const store = await storeName(deps, survey.storeId);
  // The survey holds only the hash of the invitation's link, so the reminder gets a link of its own:
  // a fresh token, whose hash the survey keeps as `reminderLinkKey` (the `byReminderLink` index finds
  // the survey from it). One scalar, not a set, as an index key must be: it is stored before the e-mail
  // goes, only if the survey has none yet (first writer wins), and the e-mail is built from the token
  // only when our write won, so every reminder link sent works. When the e-mail fails the key is taken
  // back and the retry starts afresh. When the key is already there, an earlier attempt crashed after
  // storing it, and may have sent its e-mail: that token cannot be read again and a second token would
  // be a link that does not work, so no reminder goes (the invitation's link still does).
  const reminded = await deps.once(`reminder:${token}`, async () => {
    const linkToken = deps.newToken();
    const linkKey = surveyKeyOf(linkToken);
    if (!(await deps.surveys.setReminderLinkKey(token, linkKey))) return { sent: false };
    try {
      await deps.mailer.send(emailFor('reminder', customer, store, linkToken, deps.settings));
    } catch (error) {
      await deps.surveys.removeReminderLinkKey(token, linkKey);
      throw error;
    }
    return { sent: true };
  });
  await deps.surveys.markReminderSent(token, at.toISOString());
  // (`{}` is what reminders sent before reminder links had their own token left in the idempotency table.)
  if (reminded.sent === false) return { outcome: 'skipped', reason: 'reminded' };
  return { outcome: 'sent', surveyId: survey.surveyId };
};
