import type { AnswerRepository } from '../adapters/answer-repository';
import type { CustomerRepository } from '../adapters/customer-repository';
import { DUE_SHARDS } from '../domain/schedule';

export interface TestimonialDeps {
  readonly answers: Pick<AnswerRepository, 'queryTestimonials'>;
  readonly customers: Pick<CustomerRepository, 'getMany'>;
}

/**
 * Testimonial candidates: promoters who wrote why, newest first, with the customer's name, e-mail and
 * contact status (marketing should not approach someone who unsubscribed or complained).
 */
export const listTestimonials = async (deps: TestimonialDeps, { storeId }: { storeId?: string } = {}) => {
  const pages = await Promise.all(
    Array.from({ length: DUE_SHARDS }, async (_, shard) => {
      const items = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await deps.answers.queryTestimonials(String(shard), startKey);
        items.push(...page.items);
        startKey = page.nextKey;
      } while (startKey !== undefined);
      return items;
    }),
  );
  const candidates = pages.flat().filter((item) => storeId === undefined || item.storeId === storeId);
  const customers = await deps.customers.getMany(candidates.map((item) => item.customerId));
  return candidates
    .sort((a, b) => b.answeredAt.localeCompare(a.answeredAt))
    .map((item) => {
      const customer = customers.get(item.customerId);
      return {
        ...item,
        name: [customer?.firstName, customer?.lastName].filter(Boolean).join(' '),
        email: customer?.email ?? '',
        contactStatus: customer?.contactStatus ?? 'unknown',
      };
    });
};
