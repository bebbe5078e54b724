import type { ErasableCaseParts } from '../../functions/adapters/case-repository';
import { StaleConsentError } from '../../functions/adapters/consent-repository';
import { ConcurrentCustomerChangeError } from '../../functions/adapters/customer-repository';
import { answerKeyOf } from '../../functions/domain/answer-trust';
import type { CustomerPrivacyDeps } from '../../functions/use-cases/customer-privacy';

type Item = Record<string, unknown>;
type Answer = { score: number; comment?: string; reasons: string[]; source: string; at: string };

/**
 * The four tables a privacy request touches, in memory, behind the repository methods it uses, with
 * the same conditions as the DynamoDB ones (the integration test runs the real ones). `calls` logs
 * every write in order.
 */
export const createPrivacyFakes = () => {
  const customers = new Map<string, Item>();
  const claims = new Map<string, Item>();
  const surveys = new Map<string, Item>();
  const cases = new Map<string, Item>();
  /** `store#…|month#…` → the `themeExamples` attribute of that aggregate item. */
  const examples = new Map<string, Record<string, { surveyId: string; comment: string }[]>>();
  const calls: string[] = [];
  const copy = <T>(value: T): T => structuredClone(value);

  const deps = {
    customers: {
      readItem: async (customerId: string) => copy(customers.get(customerId)),
      readEmailClaim: async (email: string) => copy(claims.get(email)),
      setContactStatus: async (customerId: string, status: string, at: string) => {
        calls.push(`customers.setContactStatus ${customerId} ${status}`);
        const customer = customers.get(customerId);
        if (customer === undefined || customer.contactStatus === status) return false;
        Object.assign(customer, { contactStatus: status, contactStatusChangedAt: at, updatedAt: at });
        delete customer.dueShard;
        return true;
      },
      deleteWithClaim: async (customerId: string, email: string) => {
        calls.push(`customers.deleteWithClaim ${customerId}`);
        const customer = customers.get(customerId);
        if (customer !== undefined && customer.email !== email) {
          throw new ConcurrentCustomerChangeError(`customer ${customerId} changed`);
        }
        if (claims.get(email)?.customerId === customerId) claims.delete(email);
        customers.delete(customerId);
      },
    },
    surveys: {
      tokensOfCustomer: async (customerId: string) =>
        [...surveys.values()]
          .filter((survey) => survey.customerId === customerId)
          .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)))
          .map((survey) => String(survey.token)),
      readItem: async (token: string) => copy(surveys.get(token)),
      close: async (token: string, at: string) => {
        calls.push(`surveys.close ${token}`);
        const survey = surveys.get(token);
        if (survey === undefined || !(String(survey.expiresAt) > at)) return false;
        survey.expiresAt = at;
        return true;
      },
      anonymise: async (
        token: string,
        seen: { version: number | undefined; hasAnswer: boolean; answers: number },
        replacementId: string,
        at: string,
      ) => {
        calls.push(`surveys.anonymise ${token}`);
        const survey = surveys.get(token);
        if (
          survey === undefined ||
          survey.countShard !== undefined ||
          survey.consent !== undefined ||
          survey.version !== seen.version
        ) {
          return false;
        }
        survey.customerId = replacementId;
        survey.erasedAt ??= at;
        for (const field of [
          'testimonialShard',
          'commentStoreId',
          'reminderShard',
          'answerKey',
          'followUpAnswerKey',
        ]) {
          delete survey[field];
        }
        if (seen.hasAnswer) delete (survey.answer as Answer).comment;
        for (const answer of ((survey.answers ?? []) as Answer[]).slice(0, seen.answers))
          delete answer.comment;
        return true;
      },
    },
    consents: {
      withdraw: async (
        survey: { token: string; storeId: string },
        consent: { givenAt: string; countedAt: string },
        at: string,
      ) => {
        calls.push(`consents.withdraw ${survey.token}`);
        const item = surveys.get(survey.token);
        const standing = item?.consent as { givenAt: string } | undefined;
        if (item === undefined || standing?.givenAt !== consent.givenAt) {
          throw new StaleConsentError('survey changed');
        }
        delete item.consent;
        delete item.quoteShard;
        delete item.consentedAt;
        item.consentWithdrawnAt = at;
      },
    },
    cases: {
      readItem: async (caseId: string) => copy(cases.get(caseId)),
      anonymise: async (
        caseId: string,
        seen: ErasableCaseParts,
        replacementId: string,
        text: string,
        at: string,
      ) => {
        calls.push(`cases.anonymise ${caseId}`);
        const caseItem = cases.get(caseId);
        const notes = (caseItem?.notes ?? []) as { text: string }[];
        const caseCalls = (caseItem?.calls ?? []) as { note?: string }[];
        const resolution = caseItem?.resolution as { note?: string } | undefined;
        if (
          caseItem === undefined ||
          notes.length !== seen.notes ||
          caseCalls.length !== seen.calls ||
          (resolution === undefined) !== (seen.resolution === 'none')
        )
          return false;
        caseItem.customerId = replacementId;
        const { phone: _phone, ...customer } = caseItem.customer as Item;
        caseItem.customer = { ...customer, name: '', email: '', attributes: {} };
        caseItem.erasedAt ??= at;
        delete caseItem.comment;
        for (const note of notes) note.text = text;
        for (const index of seen.callsWithNotes) (caseCalls[index] as { note?: string }).note = text;
        if (resolution !== undefined && seen.resolution === 'with-note') resolution.note = text;
        return true;
      },
    },
    themeExamples: {
      forgetThemeExample: async (storeId: string, month: string, surveyId: string) => {
        calls.push(`aggregates.forgetThemeExample ${surveyId}`);
        const item = examples.get(`store#${storeId}|${month}`) ?? {};
        for (const [theme, list] of Object.entries(item))
          item[theme] = list.filter((example) => example.surveyId !== surveyId);
      },
    },
  } satisfies CustomerPrivacyDeps;

  return { customers, claims, surveys, cases, examples, calls, deps };
};

export type PrivacyFakes = ReturnType<typeof createPrivacyFakes>;

const answer = (score: number, at: string, comment?: string): Answer => ({
  score,
  ...(comment !== undefined && { comment }),
  reasons: ['staff'],
  source: 'form',
  at,
});

/**
 * Ada (customer C1, store S1) with two answered, counted surveys: a detractor who changed her comment
 * (a case with a manager's note) and a promoter with a comment (a testimonial candidate); and Bob
 * (C2), with one answered survey, who must never be touched.
 */
export const seedTwoCustomers = (fakes: PrivacyFakes) => {
  const customer = (
    customerId: string,
    [firstName, lastName, city]: readonly [string, string, string],
    email: string,
    history: string[],
  ) => {
    fakes.customers.set(customerId, {
      customerId,
      email,
      firstName,
      lastName,
      storeId: 'S1',
      locale: 'en-GB',
      attributes: { tier: 'gold', city },
      contactStatus: 'subscribed',
      dueShard: '3',
      nextSurveyAt: '2027-07-01T09:00:00.000Z',
      surveyHistory: history.map((surveyId) => ({ surveyId, sentAt: '2026-12-01T09:00:00.000Z', score: 3 })),
      latestScore: 10,
      latestScoreAt: '2027-06-02T10:00:00.000Z',
      // Fields another part of the pipeline may add: an export and an erasure must cope with any.
      latestComment: `Lovely staff, said ${firstName}`,
      segmentShard: 'promoter#3',
      createdAt: '2026-11-01T09:00:00.000Z',
      updatedAt: '2026-11-01T09:00:00.000Z',
    });
    fakes.claims.set(email, { email, customerId, claimedAt: '2026-11-01T09:00:00.000Z' });
  };
  customer('C1', ['Ada', 'Lovelace', 'Marylebone'], 'ada@example.com', ['sv-detractor', 'sv-promoter']);
  customer('C2', ['Bob', 'Babbage', 'Walworth'], 'bob@example.com', ['sv-bob']);

  const first = answer(2, '2026-12-02T10:00:00.000Z');
  const changed = answer(3, '2026-12-02T10:01:00.000Z', 'Ada waited an hour at the till');
  fakes.surveys.set('token-detractor-aaaaaa', {
    token: 'token-detractor-aaaaaa',
    surveyId: 'sv-detractor',
    customerId: 'C1',
    storeId: 'S1',
    locale: 'en-GB',
    cycleAt: '2026-12-01T09:00:00.000Z',
    status: 'responded',
    createdAt: '2026-12-01T09:00:00.000Z',
    sentAt: '2026-12-01T09:00:00.000Z',
    expiresAt: '2026-12-31T09:00:00.000Z',
    reminderDueAt: '2026-12-06T09:00:00.000Z',
    answer: changed,
    answers: [first, changed],
    answerKey: answerKeyOf(changed),
    version: 2,
    firstAnsweredAt: first.at,
    answeredAt: changed.at,
    counted: { score: 3, version: 2, day: 'day#2026-12-02', month: 'month#2026-12' },
    followUpQueuedAt: first.at,
    followUpScore: 3,
    followUpAnswerKey: answerKeyOf(changed),
    commentStoreId: 'S1',
  });
  // Its comment is an example of its themes in the store's month aggregate.
  fakes.examples.set('store#S1|month#2026-12', {
    waiting: [{ surveyId: 'sv-detractor', comment: changed.comment ?? '' }],
  });
  const promoter = answer(10, '2027-06-02T10:00:00.000Z', 'Ada loved the new bakery corner');
  fakes.surveys.set('token-promoter-bbbbbbb', {
    token: 'token-promoter-bbbbbbb',
    surveyId: 'sv-promoter',
    customerId: 'C1',
    storeId: 'S1',
    locale: 'en-GB',
    cycleAt: '2027-06-01T09:00:00.000Z',
    status: 'responded',
    createdAt: '2027-06-01T09:00:00.000Z',
    sentAt: '2027-06-01T09:00:00.000Z',
    expiresAt: '2027-07-01T09:00:00.000Z',
    reminderShard: '5',
    reminderDueAt: '2027-06-06T09:00:00.000Z',
    answer: promoter,
    answers: [promoter],
    answerKey: answerKeyOf(promoter),
    version: 1,
    firstAnsweredAt: promoter.at,
    answeredAt: promoter.at,
    counted: { score: 10, version: 1, day: 'day#2027-06-02', month: 'month#2027-06' },
    testimonialShard: '5',
    commentStoreId: 'S1',
  });
  fakes.cases.set('sv-detractor', {
    caseId: 'sv-detractor',
    surveyId: 'sv-detractor',
    customerId: 'C1',
    storeId: 'S1',
    status: 'contacted',
    score: 3,
    comment: 'Ada waited an hour at the till',
    reasons: ['staff'],
    customer: {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      locale: 'en-GB',
      attributes: { tier: 'gold', city: 'Marylebone' },
    },
    previousScores: [],
    owner: 'manager.s1@stores.example.com',
    ownerRole: 'store-manager',
    answeredAt: first.at,
    openedAt: first.at,
    dueAt: '2026-12-03T10:00:00.000Z',
    alertedAt: first.at,
    notes: [
      {
        at: changed.at,
        by: 'customer',
        text: 'The customer changed the answer to 3/10: Ada waited an hour at the till.',
      },
      {
        at: '2026-12-02T15:00:00.000Z',
        by: 'manager.s1@stores.example.com',
        text: 'Called Ada Lovelace, voucher',
      },
    ],
    noteKeys: new Set([`answer:${changed.at}`]),
    updatedAt: '2026-12-02T15:00:00.000Z',
  });
  const bob = answer(9, '2026-12-03T10:00:00.000Z', 'Bob says: quick and friendly');
  fakes.surveys.set('token-bob-cccccccccccc', {
    token: 'token-bob-cccccccccccc',
    surveyId: 'sv-bob',
    customerId: 'C2',
    storeId: 'S1',
    locale: 'en-GB',
    cycleAt: '2026-12-01T09:00:00.000Z',
    status: 'responded',
    createdAt: '2026-12-01T09:00:00.000Z',
    expiresAt: '2026-12-31T09:00:00.000Z',
    answer: bob,
    answers: [bob],
    answerKey: answerKeyOf(bob),
    version: 1,
    counted: { score: 9, version: 1, day: 'day#2026-12-03', month: 'month#2026-12' },
    testimonialShard: '1',
  });
};

/** Every item of every fake table, as one string to search for personal data. */
export const serialised = (fakes: PrivacyFakes) =>
  JSON.stringify(
    [fakes.customers, fakes.claims, fakes.surveys, fakes.cases, fakes.examples].map((table) => [
      ...table.values(),
    ]),
    (_key, value: unknown) => (value instanceof Set ? [...value] : value),
  );
