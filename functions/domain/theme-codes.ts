/**
 * The comment themes' codes, apart from the lexicons and stemmers that find them (`themes.ts`): what
 * reports and stored counts need, without what only the counting functions run.
 */
export const themeCodes = [
  'staff-attitude',
  'staff-advice',
  'waiting',
  'product-quality',
  'choice-stock',
  'price-value',
  'delivery',
  'returns-refunds',
  'checkout-payment',
  'store-environment',
  'website-app',
  'contact',
] as const;
export type Theme = (typeof themeCodes)[number];
