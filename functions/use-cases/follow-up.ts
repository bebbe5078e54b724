import type { AggregateRepository } from '../adapters/aggregate-repository';
import type { CaseRepository } from '../adapters/case-repository';
import type { CustomerRepository } from '../adapters/customer-repository';
import type { Once } from '../adapters/idempotency';
import type { Mailer } from '../adapters/mailer';
import type { StoreRepository } from '../adapters/store-repository';
import type { TaskQueue } from '../adapters/task-queue';
import type { WebhookOutbox } from '../adapters/webhook-outbox';
import { dueAtFor, nextUpdateMailStep, ownerOf, previousDate, statusDueOf } from '../domain/follow-up';
import { followUpFiguresOf } from '../domain/follow-up-outcomes';
import type { Language } from '../domain/languages';
import { npsOf } from '../domain/nps';
import { dueShardOf } from '../domain/schedule';
import { caseOpenedEventOf } from '../domain/webhooks';
import type { FollowUpTask } from '../schemas/answer';
import type { CaseRecord } from '../schemas/case';
import type { ChatPostRequest } from '../schemas/chat';
import { caseLink, renderCaseEmail } from '../templates/alert-email';
import { renderDigestEmail } from '../templates/digest-email';

export interface FollowUpDeps {
  /** The managers' page: `{apiUrl}/m`; each e-mail links to its case (`?case=`). */
  readonly casesUrl: string;
  readonly cases: CaseRepository;
  readonly customers: Pick<CustomerRepository, 'get'>;
  readonly stores: Pick<StoreRepository, 'get'>;
  readonly aggregates: Pick<AggregateRepository, 'readAggregate' | 'readFollowUp'>;
  readonly mailer: Mailer;
  readonly once: Once;
  /** The update e-mails of a case: at most one per `intervalSeconds`, the rest carried by delayed tasks. */
  readonly caseUpdates: {
    readonly intervalSeconds: number;
    readonly queue: Pick<TaskQueue, 'sendLater'>;
  };
  readonly clock?: () => Date;
  /**
   * The chat-posts queue: one message per alert and digest, which the chat-posts function posts to
   * the Slack and Teams channels of the store, its region and the chain. None when absent.
   */
  readonly chatPosts?: Pick<TaskQueue, 'sendAll'>;
  /** The webhook outbox: `case.opened` for each case. None when absent. */
  readonly webhookEvents?: Pick<WebhookOutbox, 'record'>;
}

/** A note for a case that does not exist yet: the task is retried until the detractor task created it. */
export class CaseNotOpenYetError extends Error {}

/**
 * Handles a follow-up task. A detractor opens one case (keyed by survey, so duplicates open nothing)
 * and alerts its owner once; a changed answer is noted on the case once, at once, and its owner gets
 * at most one update e-mail per interval, covering every change since the last; an overdue case is escalated
 * to the regional manager once. Every step is idempotent, so at-least-once, out-of-order delivery is
 * harmless.
 */
export const handleFollowUpTask = async (deps: FollowUpDeps, task: FollowUpTask) => {
  const now = (deps.clock ?? (() => new Date()))();
  if (task.kind === 'detractor') return openCase(deps, task, now);
  if (task.kind === 'answer-changed') {
    const added = await deps.cases.recordAnswerChange(
      task.surveyId,
      { score: task.score, comment: task.comment, reasons: task.reasons },
      {
        at: task.answeredAt,
        by: 'customer',
        text: `The customer changed the answer to ${task.score}/10${task.comment ? `: ${task.comment}` : ''}.`,
      },
      `answer:${task.answeredAt}`,
    );
    if (added === 'missing') throw new CaseNotOpenYetError(`no case ${task.surveyId} yet`);
    // The case shows the change at once; its owner hears of it at most once per interval. Also on a
    // duplicate: a delivery that crashed after noting the change must still see it mailed.
    await settleUpdateMail(deps, task.surveyId, now, 'change');
    return added;
  }
  if (task.kind === 'case-update') return settleUpdateMail(deps, task.caseId, now, 'scheduled');
  if (task.kind === 'digest') return sendDigest(deps, task.storeId, task.date, now);
  return escalate(deps, task.caseId, new Date(Math.max(now.getTime(), new Date(task.scheduledAt).getTime())));
};

/**
 * The daily digest of a store for `date` (its local date): the NPS of the day before and the cases
 * still open, to the store's owner, once; nothing when there is nothing to say.
 */
const sendDigest = async (deps: FollowUpDeps, storeId: string, date: string, now: Date) => {
  const store = await deps.stores.get(storeId);
  const owner = ownerOf(store);
  if (store === undefined || owner === undefined) return 'nobody-to-tell';
  const yesterday = previousDate(date);
  const [counts, cases, followUp] = await Promise.all([
    deps.aggregates.readAggregate(`store#${storeId}`, `day#${yesterday}`),
    deps.cases.list(storeId),
    deps.aggregates.readFollowUp(`store#${storeId}`, `month#${yesterday.slice(0, 7)}`),
  ]);
  const monthFollowUp = followUpFiguresOf(followUp);
  const openCases = cases.filter((caseRecord) => caseRecord.status !== 'closed');
  const result = { ...npsOf(counts), ...counts };
  if (result.responses === 0 && openCases.length === 0) return 'nothing-to-say';
  await deps.once(`digest:${storeId}:${date}`, async () => {
    await deps.mailer.send({
      to: owner.owner,
      ...renderDigestEmail({
        storeName: store.name,
        date: yesterday,
        yesterday: result,
        openCases,
        followUp: {
          withinSla: monthFollowUp.withinSla,
          opened: monthFollowUp.opened,
          medianHours: monthFollowUp.medianHoursToFirstContact,
        },
        now,
        casesUrl: deps.casesUrl,
        ...managerLocaleOf(store),
      }),
    });
    return {};
  });
  await queueChatPost(deps, {
    event: 'digest',
    storeId,
    regionalManagerEmail: store.regionalManagerEmail,
    date: yesterday,
    message: {
      storeName: store.name,
      promoters: counts.promoters,
      passives: counts.passives,
      detractors: counts.detractors,
      openCases: openCases.length,
      casesUrl: deps.casesUrl,
      language: store.language ?? 'en',
    },
  });
  return 'sent';
};

/**
 * Brings a case's update e-mails up to date with its changes (see `nextUpdateMailStep`): sends an
 * e-mail claimed and not yet sent, claims and sends the next one when the interval has passed, or has
 * a delayed task carry the coalesced one. Exactly once under redelivery and concurrent consumers: a
 * conditional write claims each e-mail by number, and the e-mail goes once per number (`deps.once`),
 * so a consumer that crashed between the two leaves the claimed e-mail to its task's redelivery.
 * The delayed task is queued before it is recorded, so a crash queues one too many, never none.
 */
const settleUpdateMail = async (
  deps: FollowUpDeps,
  caseId: string,
  now: Date,
  origin: 'change' | 'scheduled',
) => {
  for (let round = 0; round < 10; round++) {
    const caseRecord = await deps.cases.get(caseId);
    if (caseRecord === undefined) return 'nothing';
    const next = nextUpdateMailStep(caseRecord, now, deps.caseUpdates.intervalSeconds);
    if (next.step === 'done') return 'nothing';
    if (next.step === 'wait') {
      // A scheduled task that comes early (a wait beyond SQS's 15 minutes) passes the baton on.
      if (next.scheduled && origin === 'change') return 'waiting';
      await deps.caseUpdates.queue.sendLater(
        { kind: 'case-update', caseId, dueAt: next.dueAt } satisfies FollowUpTask,
        next.delaySeconds,
      );
      await deps.cases.markUpdateMailScheduled(caseId, next.dueAt);
      return 'waiting';
    }
    if (next.step === 'claim') {
      await deps.cases.claimUpdateMail(caseId, next.expectedSeq, next.mail);
      continue; // claimed, or someone else did: read it again and deliver
    }
    const { mail } = next;
    const store = await storeOf(deps, caseRecord.storeId);
    await deps.once(`update:${caseId}:${mail.seq}`, async () => {
      await deps.mailer.send({
        to: caseRecord.owner,
        ...renderCaseEmail(caseRecord, {
          ...store,
          kind: 'update',
          casesUrl: deps.casesUrl,
          changes: (caseRecord.changeScores ?? []).slice(mail.from, mail.to),
        }),
      });
      return {};
    });
    await deps.cases.markUpdateMailSent(caseId, mail.seq);
  }
  throw new Error(`the update e-mails of case ${caseId} did not settle`);
};

/** The language and zone of a store's manager e-mails: the store's, or English and UTC for an unknown store. */
const managerLocaleOf = (store: { language?: Language; timezone: string } | undefined) => ({
  language: store?.language ?? 'en',
  timeZone: store?.timezone ?? 'UTC',
});

/** Hands an alert or a digest to the chat-posts function, after its e-mail (a channel never holds it up). */
const queueChatPost = async (deps: FollowUpDeps, request: ChatPostRequest) => {
  await deps.chatPosts?.sendAll([request]);
};

/** What an e-mail about a case says of its store: name, language and zone. */
const storeOf = async (deps: FollowUpDeps, storeId: string) => {
  const store = await deps.stores.get(storeId);
  return { storeName: store?.name ?? storeId, ...managerLocaleOf(store) };
};

const openCase = async (
  deps: FollowUpDeps,
  task: Extract<FollowUpTask, { kind: 'detractor' }>,
  now: Date,
) => {
  let caseRecord = await deps.cases.get(task.surveyId);
  if (caseRecord === undefined) {
    const [customer, store] = await Promise.all([
      deps.customers.get(task.customerId),
      deps.stores.get(task.storeId),
    ]);
    const owner = ownerOf(store) ?? { owner: '', ownerRole: 'store-manager' as const };
    const dueAt = dueAtFor(task.answeredAt);
    caseRecord = {
      caseId: task.surveyId,
      surveyId: task.surveyId,
      customerId: task.customerId,
      storeId: task.storeId,
      status: 'open',
      statusDue: statusDueOf('open', dueAt),
      score: task.score,
      ...(task.comment !== undefined && { comment: task.comment }),
      reasons: task.reasons,
      customer: {
        name: [customer?.firstName, customer?.lastName].filter(Boolean).join(' '),
        email: customer?.email ?? '',
        ...(customer?.phone !== undefined && { phone: customer.phone }),
        locale: customer?.locale ?? 'en',
        attributes: customer?.attributes ?? {},
      },
      previousScores: (customer?.surveyHistory ?? [])
        .filter((entry) => entry.surveyId !== task.surveyId && entry.score !== undefined)
        .map((entry) => entry.score as number),
      ...owner,
      answeredAt: task.answeredAt,
      openedAt: now.toISOString(),
      dueAt,
      escalationShard: dueShardOf(task.surveyId),
      notes: [],
      calls: [],
      updatedAt: now.toISOString(),
    };
    if (!(await deps.cases.open(caseRecord)))
      caseRecord = (await deps.cases.get(task.surveyId)) ?? caseRecord;
  }
  // Until the case is marked alerted, a redelivered task records it again: once per case all the same.
  if (caseRecord.alertedAt === undefined) await deps.webhookEvents?.record(caseOpenedEventOf(caseRecord));
  if (caseRecord.alertedAt === undefined && caseRecord.owner !== '') {
    const opened = caseRecord;
    const storeRecord = await deps.stores.get(opened.storeId);
    const store = { storeName: storeRecord?.name ?? opened.storeId, ...managerLocaleOf(storeRecord) };
    await deps.once(`alert:${opened.caseId}`, async () => {
      await deps.mailer.send({
        to: opened.owner,
        ...renderCaseEmail(opened, { ...store, kind: 'alert', casesUrl: deps.casesUrl }),
      });
      return {};
    });
    // After the e-mail, before the case is marked alerted: a redelivery queues the post again, and
    // each channel gets it once all the same.
    if (deps.chatPosts !== undefined)
      await queueChatPost(deps, {
        event: 'alert',
        storeId: opened.storeId,
        regionalManagerEmail: storeRecord?.regionalManagerEmail,
        caseId: opened.caseId,
        message: {
          ...store,
          firstName: (await deps.customers.get(opened.customerId))?.firstName,
          score: opened.score,
          comment: opened.comment,
          reasons: opened.reasons,
          dueAt: opened.dueAt,
          caseUrl: caseLink(deps.casesUrl, opened.caseId),
        },
      });
    await deps.cases.markAlerted(opened.caseId, now.toISOString());
  }
  return 'opened';
};

const escalate = async (deps: FollowUpDeps, caseId: string, at: Date) => {
  const caseRecord: CaseRecord | undefined = await deps.cases.get(caseId);
  if (caseRecord === undefined || caseRecord.status !== 'open' || caseRecord.escalatedAt !== undefined)
    return 'nothing';
  const store = await deps.stores.get(caseRecord.storeId);
  const to = store?.regionalManagerEmail ?? caseRecord.owner;
  if (to !== '') {
    const storeName = store?.name ?? caseRecord.storeId;
    await deps.once(`escalation:${caseId}`, async () => {
      await deps.mailer.send({
        to,
        ...renderCaseEmail(caseRecord, {
          storeName,
          ...managerLocaleOf(store),
          kind: 'escalation',
          casesUrl: deps.casesUrl,
        }),
      });
      return {};
    });
  }
  await deps.cases.markEscalated(caseId, to, at.toISOString(), caseRecord);
  return 'escalated';
};
