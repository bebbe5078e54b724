import { languageOf } from '../functions/domain/languages';
import { customerCsvColumns } from '../functions/schemas/customer';
import { storeCsvColumns } from '../functions/schemas/store';

/** A small deterministic generator (mulberry32), so demo data is the same on every machine. */
export const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const cities = [
  ['Lyon', 'Europe/Paris', 'fr'],
  ['Paris', 'Europe/Paris', 'fr'],
  ['London', 'Europe/London', 'en-GB'],
  ['Manchester', 'Europe/London', 'en-GB'],
  ['Boston', 'America/New_York', 'en-US'],
  ['Chicago', 'America/Chicago', 'en-US'],
  ['Denver', 'America/Denver', 'en-US'],
  ['Seattle', 'America/Los_Angeles', 'en-US'],
] as const;

const firstNames = [
  'Ada',
  'Bruno',
  'Chloé',
  'Dev',
  'Emma',
  'Farid',
  'Grace',
  'Hugo',
  'Inès',
  'Jonas',
  'Kai',
  'Léa',
];
const lastNames = [
  'Martin',
  'Smith',
  'Dubois',
  'Garcia',
  'Nguyen',
  'Okafor',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Walsh',
];
const tiers = ['bronze', 'silver', 'gold'];

export const demoStoreId = (index: number) => `S${String(index + 1).padStart(3, '0')}`;

/** Rows of a stores CSV (header first) for `count` demo stores. */
export function* demoStoreRows(count: number): Generator<string[]> {
  yield [...storeCsvColumns, 'language'];
  for (let index = 0; index < count; index++) {
    const [city, timezone, locale] = cities[index % cities.length] as (typeof cities)[number];
    const storeId = demoStoreId(index);
    yield [
      storeId,
      `${city} ${Math.floor(index / cities.length) + 1}`,
      `manager.${storeId.toLowerCase()}@stores.example.com`,
      `region.${timezone.split('/')[1]?.toLowerCase()}@stores.example.com`,
      timezone,
      languageOf(locale),
    ];
  }
}

/**
 * Rows of a customers CSV (header first): `count` customers spread over `storeCount` stores, with
 * two attribute columns (`tier`, `joinedYear`). Addresses use the reserved example.com domain.
 */
export function* demoCustomerRows(count: number, storeCount: number, seed = 42): Generator<string[]> {
  const next = random(seed);
  yield [...customerCsvColumns, 'phone', 'tier', 'joinedYear'];
  for (let index = 0; index < count; index++) {
    const storeIndex = Math.floor(next() * storeCount);
    const locale = (cities[storeIndex % cities.length] as (typeof cities)[number])[2];
    const firstName = pick(next, firstNames);
    const lastName = pick(next, lastNames);
    const customerId = `C${String(index + 1).padStart(7, '0')}`;
    yield [
      customerId,
      `${firstName}.${lastName}.${customerId}@example.com`
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase(),
      firstName,
      lastName,
      demoStoreId(storeIndex),
      locale,
      // Two customers in three have a phone, in the range Ofcom keeps for fiction.
      index % 3 === 0 ? '' : `+44 20 7946 0${String(index % 1000).padStart(3, '0')}`,
      pick(next, tiers),
      String(2015 + Math.floor(next() * 11)),
    ];
  }
}
