import { describe, expect, it } from 'vitest';
import {
  dueAtFor,
  isOverdue,
  MAX_QUEUE_DELAY_SECONDS,
  nextUpdateMailStep,
  ownerOf,
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
});

describe('nextUpdateMailStep', () => {
  const now = new Date('2026-11-02T12:00:00.000Z');
  const open = { status: 'open', owner: 'manager@stores.example.com' };
  const sentAt = (iso: string, to = 1) => ({
    updateMail: { seq: 1, from: 0, to, at: iso },
    updateMailsSent: 1,
  });

  it('claims the first update e-mail at once', () => {
    expect(nextUpdateMailStep({ ...open, changeScores: [5] }, now, 900)).toEqual({
      step: 'claim',
      expectedSeq: 0,
      mail: { seq: 1, from: 0, to: 1, at: now.toISOString() },
    });
  });

  it('waits for the interval after the last e-mail, then claims one covering every change since', () => {
    const state = { ...open, changeScores: [5, 7, 3], ...sentAt('2026-11-02T11:50:00.000Z') };
    expect(nextUpdateMailStep(state, now, 900)).toEqual({
      step: 'wait',
      dueAt: '2026-11-02T12:05:00.000Z',
      delaySeconds: 300,
      scheduled: false,
    });
    expect(nextUpdateMailStep(state, new Date('2026-11-02T12:05:00.000Z'), 900)).toEqual({
      step: 'claim',
      expectedSeq: 1,
      mail: { seq: 2, from: 1, to: 3, at: '2026-11-02T12:05:00.000Z' },
    });
  });

  it('knows when a delayed task already carries the coalesced e-mail', () => {
    const state = {
      ...open,
      changeScores: [5, 7],
      ...sentAt('2026-11-02T11:50:00.000Z'),
      updateMailDueAt: '2026-11-02T12:05:00.000Z',
    };
    expect(nextUpdateMailStep(state, now, 900)).toMatchObject({ step: 'wait', scheduled: true });
  });

  it('waits at most SQS’s 15 minutes at a time for a longer interval', () => {
    const state = { ...open, changeScores: [5, 7], ...sentAt('2026-11-02T11:59:00.000Z') };
    expect(nextUpdateMailStep(state, now, 3600)).toMatchObject({
      step: 'wait',
      dueAt: '2026-11-02T12:59:00.000Z',
      delaySeconds: MAX_QUEUE_DELAY_SECONDS,
    });
  });

  it('delivers an e-mail claimed and not yet sent before anything else', () => {
    const claimed = { seq: 2, from: 1, to: 2, at: '2026-11-02T11:59:00.000Z' };
    expect(
      nextUpdateMailStep(
        { ...open, status: 'closed', changeScores: [5, 7, 9], updateMail: claimed, updateMailsSent: 1 },
        now,
        900,
      ),
    ).toEqual({ step: 'deliver', mail: claimed });
  });

  it('is done when every change is covered, the case is no longer open, has no owner or was erased', () => {
    expect(
      nextUpdateMailStep({ ...open, changeScores: [5], ...sentAt('2026-11-02T11:00:00.000Z') }, now, 900),
    ).toEqual({
      step: 'done',
    });
    expect(nextUpdateMailStep({ ...open }, now, 900)).toEqual({ step: 'done' });
    expect(nextUpdateMailStep({ ...open, status: 'contacted', changeScores: [5] }, now, 900)).toEqual({
      step: 'done',
    });
    expect(nextUpdateMailStep({ status: 'open', owner: '', changeScores: [5] }, now, 900)).toEqual({
      step: 'done',
    });
    expect(
      nextUpdateMailStep({ ...open, changeScores: [5], erasedAt: '2026-11-02T11:00:00.000Z' }, now, 900),
    ).toEqual({ step: 'done' });
  });

  it('claims every change at once with an interval of 0', () => {
    const state = { ...open, changeScores: [5, 7], ...sentAt(now.toISOString()) };
    expect(nextUpdateMailStep(state, now, 0)).toMatchObject({ step: 'claim', mail: { from: 1, to: 2 } });
  });
});
