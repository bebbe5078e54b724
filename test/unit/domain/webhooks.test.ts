import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  signatureHeaderOf,
  signatureOf,
  verifyWebhookSignature,
} from '../../../functions/domain/webhook-signature';
import {
  activeSecretsOf,
  customerUnsubscribedEventOf,
  isWebhookFilter,
  responseEventOf,
  rotatedSecrets,
  webhookEventIdOf,
  webhookEventIdsOfCustomer,
  webhookEventIdsOfSurvey,
  webhookFilterMatches,
  webhookRetryDelaySeconds,
} from '../../../functions/domain/webhooks';
import { webhooksQueue } from '../../../functions/resources/queues';

const body =
  '{"id":"evt_1","type":"case.opened","createdAt":"2026-12-01T10:00:00.000Z","data":{"note":"é ✓"}}';
const now = 1_764_583_200;

describe('signatureHeaderOf', () => {
  it('signs `<t>.<body>` with HMAC-SHA256 under each secret, as `t=…,v1=…,v1=…`', () => {
    const expected = (secret: string) => createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(signatureHeaderOf(body, ['whsec_new', 'whsec_old'], now)).toBe(
      `t=${now},v1=${expected('whsec_new')},v1=${expected('whsec_old')}`,
    );
    expect(signatureOf('whsec_new', now, body)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifyWebhookSignature', () => {
  const header = signatureHeaderOf(body, ['whsec_a'], now);

  it('accepts the body as sent, with the secret, inside the five-minute window either way', () => {
    for (const nowSeconds of [now, now + 300, now - 300])
      expect(verifyWebhookSignature({ body, header, secrets: 'whsec_a', nowSeconds })).toEqual({
        ok: true,
        timestamp: now,
      });
  });

  it('refuses a replay older than five minutes, and a timestamp from the future', () => {
    expect(verifyWebhookSignature({ body, header, secrets: 'whsec_a', nowSeconds: now + 301 })).toEqual({
      ok: false,
      reason: 'too-old',
    });
    expect(verifyWebhookSignature({ body, header, secrets: 'whsec_a', nowSeconds: now - 301 })).toEqual({
      ok: false,
      reason: 'too-new',
    });
  });

  it('refuses a changed body, another secret, or a signature moved to another timestamp', () => {
    const mismatch = { ok: false, reason: 'mismatch' };
    expect(
      verifyWebhookSignature({ body: body.replace('é', 'e'), header, secrets: 'whsec_a', nowSeconds: now }),
    ).toEqual(mismatch);
    expect(verifyWebhookSignature({ body, header, secrets: 'whsec_b', nowSeconds: now })).toEqual(mismatch);
    const moved = header.replace(`t=${now}`, `t=${now + 1}`);
    expect(verifyWebhookSignature({ body, header: moved, secrets: 'whsec_a', nowSeconds: now })).toEqual(
      mismatch,
    );
  });

  it('accepts any one of several signatures, and any one of the receiver’s secrets', () => {
    const rotating = signatureHeaderOf(body, ['whsec_new', 'whsec_old'], now);
    for (const secrets of ['whsec_new', 'whsec_old', ['whsec_other', 'whsec_old']])
      expect(verifyWebhookSignature({ body, header: rotating, secrets, nowSeconds: now }).ok).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['no timestamp', 'v1=abc'],
    ['no signature', `t=${now}`],
    ['two timestamps', `t=${now},t=${now},v1=${'0'.repeat(64)}`],
    ['a timestamp that is not a number', `t=soon,v1=${'0'.repeat(64)}`],
  ])('refuses a malformed header: %s', (_name, malformed) => {
    expect(verifyWebhookSignature({ body, header: malformed, secrets: 'whsec_a', nowSeconds: now })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('ignores a v1 that is not 64 hex digits, instead of failing on it', () => {
    const padded = `${header},v1=zz`;
    expect(verifyWebhookSignature({ body, header: padded, secrets: 'whsec_a', nowSeconds: now }).ok).toBe(
      true,
    );
  });
});

describe('webhook filters', () => {
  it('accepts event types, families and *, and nothing else', () => {
    expect(['response.created', 'case.*', 'customer.*', '*'].every(isWebhookFilter)).toBe(true);
    expect(['response', 'case.reopened', 'survey.*', '', 'case*'].some(isWebhookFilter)).toBe(false);
  });

  it('matches an event to the endpoints that asked for its type, its family or everything', () => {
    expect(webhookFilterMatches(['case.*'], 'case.closed')).toBe(true);
    expect(webhookFilterMatches(['case.*'], 'response.created')).toBe(false);
    expect(webhookFilterMatches(['response.changed', 'customer.unsubscribed'], 'response.changed')).toBe(
      true,
    );
    expect(webhookFilterMatches(['response.changed'], 'response.created')).toBe(false);
    expect(webhookFilterMatches(['*'], 'customer.unsubscribed')).toBe(true);
  });
});

describe('webhook events', () => {
  it('names an event by what happened: the same step retried gives the same id', () => {
    expect(webhookEventIdOf('case.opened', 'sv-1')).toBe(webhookEventIdOf('case.opened', 'sv-1'));
    expect(webhookEventIdOf('case.opened', 'sv-1')).not.toBe(webhookEventIdOf('case.closed', 'sv-1'));
    const first = customerUnsubscribedEventOf('C1', 'unsubscribed', '2026-12-01T10:00:00.000Z');
    expect(customerUnsubscribedEventOf('C1', 'unsubscribed', '2026-12-02T10:00:00.000Z').id).toBe(first.id);
    expect(customerUnsubscribedEventOf('C1', 'bounced', '2026-12-01T10:00:00.000Z').id).not.toBe(first.id);
  });

  it('tells a first counted answer from a changed one, by version', () => {
    const survey = { surveyId: 'sv-1', customerId: 'C1', storeId: 'S1' };
    const answer = { score: 6, reasons: ['staff'], at: '2026-12-01T10:00:00.000Z' };
    const created = responseEventOf(survey, answer, 1, undefined);
    const changed = responseEventOf(survey, { ...answer, score: 9 }, 2, 6);
    expect(created).toMatchObject({ type: 'response.created', data: { category: 'detractor', version: 1 } });
    expect(created.data).not.toHaveProperty('previousScore');
    expect(changed).toMatchObject({
      type: 'response.changed',
      data: { category: 'promoter', previousScore: 6 },
    });
    expect(changed.id).not.toBe(created.id);
  });

  it('lists every event an erasure must delete: each answer version and the case of a survey, the unsubscribes', () => {
    const survey = { surveyId: 'sv-1', customerId: 'C1', storeId: 'S1' };
    const answer = { score: 6, reasons: [], at: '2026-12-01T10:00:00.000Z' };
    const ids = webhookEventIdsOfSurvey('sv-1', 2);
    expect(ids).toHaveLength(6);
    expect(ids).toContain(responseEventOf(survey, answer, 1, undefined).id);
    expect(ids).toContain(responseEventOf(survey, answer, 2, 6).id);
    expect(ids).toContain(webhookEventIdOf('case.closed', 'sv-1'));
    expect(ids).not.toContain(responseEventOf(survey, answer, 3, 6).id);
    expect(webhookEventIdsOfCustomer('C1')).toContain(
      customerUnsubscribedEventOf('C1', 'complained', '2026-12-01T10:00:00.000Z').id,
    );
  });
});

describe('secret rotation', () => {
  const at = new Date('2026-12-01T10:00:00.000Z');
  const original = [{ secret: 'whsec_1', createdAt: '2026-11-01T00:00:00.000Z' }];

  it('adds the new secret and keeps the old ones active for the grace period', () => {
    const rotated = rotatedSecrets(original, 'whsec_2', at, 24);
    expect(rotated).toEqual([
      { secret: 'whsec_2', createdAt: at.toISOString() },
      { secret: 'whsec_1', createdAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-12-02T10:00:00.000Z' },
    ]);
    expect(activeSecretsOf(rotated, new Date('2026-12-02T09:59:59.000Z'))).toEqual(['whsec_2', 'whsec_1']);
    expect(activeSecretsOf(rotated, new Date('2026-12-02T10:00:00.000Z'))).toEqual(['whsec_2']);
  });

  it('never lengthens an earlier grace, and drops the secrets already expired', () => {
    const once = rotatedSecrets(original, 'whsec_2', at, 1);
    const twice = rotatedSecrets(once, 'whsec_3', new Date('2026-12-01T10:30:00.000Z'), 24);
    expect(twice.map((secret) => [secret.secret, secret.expiresAt])).toEqual([
      ['whsec_3', undefined],
      ['whsec_2', '2026-12-02T10:30:00.000Z'],
      ['whsec_1', '2026-12-01T11:00:00.000Z'],
    ]);
    const later = rotatedSecrets(twice, 'whsec_4', new Date('2026-12-01T12:00:00.000Z'), 0);
    expect(later.map((secret) => secret.secret)).toEqual(['whsec_4', 'whsec_3', 'whsec_2']);
    expect(activeSecretsOf(later, new Date('2026-12-01T12:00:00.000Z'))).toEqual(['whsec_4']);
  });
});

describe('webhookRetryDelaySeconds', () => {
  it('doubles from the base after each failed try, up to an hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 15].map((attempt) => webhookRetryDelaySeconds(attempt, 30))).toEqual([
      30, 60, 120, 240, 480, 960, 1920, 3600, 3600,
    ]);
  });

  it('keeps an endpoint tried for about 8 hours over the Webhooks queue’s 15 receives', () => {
    let total = 0;
    for (let attempt = 1; attempt < webhooksQueue.maxReceiveCount; attempt++)
      total += webhookRetryDelaySeconds(attempt, 30);
    expect(total / 3600).toBeCloseTo(8.06, 1);
  });
});

describe('the verification snippet in docs/operations.md', () => {
  it('accepts a delivery signed with the secret now, and refuses a tampered body, another secret and a replay', async () => {
    const docs = readFileSync('docs/operations.md', 'utf8');
    const snippet = /### Verifying a webhook[\s\S]*?```js\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    const file = join(mkdtempSync(join(tmpdir(), 'closeloop-snippet-')), 'verify.mjs');
    writeFileSync(file, snippet);
    const { verifyCloseloopWebhook } = (await import(pathToFileURL(file).href)) as {
      verifyCloseloopWebhook: (body: string, header: string | undefined, secret: string) => boolean;
    };
    const nowSeconds = Math.floor(Date.now() / 1000);
    const header = signatureHeaderOf(body, ['whsec_new', 'whsec_old'], nowSeconds);
    expect(verifyCloseloopWebhook(body, header, 'whsec_old')).toBe(true);
    expect(verifyCloseloopWebhook(`${body} `, header, 'whsec_old')).toBe(false);
    expect(verifyCloseloopWebhook(body, header, 'whsec_other')).toBe(false);
    expect(
      verifyCloseloopWebhook(body, signatureHeaderOf(body, ['whsec_old'], nowSeconds - 301), 'whsec_old'),
    ).toBe(false);
    expect(verifyCloseloopWebhook(body, undefined, 'whsec_old')).toBe(false);
  });
});
