import { describe, expect, it } from 'vitest';
import {
  canMoveTo,
  dueAtFor,
  isOverdue,
  ownerOf,
  storesManagedBy,
} from '../../../functions/domain/follow-up';

describe('follow-up rules', () => {
  it('gives a detractor case 24 hours for first contact', () => {
    expect(dueAtFor('2026-11-23T09:30:00.000Z')).toBe('2026-11-24T09:30:00.000Z');
    expect(
      isOverdue({ status: 'open', dueAt: '2026-11-24T09:30:00.000Z' }, new Date('2026-11-24T09:30:00Z')),
    ).toBe(true);
    expect(
      isOverdue({ status: 'contacted', dueAt: '2026-11-24T09:30:00.000Z' }, new Date('2026-11-25T00:00:00Z')),
    ).toBe(false);
  });

  it('makes the store manager the owner, or the regional manager when the store has none', () => {
    expect(ownerOf({ managerEmail: 'm@x.co', regionalManagerEmail: 'r@x.co' })).toEqual({
      owner: 'm@x.co',
      ownerRole: 'store-manager',
    });
    expect(ownerOf({ regionalManagerEmail: 'r@x.co' })).toEqual({
      owner: 'r@x.co',
      ownerRole: 'regional-manager',
    });
    expect(ownerOf(undefined)).toBeUndefined();
  });

  it.each([
    ['open', 'contacted', true],
    ['open', 'no-answer', true],
    ['contacted', 'resolved', true],
    ['contacted', 'open', false],
    ['resolved', 'contacted', false],
    ['no-answer', 'resolved', false],
  ])('moves a %s case to %s: %s', (from, to, allowed) => {
    expect(canMoveTo(from, to)).toBe(allowed);
  });

  it('lets a manager see the stores they manage and those of their region', () => {
    const stores = [
      { storeId: 'S1', managerEmail: 'm1@x.co', regionalManagerEmail: 'r@x.co' },
      { storeId: 'S2', managerEmail: 'm2@x.co', regionalManagerEmail: 'r@x.co' },
      { storeId: 'S3', managerEmail: 'm3@x.co' },
    ];
    expect([...storesManagedBy(' M1@x.co ', stores)]).toEqual(['S1']);
    expect([...storesManagedBy('r@x.co', stores)]).toEqual(['S1', 'S2']);
    expect([...storesManagedBy('nobody@x.co', stores)]).toEqual([]);
  });
});
