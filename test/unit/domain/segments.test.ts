import { describe, expect, it } from 'vitest';
import {
  matchesSegment,
  neutraliseFormula,
  segmentRowOf,
  segmentShardOf,
} from '../../../functions/domain/segments';

const customer = {
  customerId: 'C1',
  email: 'c1@example.com',
  storeId: 'S1',
  locale: 'fr-CA',
  contactStatus: 'subscribed',
  attributes: { tier: 'gold' },
  latestScore: 10,
  latestScoreAt: '2026-11-23T10:00:00.000Z',
  latestComment: 'Great staff',
};

describe('matchesSegment', () => {
  it('puts a customer in the segment of their latest score', () => {
    expect(matchesSegment(customer, { segment: 'promoters' })).toBe(true);
    expect(matchesSegment(customer, { segment: 'detractors' })).toBe(false);
    expect(matchesSegment({ ...customer, latestScore: 7 }, { segment: 'passives' })).toBe(true);
    expect(matchesSegment({ ...customer, latestScore: undefined }, { segment: 'promoters' })).toBe(false);
  });

  it('takes testimonial candidates from promoters who said why', () => {
    expect(matchesSegment(customer, { segment: 'testimonials' })).toBe(true);
    expect(matchesSegment({ ...customer, latestComment: '  ' }, { segment: 'testimonials' })).toBe(false);
  });

  it('filters by store, locale (a language matches its regions) and attributes', () => {
    expect(matchesSegment(customer, { segment: 'promoters', storeIds: new Set(['S2']) })).toBe(false);
    expect(matchesSegment(customer, { segment: 'promoters', locales: new Set(['fr']) })).toBe(true);
    expect(matchesSegment(customer, { segment: 'promoters', locales: new Set(['en']) })).toBe(false);
    expect(matchesSegment(customer, { segment: 'promoters', attributes: { tier: 'gold' } })).toBe(true);
    expect(matchesSegment(customer, { segment: 'promoters', attributes: { tier: 'silver' } })).toBe(false);
  });
});

describe('segmentRowOf', () => {
  it('flags customers who may not be e-mailed', () => {
    expect(segmentRowOf(customer).mayEmail).toBe(true);
    expect(segmentRowOf({ ...customer, contactStatus: 'unsubscribed' }).mayEmail).toBe(false);
    expect(segmentRowOf({ ...customer, contactStatus: 'complained' })).toMatchObject({
      mayEmail: false,
      segment: 'promoter',
    });
  });
});

describe('segmentShardOf', () => {
  it('names the category and a stable shard', () => {
    expect(segmentShardOf('C1', 3)).toMatch(/^detractor#\d{1,2}$/);
    expect(segmentShardOf('C1', 9).split('#')[1]).toBe(segmentShardOf('C1', 0).split('#')[1]);
  });
});

describe('neutraliseFormula', () => {
  it.each(['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])(
    'prefixes %j with a quote',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    },
  );

  it('leaves other text alone', () => {
    expect(neutraliseFormula('Great, "really" great')).toBe('Great, "really" great');
    expect(neutraliseFormula('a=b')).toBe('a=b');
  });
});
