/**
 * Pages of follow-up cases, merged from one sorted stream per store and status: pure. A page ends at
 * a position (due time, then case id); the next page is every stream's cases beyond it, so a cursor
 * is one position whatever the number of streams, and every case is listed exactly once.
 */

/** Where a page ended: the last case's due time and id. */
export interface CasePosition {
  readonly dueAt: string;
  readonly caseId: string;
}

/** Soonest due first for what needs doing; the latest first for closed cases and the whole history. */
export type CaseOrder = 'asc' | 'desc';

/** The statuses a filter lists (`undefined`: every case, whatever its status) and their order. */
export const listingOf = (
  filter: 'todo' | 'open' | 'contacted' | 'closed' | 'all',
): { statuses: readonly ('open' | 'contacted' | 'closed')[] | undefined; order: CaseOrder } => {
  if (filter === 'todo') return { statuses: ['open', 'contacted'], order: 'asc' };
  if (filter === 'all') return { statuses: undefined, order: 'desc' };
  return { statuses: [filter], order: filter === 'closed' ? 'desc' : 'asc' };
};

/** Compares two cases by position in a listing's order. */
export const comparePositions =
  (order: CaseOrder) =>
  (a: CasePosition, b: CasePosition): number => {
    const ascending = a.dueAt === b.dueAt ? a.caseId.localeCompare(b.caseId) : a.dueAt.localeCompare(b.dueAt);
    return order === 'asc' ? ascending : -ascending;
  };

/** Whether a case comes after `after` in the listing (every case does when there is no `after`). */
export const isBeyond = (item: CasePosition, after: CasePosition | undefined, order: CaseOrder) =>
  after === undefined || comparePositions(order)(item, after) > 0;

/**
 * One page from the streams' cases beyond the cursor. Each stream must hold at least `limit + 1` of
 * its cases beyond the cursor, or all of them: then more cases exist exactly when more than `limit`
 * were given, and `next` is where the page ends.
 */
export const mergePage = <Item extends CasePosition>(
  streams: readonly (readonly Item[])[],
  order: CaseOrder,
  limit: number,
): { items: Item[]; next: CasePosition | undefined } => {
  const sorted = streams.flat().sort(comparePositions(order));
  const items = sorted.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    next:
      sorted.length > limit && last !== undefined ? { dueAt: last.dueAt, caseId: last.caseId } : undefined,
  };
};
