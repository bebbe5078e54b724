import * as z from 'zod/mini';
import type { CaseRepository } from '../adapters/case-repository';
import { type ConsentRepository, StaleConsentError } from '../adapters/consent-repository';
import { ConcurrentCustomerChangeError, type CustomerRepository } from '../adapters/customer-repository';
import type { SurveyRepository } from '../adapters/survey-repository';
import type { ThemeExampleRepository } from '../adapters/theme-example-repository';
import type { WebhookOutbox } from '../adapters/webhook-outbox';
import { MAX_ANSWERS } from '../domain/answer-trust';
import { ConflictError, NotFoundError } from '../domain/errors';
import {
  ERASED_CUSTOMER_ID,
  ERASED_NOTE_TEXT,
  erasableParts,
  isErasedCase,
  jsonSafe,
  pendingWork,
} from '../domain/privacy';
import { webhookEventIdsOfCustomer, webhookEventIdsOfSurvey } from '../domain/webhooks';
import { Reason } from '../schemas/answer';

export interface CustomerPrivacyDeps {
  readonly customers: Pick<
    CustomerRepository,
    'readItem' | 'readEmailClaim' | 'setContactStatus' | 'deleteWithClaim'
  >;
  readonly surveys: Pick<SurveyRepository, 'tokensOfCustomer' | 'readItem' | 'close' | 'anonymise'>;
  readonly cases: Pick<CaseRepository, 'readItem' | 'anonymise'>;
  /** The example comments per theme kept in the store's month aggregate. */
  readonly themeExamples: Pick<ThemeExampleRepository, 'forgetThemeExample'>;
  /** The webhook outbox: an erased customer's events (their payloads name them) are deleted. */
  readonly webhookEvents?: Pick<WebhookOutbox, 'forget'>;
  /** Withdraws a consent to be quote the customer (and uncounts it). */
  readonly consents: Pick<ConsentRepository, 'withdraw'>;
  readonly clock?: () => Date;
}

type Item = Record<string, unknown>;

// The few fields the export and the erasure read. Items stay as stored otherwise: an export returns
// every attribute, including any added after this code was written.
const CustomerFields = z.object({
  email: z.string(),
  contactStatus: z.string(),
  surveyHistory: z._default(z.array(z.object({ surveyId: z.string() })), []),
});

const SurveyFields = z.object({
  surveyId: z.string(),
  storeId: z.string(),
  consent: z.optional(z.object({ givenAt: z.string(), countedAt: z.string() })),
  version: z.optional(z.number()),
  answer: z.optional(
    z.object({
      score: z.number(),
      at: z.string(),
      comment: z.optional(z.string()),
      reasons: z._default(z.array(Reason), []),
    }),
  ),
  answers: z._default(z.array(z.unknown()), []),
  countShard: z.optional(z.string()),
  counted: z.optional(z.object({ score: z.number(), month: z.optional(z.string()) })),
  followUpQueuedAt: z.optional(z.string()),
  followUpAnswerKey: z.optional(z.string()),
});

const CaseFields = z.object({
  customerId: z.string(),
  answeredAt: z.string(),
  comment: z.optional(z.string()),
  customer: z.object({
    name: z.string(),
    email: z.string(),
    phone: z.optional(z.string()),
    attributes: z._default(z.record(z.string(), z.unknown()), {}),
  }),
  notes: z._default(z.array(z.object({ text: z.string() })), []),
  calls: z._default(z.array(z.object({ note: z.optional(z.string()) })), []),
  resolution: z.optional(z.object({ note: z.optional(z.string()) })),
  noteKeys: z._default(z.set(z.string()), new Set<string>()),
});

/** What `closeloop customer export` hands over: everything stored about one customer. */
export interface CustomerDataExport {
  readonly customerId: string;
  readonly exportedAt: string;
  /** The customer's record as stored; null when only surveys are left (an erasure under way). */
  readonly customer: unknown;
  /** The claim that reserves the customer's e-mail address in the registry, if it is theirs. */
  readonly emailClaim: unknown;
  /** Every survey sent to the customer, with every answer given, without its link token. */
  readonly surveys: readonly unknown[];
  /** Every follow-up case opened on the customer's answers, with the managers' notes. */
  readonly cases: readonly unknown[];
  readonly notes: readonly string[];
}

export const exportNotes = [
  'Survey link tokens are left out: a token is a credential (whoever holds it may answer the survey ' +
    'or unsubscribe), not information about the customer. Each survey is identified by its surveyId.',
  'The aggregates (NPS counts per store and period) hold numbers, and a few example comments per ' +
    'theme per store and month (copies of the comments on the surveys above, by surveyId).',
  'Idempotency records (which e-mails and tasks were handled already) hold hashed keys and empty ' +
    'payloads: no personal data.',
  'Not stored in these tables, so not included: the e-mails sent; task messages on the queues and ' +
    'the Surveys change stream (24 hours), which may hold a copy of an answer until they expire; ' +
    'segment export files made for marketing before the erasure, which may list the customer.',
];

/** The customer's surveys as stored, found through the `byCustomer` index (or among `tokens`). */
const surveysOf = async (deps: CustomerPrivacyDeps, customerId: string, tokens?: readonly string[]) => {
  const items = await Promise.all(
    (tokens ?? (await deps.surveys.tokensOfCustomer(customerId))).map(async (token) => ({
      token,
      item: await deps.surveys.readItem(token),
    })),
  );
  // The index is eventually consistent: keep the surveys whose item (read consistently) still names them.
  return items.filter(
    (found): found is { token: string; item: Item } => found.item?.customerId === customerId,
  );
};

const withoutToken = (item: Item) =>
  Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'token'));

/**
 * Everything stored about a customer: their record, the claim on their e-mail address, every survey
 * (without its secret link token) and every follow-up case with its notes. NotFoundError when
 * nothing is stored under that id.
 */
export const exportCustomerData = async (
  deps: CustomerPrivacyDeps,
  customerId: string,
): Promise<CustomerDataExport> => {
  const [customer, surveys] = await Promise.all([
    deps.customers.readItem(customerId),
    surveysOf(deps, customerId),
  ]);
  if (customer === undefined && surveys.length === 0) {
    throw new NotFoundError(`No customer ${customerId}: nothing is stored under this id.`);
  }
  const fields = customer === undefined ? undefined : CustomerFields.parse(customer);
  const claim = fields === undefined ? undefined : await deps.customers.readEmailClaim(fields.email);
  const caseIds = new Set([
    ...surveys.map(({ item }) => SurveyFields.parse(item).surveyId),
    ...(fields?.surveyHistory.map((entry) => entry.surveyId) ?? []),
  ]);
  const cases = await Promise.all([...caseIds].map((caseId) => deps.cases.readItem(caseId)));
  return {
    customerId,
    exportedAt: (deps.clock ?? (() => new Date()))().toISOString(),
    customer: customer === undefined ? null : jsonSafe(customer),
    emailClaim: claim?.customerId === customerId ? jsonSafe(claim) : null,
    surveys: surveys.map(({ item }) => jsonSafe(withoutToken(item))),
    cases: cases.filter((item) => item !== undefined).map(jsonSafe),
    notes: exportNotes,
  };
};

export interface ErasureSummary {
  /** Surveys and cases this run anonymised (those an earlier, interrupted run finished are not counted). */
  readonly surveys: number;
  readonly cases: number;
  /** `absent`: there was no customer record (erased before, or never imported). */
  readonly customer: 'deleted' | 'absent';
}

/** Rounds of "find the customer's surveys, anonymise them" before giving up on a moving target. */
const maxRounds = 3;

/**
 * Removes a customer's personal data everywhere; their answers stay in the aggregates, anonymised.
 *
 * 1. Stops all mail: the customer leaves the due index and becomes `unsubscribed`, so a queued
 *    invitation or reminder is skipped.
 * 2. Closes every survey link (it expires now), then checks that no answer is still on its way
 *    through counting or the follow-up queue, which would bring a comment back after the erasure:
 *    if one is, it stops with a ConflictError having erased nothing; run it again a little later.
 * 3. Anonymises each case, removes the survey's example comments from the aggregates, then the survey (the survey's customer id becomes `erased`, so the
 *    `byCustomer` index no longer finds it: a survey found anonymised has its case done already).
 * 4. Last, deletes the customer and the claim on their address: until then the customer id and the
 *    survey history find everything, so a run interrupted anywhere is finished by running it again.
 *
 * Idempotent; counted answers are never touched in a way that makes them count again.
 */
export const eraseCustomer = async (
  deps: CustomerPrivacyDeps,
  customerId: string,
  { now }: { now: Date },
): Promise<ErasureSummary> => {
  const at = now.toISOString();
  const customer = await deps.customers.readItem(customerId);
  const fields = customer === undefined ? undefined : CustomerFields.parse(customer);
  if (fields?.contactStatus === 'subscribed') {
    await deps.customers.setContactStatus(customerId, 'unsubscribed', at);
  }

  const summary = { surveys: 0, cases: 0 };
  const handledCases = new Set<string>();
  const eraseCase = async (caseId: string) => {
    handledCases.add(caseId);
    if (await anonymiseCase(deps, caseId, at)) summary.cases++;
  };

  for (let round = 1; ; round++) {
    const tokens = await deps.surveys.tokensOfCustomer(customerId);
    await Promise.all(tokens.map((token) => deps.surveys.close(token, at)));
    const surveys = (await surveysOf(deps, customerId, tokens)).map(({ token, item }) => ({
      token,
      fields: SurveyFields.parse(item),
    }));
    if (surveys.length === 0) break;
    if (round > maxRounds) {
      throw new ConflictError(`Customer ${customerId} keeps getting new surveys; run the erasure again.`);
    }
    const pending = await Promise.all(
      surveys.map(async ({ fields: survey }) => {
        const caseItem = await deps.cases.readItem(survey.surveyId);
        return pendingWork(survey, caseItem === undefined ? undefined : CaseFields.parse(caseItem));
      }),
    );
    const reasons = pending.filter((reason) => reason !== undefined);
    if (reasons.length > 0) {
      throw new ConflictError(
        `Customer ${customerId} cannot be erased yet: ${reasons.join('; ')}. Their survey links are ` +
          'closed and no more mail goes to them; run the erasure again in a few minutes.',
      );
    }
    for (const { token, fields: survey } of surveys) {
      await eraseCase(survey.surveyId);
      // Before the survey is anonymised: a run interrupted here finds the survey again.
      if (survey.counted?.month !== undefined)
        await deps.themeExamples.forgetThemeExample(survey.storeId, survey.counted.month, survey.surveyId);
      if (survey.consent !== undefined) await withdrawConsent(deps, token, survey, at);
      await deps.webhookEvents?.forget(webhookEventIdsOfSurvey(survey.surveyId, survey.version ?? 0));
      const seen = {
        version: survey.version,
        hasAnswer: survey.answer !== undefined,
        answers: survey.answers.length,
      };
      if (!(await deps.surveys.anonymise(token, seen, ERASED_CUSTOMER_ID, at))) {
        throw new ConflictError(
          `Survey ${survey.surveyId} of customer ${customerId} changed during the erasure (an answer ` +
            'arrived as its link closed); run the erasure again.',
        );
      }
      summary.surveys++;
    }
  }

  // Cases of surveys that are anonymised already (a run interrupted before deleting the customer).
  for (const entry of fields?.surveyHistory ?? []) {
    if (!handledCases.has(entry.surveyId)) {
      await eraseCase(entry.surveyId);
      await deps.webhookEvents?.forget(webhookEventIdsOfSurvey(entry.surveyId, MAX_ANSWERS));
    }
  }
  await deps.webhookEvents?.forget(webhookEventIdsOfCustomer(customerId));

  if (fields !== undefined) await deleteCustomer(deps, customerId, fields.email);
  return { ...summary, customer: fields === undefined ? 'absent' : 'deleted' };
};

/**
 * Withdraws the consent to quote a survey's comment (uncounted from the aggregates in the same
 * transaction), following a consent changed meanwhile; nothing when it is gone already.
 */
const withdrawConsent = async (
  deps: CustomerPrivacyDeps,
  token: string,
  survey: { storeId: string; consent?: { givenAt: string; countedAt: string } },
  at: string,
) => {
  let consent = survey.consent;
  for (let attempt = 0; consent !== undefined; attempt++) {
    try {
      await deps.consents.withdraw({ token, storeId: survey.storeId }, consent, at);
      return;
    } catch (error) {
      if (!(error instanceof StaleConsentError) || attempt >= 2) throw error;
      const item = await deps.surveys.readItem(token);
      consent = item === undefined ? undefined : SurveyFields.parse(item).consent;
    }
  }
};

/** Anonymises a case unless there is none or it is anonymised already; true if it changed it. */
const anonymiseCase = async (deps: CustomerPrivacyDeps, caseId: string, at: string) => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const item = await deps.cases.readItem(caseId);
    if (item === undefined) return false;
    const caseFields = CaseFields.parse(item);
    if (isErasedCase(caseFields)) return false;
    // Refused when a note, a call or the resolution was added since the read: read again.
    if (
      await deps.cases.anonymise(caseId, erasableParts(caseFields), ERASED_CUSTOMER_ID, ERASED_NOTE_TEXT, at)
    )
      return true;
  }
  throw new ConflictError(`Case ${caseId} keeps changing; run the erasure again.`);
};

/** Deletes the customer and releases their address, following an address changed meanwhile. */
const deleteCustomer = async (deps: CustomerPrivacyDeps, customerId: string, email: string) => {
  let current = email;
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.customers.deleteWithClaim(customerId, current);
      return;
    } catch (error) {
      if (!(error instanceof ConcurrentCustomerChangeError) || attempt >= 2) throw error;
      const item = await deps.customers.readItem(customerId);
      if (item === undefined) return;
      current = CustomerFields.parse(item).email;
    }
  }
};
