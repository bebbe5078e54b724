import type { CustomerRepository } from '../../functions/adapters/customer-repository';
import type { StoredAnswer } from '../../functions/schemas/answer';
import type { ContactStatus, CustomerRecord } from '../../functions/schemas/customer';

const copy = <T>(value: T): T => structuredClone(value);

/**
 * The customers table in memory, behind the customer repository methods the pipeline uses, with the
 * conditions of the DynamoDB ones: a survey is recorded once per cycle, a contact status is set only
 * when it changes, a later answer is never overwritten by an earlier one. `calls` logs every write.
 */
export const createCustomerTable = () => {
  const customers = new Map<string, CustomerRecord>();
  const calls: string[] = [];

  const repository = {
    get: async (customerId: string) => copy(customers.get(customerId)),
    emailOwner: async (email: string) =>
      [...customers.values()].find((customer) => customer.email === email)?.customerId,
    recordScore: async (customerId: string, surveyId: string, answer: StoredAnswer) => {
      calls.push(`customers.recordScore ${customerId} ${surveyId} ${answer.score}`);
      const customer = customers.get(customerId);
      if (customer === undefined) return [];
      const history = structuredClone(customer.surveyHistory);
      const entry = customer.surveyHistory.find((one) => one.surveyId === surveyId);
      if (entry !== undefined) Object.assign(entry, { score: answer.score, respondedAt: answer.at });
      if (customer.latestScoreAt === undefined || customer.latestScoreAt <= answer.at) {
        Object.assign(customer, {
          latestScore: answer.score,
          latestScoreAt: answer.at,
          latestSurveyId: surveyId,
          latestReasons: answer.reasons,
          latestComment: answer.comment,
        });
      }
      return history;
    },
    recordSurveySent: async (
      customerId: string,
      sent: { surveyId: string; cycleAt: string; sentAt: string; nextSurveyAt: string },
    ) => {
      calls.push(`customers.recordSurveySent ${customerId} ${sent.surveyId}`);
      const customer = customers.get(customerId);
      if (customer === undefined || customer.lastCycleAt === sent.cycleAt) return false;
      Object.assign(customer, {
        lastSurveyedAt: sent.sentAt,
        lastCycleAt: sent.cycleAt,
        nextSurveyAt: sent.nextSurveyAt,
        updatedAt: sent.sentAt,
      });
      customer.surveyHistory.push({ surveyId: sent.surveyId, sentAt: sent.sentAt });
      return true;
    },
    advanceSchedule: async (customerId: string, seenDue: string, nextSurveyAt: string) => {
      calls.push(`customers.advanceSchedule ${customerId} ${nextSurveyAt}`);
      const customer = customers.get(customerId);
      if (customer?.nextSurveyAt !== seenDue || customer.dueShard === undefined) return false;
      customer.nextSurveyAt = nextSurveyAt;
      return true;
    },
    setContactStatus: async (
      customerId: string,
      status: Exclude<ContactStatus, 'subscribed'>,
      at: string,
    ) => {
      calls.push(`customers.setContactStatus ${customerId} ${status}`);
      const customer = customers.get(customerId);
      if (customer === undefined || customer.contactStatus === status) return false;
      Object.assign(customer, { contactStatus: status, contactStatusChangedAt: at, updatedAt: at });
      delete customer.dueShard;
      return true;
    },
  };

  return {
    customers,
    calls,
    /** Only the methods above exist: a use case calling another one fails its test. */
    repository: repository as typeof repository & CustomerRepository,
  };
};

export type CustomerTable = ReturnType<typeof createCustomerTable>;

/** Ada, customer C1 of store S1, subscribed, surveyed once a year ago. */
export const aCustomer = (overrides: Partial<CustomerRecord> = {}): CustomerRecord => ({
  customerId: 'C1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  storeId: 'S1',
  locale: 'en',
  attributes: { tier: 'gold' },
  contactStatus: 'subscribed',
  surveyHistory: [{ surveyId: 'sv-0', sentAt: '2025-11-01T09:00:00.000Z', score: 8 }],
  dueShard: '3',
  nextSurveyAt: '2026-11-01T09:00:00.000Z',
  lastSurveyedAt: '2025-11-01T09:00:00.000Z',
  lastCycleAt: '2025-11-01T09:00:00.000Z',
  createdAt: '2025-10-01T09:00:00.000Z',
  updatedAt: '2025-11-01T09:00:00.000Z',
  ...overrides,
});
