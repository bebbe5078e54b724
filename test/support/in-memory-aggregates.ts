import { aggregateKeysOf, periodsOf } from '../../functions/domain/aggregates';

/**
 * The aggregates table in memory, behind `AggregateRepository.query`: items keyed by scope and
 * period (`day#…`, `month#…`), read by range of period as DynamoDB's BETWEEN does. `reads` logs each
 * query as `scope from..to`.
 */
export const createAggregateTable = () => {
  const items = new Map<string, Record<string, unknown>>();
  const reads: string[] = [];
  return {
    items,
    reads,
    /** Adds counts the way counting and sending do: to the store's and everyone's day and month. */
    add: (storeId: string, day: string, counts: Readonly<Record<string, number>>) => {
      for (const { scope, period } of aggregateKeysOf(storeId, periodsOf(`${day}T12:00:00.000Z`))) {
        const item = items.get(`${scope}|${period}`) ?? { scope, period };
        for (const [name, amount] of Object.entries(counts)) item[name] = Number(item[name] ?? 0) + amount;
        items.set(`${scope}|${period}`, item);
      }
    },
    repository: {
      query: async (scope: string, from: string, to: string) => {
        reads.push(`${scope} ${from}..${to}`);
        return [...items.values()]
          .filter((item) => item.scope === scope && String(item.period) >= from && String(item.period) <= to)
          .map((item) => structuredClone(item));
      },
    },
  };
};
