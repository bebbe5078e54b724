import { categoryOf, type NpsCategory } from './nps';

/** Aggregate attribute of each category. */
const categoryAttribute: Record<NpsCategory, 'promoters' | 'passives' | 'detractors'> = {
  promoter: 'promoters',
  passive: 'passives',
  detractor: 'detractors',
};

/** The day and month (UTC) an answer is counted in: those of the survey's first answer, for good. */
export const periodsOf = (firstAnsweredAt: string) => ({
  day: `day#${firstAnsweredAt.slice(0, 10)}`,
  month: `month#${firstAnsweredAt.slice(0, 7)}`,
});

/** Every aggregate an answer counts in: the store's and everyone's, per day and per month. */
export const aggregateKeysOf = (storeId: string, periods: { day: string; month: string }) => [
  { scope: `store#${storeId}`, period: periods.day },
  { scope: `store#${storeId}`, period: periods.month },
  { scope: 'all', period: periods.day },
  { scope: 'all', period: periods.month },
];

/**
 * What changes in each aggregate when a survey's counted score goes from `before` (none if it was
 * not counted yet) to `after`: the category counts, the 0-10 histogram and the total. Attributes that
 * do not change are left out (a changed comment alone changes nothing).
 */
export const countDelta = (before: number | undefined, after: number): Record<string, number> => {
  const delta: Record<string, number> = {};
  const add = (attribute: string, amount: number) => {
    delta[attribute] = (delta[attribute] ?? 0) + amount;
  };
  if (before === undefined) add('total', 1);
  else {
    add(categoryAttribute[categoryOf(before)], -1);
    add(`h${before}`, -1);
  }
  add(categoryAttribute[categoryOf(after)], 1);
  add(`h${after}`, 1);
  return Object.fromEntries(Object.entries(delta).filter(([, amount]) => amount !== 0));
};
