import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../functions/domain/errors';
import { eraseCustomer, exportCustomerData } from '../../../functions/use-cases/customer-privacy';
import {
  createPrivacyFakes,
  type PrivacyFakes,
  seedTwoCustomers,
  serialised,
} from '../../support/in-memory-privacy';

const now = new Date('2027-06-10T12:00:00.000Z');
const adaStrings = [
  'ada@example.com',
  'Ada',
  'Lovelace',
  'Marylebone',
  'waited an hour',
  'bakery corner',
  'voucher',
  'C1',
];

let fakes: PrivacyFakes;
beforeEach(() => {
  fakes = createPrivacyFakes();
  seedTwoCustomers(fakes);
});

const bobItems = () =>
  JSON.stringify([
    fakes.customers.get('C2'),
    fakes.claims.get('bob@example.com'),
    fakes.surveys.get('token-bob-cccccccccccc'),
  ]);

describe('exportCustomerData', () => {
  it('returns the record, the e-mail claim, every survey with every answer, and the case with its notes', async () => {
    const data = await exportCustomerData({ ...fakes.deps, clock: () => now }, 'C1');

    expect(data).toMatchObject({
      customerId: 'C1',
      exportedAt: now.toISOString(),
      customer: { email: 'ada@example.com', firstName: 'Ada', attributes: { city: 'Marylebone' } },
      emailClaim: { email: 'ada@example.com', customerId: 'C1' },
    });
    expect(data.surveys.map((survey) => (survey as { surveyId: string }).surveyId)).toEqual([
      'sv-detractor',
      'sv-promoter',
    ]);
    expect(data.surveys[0]).toMatchObject({
      answers: [{ score: 2 }, { score: 3, comment: 'Ada waited an hour at the till' }],
    });
    expect(data.cases).toEqual([
      expect.objectContaining({
        caseId: 'sv-detractor',
        notes: [
          expect.objectContaining({ by: 'customer' }),
          expect.objectContaining({ text: 'Called Ada Lovelace, voucher' }),
        ],
      }),
    ]);
  });

  it('leaves out the link tokens, says why, and includes attributes it does not know of', async () => {
    const data = await exportCustomerData(fakes.deps, 'C1');
    const json = JSON.stringify(data);

    expect(json).not.toContain('token-detractor');
    expect(json).not.toContain('"token"');
    expect(data.notes.join(' ')).toMatch(/tokens are left out: a token is a credential/);
    expect(data.notes.join(' ')).toMatch(/Idempotency records .* no personal data/);
    expect(data.customer).toMatchObject({
      latestComment: 'Lovely staff, said Ada',
      segmentShard: 'promoter#3',
    });
    // A DynamoDB set would vanish from JSON ({}): it is exported as an array.
    expect(data.cases[0]).toMatchObject({ noteKeys: ['answer:2026-12-02T10:01:00.000Z'] });
  });

  it('leaves out an e-mail claim that belongs to someone else', async () => {
    fakes.claims.set('ada@example.com', { email: 'ada@example.com', customerId: 'C9' });
    expect((await exportCustomerData(fakes.deps, 'C1')).emailClaim).toBeNull();
  });

  it('throws NotFoundError for an id with nothing stored', async () => {
    await expect(exportCustomerData(fakes.deps, 'C404')).rejects.toThrow(NotFoundError);
  });
});

describe('eraseCustomer', () => {
  it('removes every comment, note text, name and address, and deletes the record and its claim', async () => {
    const bobBefore = bobItems();
    const summary = await eraseCustomer(fakes.deps, 'C1', { now });

    expect(summary).toEqual({ surveys: 2, cases: 1, customer: 'deleted' });
    const everything = serialised(fakes);
    for (const text of adaStrings) expect(everything).not.toContain(text);
    expect(fakes.customers.has('C1')).toBe(false);
    expect(fakes.claims.has('ada@example.com')).toBe(false);
    expect(bobItems()).toBe(bobBefore);
  });

  it('keeps scores, reasons, times and what the aggregates counted, so nothing is counted again', async () => {
    const before = fakes.surveys.get('token-detractor-aaaaaa');
    await eraseCustomer(fakes.deps, 'C1', { now });
    const survey = fakes.surveys.get('token-detractor-aaaaaa');

    expect(survey).toMatchObject({
      customerId: 'erased',
      erasedAt: now.toISOString(),
      version: 2,
      counted: before?.counted,
      firstAnsweredAt: before?.firstAnsweredAt,
      answer: { score: 3, reasons: ['staff'], at: '2026-12-02T10:01:00.000Z' },
      answers: [{ score: 2 }, { score: 3 }],
    });
    for (const gone of [
      'countShard',
      'answerKey',
      'followUpAnswerKey',
      'commentStoreId',
      'testimonialShard',
    ]) {
      expect(survey).not.toHaveProperty(gone);
    }
    expect(fakes.surveys.get('token-promoter-bbbbbbb')).not.toHaveProperty('reminderShard');
  });

  it('closes open links as of the erasure and leaves earlier expiries as they were', async () => {
    await eraseCustomer(fakes.deps, 'C1', { now });
    expect(fakes.surveys.get('token-promoter-bbbbbbb')?.expiresAt).toBe(now.toISOString());
    expect(fakes.surveys.get('token-detractor-aaaaaa')?.expiresAt).toBe('2026-12-31T09:00:00.000Z');
  });

  it('keeps the case’s status, score, owner and note authors, and marks it erased', async () => {
    await eraseCustomer(fakes.deps, 'C1', { now });
    expect(fakes.cases.get('sv-detractor')).toMatchObject({
      customerId: 'erased',
      status: 'contacted',
      score: 3,
      owner: 'manager.s1@stores.example.com',
      customer: { name: '', email: '', locale: 'en-GB', attributes: {} },
      notes: [
        { by: 'customer', text: '[erased]' },
        { by: 'manager.s1@stores.example.com', text: '[erased]' },
      ],
      erasedAt: now.toISOString(),
    });
    expect(fakes.cases.get('sv-detractor')).not.toHaveProperty('comment');
  });

  it('stops the mail first and deletes the customer last, after every case and survey', async () => {
    await eraseCustomer(fakes.deps, 'C1', { now });
    const writes = fakes.calls.filter((call) => !call.startsWith('surveys.close'));

    expect(writes).toEqual([
      'customers.setContactStatus C1 unsubscribed',
      'cases.anonymise sv-detractor',
      'aggregates.forgetThemeExample sv-detractor',
      'surveys.anonymise token-detractor-aaaaaa',
      'aggregates.forgetThemeExample sv-promoter',
      'surveys.anonymise token-promoter-bbbbbbb',
      'customers.deleteWithClaim C1',
    ]);
    expect(fakes.calls.indexOf('surveys.close token-promoter-bbbbbbb')).toBeLessThan(
      fakes.calls.indexOf('cases.anonymise sv-detractor'),
    );
  });

  it('does nothing more when run again', async () => {
    await eraseCustomer(fakes.deps, 'C1', { now });
    const after = serialised(fakes);
    fakes.calls.length = 0;

    expect(await eraseCustomer(fakes.deps, 'C1', { now })).toEqual({
      surveys: 0,
      cases: 0,
      customer: 'absent',
    });
    expect(serialised(fakes)).toBe(after);
    expect(fakes.calls).toEqual([]);
  });

  it('finishes an erasure interrupted after the surveys were anonymised, before the customer was deleted', async () => {
    const { deleteWithClaim } = fakes.deps.customers;
    fakes.deps.customers.deleteWithClaim = async () => {
      throw new Error('Lambda timed out');
    };
    await expect(eraseCustomer(fakes.deps, 'C1', { now })).rejects.toThrow('Lambda timed out');
    expect(fakes.customers.has('C1')).toBe(true);
    expect(await fakes.deps.surveys.tokensOfCustomer('C1')).toEqual([]);

    fakes.deps.customers.deleteWithClaim = deleteWithClaim;
    expect(await eraseCustomer(fakes.deps, 'C1', { now })).toEqual({
      surveys: 0,
      cases: 0,
      customer: 'deleted',
    });
    for (const text of adaStrings) expect(serialised(fakes)).not.toContain(text);
  });

  it('finishes an erasure interrupted between the two surveys, finding the case through the history', async () => {
    // The run dies on the second survey, after the first survey and its case were anonymised.
    const { anonymise } = fakes.deps.surveys;
    fakes.deps.surveys.anonymise = async (token, ...rest) => {
      if (token === 'token-promoter-bbbbbbb') throw new Error('connection reset');
      return anonymise(token, ...rest);
    };
    await expect(eraseCustomer(fakes.deps, 'C1', { now })).rejects.toThrow('connection reset');
    expect(fakes.surveys.get('token-detractor-aaaaaa')?.customerId).toBe('erased');
    expect(fakes.surveys.get('token-promoter-bbbbbbb')?.customerId).toBe('C1');
    // The first survey is no longer found by the index; with a comment put back on its case, the second
    // run shows it still reaches that case, through the customer's survey history.
    const caseItem = fakes.cases.get('sv-detractor') as Record<string, unknown>;
    caseItem.comment = 'Ada waited an hour at the till';

    fakes.deps.surveys.anonymise = anonymise;
    expect(await eraseCustomer(fakes.deps, 'C1', { now })).toEqual({
      surveys: 1,
      cases: 1,
      customer: 'deleted',
    });
    for (const text of adaStrings) expect(serialised(fakes)).not.toContain(text);
  });

  it('leaves the e-mail claim alone when another customer holds the address now', async () => {
    fakes.claims.set('ada@example.com', { email: 'ada@example.com', customerId: 'C9' });
    await eraseCustomer(fakes.deps, 'C1', { now });
    expect(fakes.claims.get('ada@example.com')).toMatchObject({ customerId: 'C9' });
  });

  it('erases nothing while an answer is still being counted, then completes once it is', async () => {
    const survey = fakes.surveys.get('token-promoter-bbbbbbb') as Record<string, unknown>;
    survey.countShard = '5';

    const refused = eraseCustomer(fakes.deps, 'C1', { now });
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toThrow(
      /survey sv-promoter: its answer is not counted yet.*run the erasure again/,
    );
    expect(fakes.cases.get('sv-detractor')).toMatchObject({ comment: 'Ada waited an hour at the till' });
    expect(fakes.customers.get('C1')).toMatchObject({ contactStatus: 'unsubscribed' });
    expect(fakes.customers.get('C1')).not.toHaveProperty('dueShard');
    expect(survey.expiresAt).toBe(now.toISOString());

    delete survey.countShard;
    expect(await eraseCustomer(fakes.deps, 'C1', { now })).toMatchObject({ surveys: 2, customer: 'deleted' });
  });

  it('erases nothing while a detractor’s follow-up case is not open yet', async () => {
    fakes.cases.delete('sv-detractor');
    await expect(eraseCustomer(fakes.deps, 'C1', { now })).rejects.toThrow(
      /survey sv-detractor: its follow-up case is not open yet/,
    );
    expect(fakes.surveys.get('token-detractor-aaaaaa')).toMatchObject({ customerId: 'C1' });
  });

  it('reads a case again when a manager adds a note during the erasure, and erases that note too', async () => {
    const { anonymise } = fakes.deps.cases;
    let raced = false;
    fakes.deps.cases.anonymise = async (caseId, ...rest) => {
      if (!raced) {
        raced = true;
        const notes = fakes.cases.get(caseId)?.notes as { at: string; by: string; text: string }[];
        notes.push({ at: now.toISOString(), by: 'manager.s1@stores.example.com', text: 'Ada called back' });
      }
      return anonymise(caseId, ...rest);
    };
    await eraseCustomer(fakes.deps, 'C1', { now });
    const notes = (fakes.cases.get('sv-detractor')?.notes ?? []) as { text: string }[];
    expect(notes.map((note) => note.text)).toEqual(['[erased]', '[erased]', '[erased]']);
  });

  it('stops with a ConflictError, keeping the customer, when an answer arrives as a link closes', async () => {
    const { anonymise } = fakes.deps.surveys;
    fakes.deps.surveys.anonymise = async (token, ...rest) => {
      const survey = fakes.surveys.get(token) as Record<string, unknown>;
      survey.version = Number(survey.version) + 1;
      return anonymise(token, ...rest);
    };
    await expect(eraseCustomer(fakes.deps, 'C1', { now })).rejects.toThrow(
      /changed during the erasure .* run the erasure again/,
    );
    expect(fakes.customers.has('C1')).toBe(true);
  });

  it('reports an unknown customer as absent and changes nothing', async () => {
    const before = serialised(fakes);
    expect(await eraseCustomer(fakes.deps, 'C404', { now })).toEqual({
      surveys: 0,
      cases: 0,
      customer: 'absent',
    });
    expect(serialised(fakes)).toBe(before);
  });
});

describe('eraseCustomer and a consent to be quoted', () => {
  const consent = {
    signature: 'full-name',
    signatureText: 'Ada Lovelace',
    quote: 'Ada loved the new bakery corner',
    score: 10,
    answeredAt: '2027-06-02T10:00:00.000Z',
    wording: { version: '2026-12-01', language: 'en', text: 'May we quote you?' },
    givenAt: '2027-06-02T10:01:00.000Z',
    countedAt: '2027-06-02T10:01:00.000Z',
  };

  it('withdraws (and so uncounts) the consent before anonymising the survey, leaving no quote or name', async () => {
    const promoter = fakes.surveys.get('token-promoter-bbbbbbb') ?? {};
    Object.assign(promoter, { consent, quoteShard: '4', consentedAt: consent.givenAt });

    await eraseCustomer(fakes.deps, 'C1', { now });

    const withdrawn = fakes.calls.indexOf('consents.withdraw token-promoter-bbbbbbb');
    expect(withdrawn).toBeGreaterThan(-1);
    expect(withdrawn).toBeLessThan(fakes.calls.indexOf('surveys.anonymise token-promoter-bbbbbbb'));
    expect(fakes.calls.filter((call) => call.startsWith('consents.'))).toHaveLength(1);
    const survey = fakes.surveys.get('token-promoter-bbbbbbb');
    expect(survey?.consent).toBeUndefined();
    expect(survey?.quoteShard).toBeUndefined();
    expect(JSON.stringify(survey)).not.toContain('Lovelace');
  });

  it('withdraws nothing for surveys without consent', async () => {
    await eraseCustomer(fakes.deps, 'C1', { now });
    expect(fakes.calls.filter((call) => call.startsWith('consents.'))).toEqual([]);
  });
});
