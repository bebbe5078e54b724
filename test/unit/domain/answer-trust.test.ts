import { describe, expect, it } from 'vitest';
import {
  answerKeyOf,
  decideAnswers,
  firstAcceptedAt,
  isConfirmedByPerson,
} from '../../../functions/domain/answer-trust';
import type { StoredAnswer } from '../../../functions/schemas/answer';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 2, 10, 0, seconds)).toISOString();

/** An answer the page saved by itself, nobody having touched it. */
const untouched = (score: number, second: number, signals: StoredAnswer['signals'] = {}): StoredAnswer => ({
  score,
  reasons: [],
  source: 'auto',
  at: at(second),
  signals: { gesture: false, dwellMs: 1500, webdriver: false, ...signals },
});
const sent = (score: number, second: number): StoredAnswer => ({
  score,
  reasons: [],
  source: 'form',
  at: at(second),
});

const decide = (answers: StoredAnswer[], nowSecond: number, honeypotSecond?: number, sentSecond?: number) =>
  decideAnswers(answers, {
    now: new Date(at(nowSecond)),
    holdSeconds: 60,
    ...(honeypotSecond !== undefined && { honeypotAt: at(honeypotSecond) }),
    ...(sentSecond !== undefined && { sentAt: at(sentSecond) }),
  });

const kinds = (decision: ReturnType<typeof decideAnswers>) =>
  [...decision.verdicts].map(([index, verdict]) => [
    index,
    'reason' in verdict ? verdict.reason : verdict.kind,
  ]);

describe('decideAnswers', () => {
  it('accepts at once an answer the person sent, or saved after touching the page', () => {
    const touched = { ...untouched(3, 0), signals: { gesture: true, dwellMs: 300 } };
    const decision = decide([sent(9, 0), touched], 1);

    expect(kinds(decision)).toEqual([
      [0, 'sent'],
      [1, 'interaction'],
    ]);
    expect(decision.counting).toBe(1);
    expect(decision.heldUntil).toBeUndefined();
  });

  it('holds an untouched answer for the hold time, then accepts it', () => {
    const held = decide([untouched(2, 0)], 59);
    expect(held.verdicts.size).toBe(0);
    expect(held.counting).toBeUndefined();
    expect(held.heldUntil).toBe(at(60));

    const decided = decide([untouched(2, 0)], 60);
    expect(kinds(decided)).toEqual([[0, 'no-scanner-signal']]);
    expect(decided.counting).toBe(0);
  });

  it('discards every score of a burst: different untouched scores within the hold time', () => {
    const scanner = Array.from({ length: 11 }, (_, score) => untouched(score, score * 3));
    const decision = decide(scanner, 31);

    expect(kinds(decision)).toEqual(scanner.map((_, index) => [index, 'burst']));
    expect(decision.counting).toBeUndefined();
    expect(decision.heldUntil).toBeUndefined();
  });

  it('keeps a burst’s first score held until a second one shows it is a burst', () => {
    expect(decide([untouched(0, 0)], 1).heldUntil).toBe(at(60));
    expect(kinds(decide([untouched(0, 0), untouched(1, 2)], 3))).toEqual([
      [0, 'burst'],
      [1, 'burst'],
    ]);
  });

  it('does not call a repeat of the same score a burst', () => {
    expect(kinds(decide([untouched(4, 0), untouched(4, 5)], 65))).toEqual([
      [0, 'no-scanner-signal'],
      [1, 'no-scanner-signal'],
    ]);
  });

  it('accepts untouched answers further apart than the hold time: a person changing their mind later', () => {
    const decision = decide([untouched(3, 0), untouched(8, 61)], 121);
    expect(kinds(decision)).toEqual([
      [0, 'no-scanner-signal'],
      [1, 'no-scanner-signal'],
    ]);
    expect(decision.counting).toBe(1);
  });

  it('discards untouched answers near a fetch of the hidden link, before or after it', () => {
    expect(kinds(decide([untouched(1, 0)], 1, 30))).toEqual([[0, 'honeypot']]);
    expect(kinds(decide([untouched(1, 50)], 51, 0))).toEqual([[0, 'honeypot']]);
    // An hour after the scanner fetched it, the person's answer counts.
    expect(kinds(decide([untouched(1, 3600)], 3660, 0))).toEqual([[0, 'no-scanner-signal']]);
  });

  it('holds an untouched answer given soon after the sending three times longer', () => {
    expect(decide([untouched(2, 30)], 31, undefined, 0).heldUntil).toBe(at(30 + 180));
    expect(decide([untouched(2, 30)], 210, undefined, 0).counting).toBe(0);
    // Ten minutes after the sending, the usual hold.
    expect(decide([untouched(2, 700)], 701, undefined, 0).heldUntil).toBe(at(760));
  });

  it('calls a slow scanner opening one link after another soon after the sending a burst', () => {
    const slow = [untouched(0, 60), untouched(1, 150), untouched(2, 240)];
    expect(kinds(decide(slow, 241, undefined, 0))).toEqual([
      [0, 'burst'],
      [1, 'burst'],
      [2, 'burst'],
    ]);
    // The same answers an hour after the sending are a person changing their mind.
    const later = slow.map((answer) => ({
      ...answer,
      at: new Date(Date.parse(answer.at) + 3_600_000).toISOString(),
    }));
    expect(decide(later, 3_600 + 300, undefined, 0).counting).toBe(2);
  });

  it('discards at once an untouched answer from a browser that says it is automated', () => {
    expect(kinds(decide([untouched(0, 0, { webdriver: true })], 1))).toEqual([[0, 'automation']]);
  });

  it('never discards an answer a person sent, whatever the signals around it', () => {
    const scanner = [untouched(0, 0), untouched(1, 1), untouched(2, 2, { webdriver: true })];
    const decision = decide([...scanner, sent(7, 3)], 4, 2);

    expect(decision.verdicts.get(3)).toMatchObject({ kind: 'accepted', reason: 'sent' });
    expect(decision.counting).toBe(3);
  });

  it('lets a sent answer replace an earlier untouched one still held, without waiting', () => {
    const decision = decide([untouched(3, 0), sent(3, 10)], 11);

    expect(kinds(decision)).toEqual([
      [0, 'superseded'],
      [1, 'sent'],
    ]);
    expect(decision.counting).toBe(1);
    expect(decision.heldUntil).toBeUndefined();
  });

  it('keeps counting the accepted answer while a later untouched one is held', () => {
    const decision = decide([sent(9, 0), untouched(2, 200)], 210);

    expect(kinds(decision)).toEqual([[0, 'sent']]);
    expect(decision.counting).toBe(0);
    expect(decision.heldUntil).toBe(at(260));
  });

  it('leaves answers decided earlier as they were', () => {
    const decided: StoredAnswer = { ...sent(6, 0), verdict: { kind: 'accepted', reason: 'sent', at: at(0) } };
    const decision = decide([decided, untouched(10, 100)], 200);

    expect(kinds(decision)).toEqual([[1, 'no-scanner-signal']]);
    expect(decision.counting).toBe(1);
  });

  it('has nothing to decide or count without answers', () => {
    expect(decide([], 0)).toEqual({ verdicts: new Map() });
  });
});

describe('firstAcceptedAt', () => {
  it('is the time of the first accepted answer, skipping discarded ones', () => {
    const answers = [untouched(0, 0), untouched(5, 1), sent(8, 30)];
    expect(firstAcceptedAt(answers, decide(answers, 31))).toBe(at(30));
    expect(firstAcceptedAt([untouched(0, 0)], decide([untouched(0, 0)], 1))).toBeUndefined();
  });
});

describe('isConfirmedByPerson', () => {
  it('is true for a sent answer or a gesture, false for an untouched automatic save', () => {
    expect(isConfirmedByPerson(sent(1, 0))).toBe(true);
    expect(isConfirmedByPerson({ source: 'auto', signals: { gesture: true } })).toBe(true);
    expect(isConfirmedByPerson(untouched(1, 0))).toBe(false);
    expect(isConfirmedByPerson({ source: 'auto' })).toBe(false);
  });
});

describe('answerKeyOf', () => {
  it('is the same for the same content at any time or source, different for another content', () => {
    expect(answerKeyOf(sent(3, 0))).toBe(answerKeyOf(untouched(3, 40)));
    expect(answerKeyOf(sent(3, 0))).not.toBe(answerKeyOf({ ...sent(3, 0), comment: 'slow' }));
    expect(answerKeyOf(sent(3, 0))).not.toBe(answerKeyOf(sent(4, 0)));
  });
});
