import { describe, expect, it } from 'vitest';
import { testimonialFieldsOf } from '../../../functions/domain/segments';
import {
  CONSENT_WORDING_VERSION,
  consentDelta,
  consentedQuotesOfItem,
  currentConsentWording,
  formatSignature,
  mayBeQuoted,
  signatureChoicesFor,
  targetProgress,
  yearMonthRange,
} from '../../../functions/domain/testimonial-consent';
import { ConsentInput, consentFieldsOfForm } from '../../../functions/schemas/consent-input';
import { StoreProfile } from '../../../functions/schemas/store';

describe('formatSignature', () => {
  const marie = { firstName: 'Marie', lastName: 'dupont' };
  it('signs with the full name', () => {
    expect(formatSignature('full-name', { firstName: 'Marie', lastName: 'Dupont' }, 'fr')).toBe(
      'Marie Dupont',
    );
  });
  it('signs with the first name and the capitalised initial of the last name', () => {
    expect(formatSignature('first-name-initial', marie, 'fr')).toBe('Marie D.');
    expect(formatSignature('first-name-initial', { firstName: 'Ana', lastName: 'Ñúñez' }, 'es')).toBe(
      'Ana Ñ.',
    );
  });
  it('signs anonymously in the survey language', () => {
    expect(formatSignature('anonymous', marie, 'fr-CA')).toBe('Un client');
    expect(formatSignature('anonymous', marie, 'es')).toBe('Un cliente');
    expect(formatSignature('anonymous', marie, 'de')).toBe('A customer');
  });
  it('leaves out a missing last name, and signs anonymously without a first name', () => {
    expect(formatSignature('first-name-initial', { firstName: 'Sam' }, 'en')).toBe('Sam');
    expect(formatSignature('full-name', { firstName: ' Sam ', lastName: '' }, 'en')).toBe('Sam');
    expect(formatSignature('full-name', { lastName: 'Doe' }, 'en')).toBe('A customer');
  });
  it('offers the named signatures only to a customer with a first name', () => {
    expect(signatureChoicesFor({ firstName: 'Sam' })).toEqual([
      'full-name',
      'first-name-initial',
      'anonymous',
    ]);
    expect(signatureChoicesFor({ firstName: '  ' })).toEqual(['anonymous']);
  });
});

describe('consent wording', () => {
  it('is the version in force, in the survey language, naming the brand', () => {
    const wording = currentConsentWording('fr-FR', 'Maison Lune');
    expect(wording).toMatchObject({ version: CONSENT_WORDING_VERSION, language: 'fr' });
    expect(wording.text).toContain('Maison Lune peut-il citer');
    expect(currentConsentWording('pt', 'X').language).toBe('en');
  });
});

describe('mayBeQuoted', () => {
  it('is true only for a promoter who wrote why', () => {
    expect(mayBeQuoted({ score: 9, comment: 'Great' })).toBe(true);
    expect(mayBeQuoted({ score: 9, comment: '  ' })).toBe(false);
    expect(mayBeQuoted({ score: 8, comment: 'Good' })).toBe(false);
    expect(mayBeQuoted(undefined)).toBe(false);
  });
});

describe('consent counters', () => {
  it('adds one on consent and takes one on withdrawal', () => {
    expect(consentDelta(1)).toEqual({ consentedQuotes: 1 });
    expect(consentDelta(-1)).toEqual({ consentedQuotes: -1 });
    expect(consentedQuotesOfItem({ consentedQuotes: 3 })).toBe(3);
    expect(consentedQuotesOfItem({})).toBe(0);
  });
  it('reads a calendar year as its twelve month items', () => {
    expect(yearMonthRange(2027)).toEqual({ from: 'month#2027-01', to: 'month#2027-12' });
  });
  it('measures progress towards a target, capped at 100%', () => {
    expect(targetProgress(3, 12)).toEqual({
      consented: 3,
      target: 12,
      remaining: 9,
      percent: 25,
      reached: false,
    });
    expect(targetProgress(15, 12)).toMatchObject({ remaining: 0, percent: 100, reached: true });
    expect(targetProgress(0, 0)).toMatchObject({ percent: 100, reached: true });
    expect(targetProgress(1, 3).percent).toBe(33.3);
  });
});

describe('ConsentInput', () => {
  it('takes the form post of a signature and the wording version shown', () => {
    const form = new URLSearchParams({ signature: 'anonymous', wordingVersion: CONSENT_WORDING_VERSION });
    expect(ConsentInput.parse(consentFieldsOfForm(form))).toEqual({
      signature: 'anonymous',
      wordingVersion: CONSENT_WORDING_VERSION,
    });
  });
  it('refuses a missing or unknown signature and an unknown wording, saying which', () => {
    const noSignature = ConsentInput.safeParse(
      consentFieldsOfForm(new URLSearchParams({ wordingVersion: CONSENT_WORDING_VERSION })),
    );
    expect(noSignature.error?.issues[0]?.path).toEqual(['signature']);
    const badSignature = ConsentInput.safeParse({
      signature: 'nickname',
      wordingVersion: CONSENT_WORDING_VERSION,
    });
    expect(badSignature.error?.issues[0]?.message).toContain('must be one of full-name');
    const badWording = ConsentInput.safeParse({ signature: 'anonymous', wordingVersion: '1999-01-01' });
    expect(badWording.error?.issues[0]?.message).toBe('is not a consent wording we know');
  });
});

describe('testimonialFieldsOf', () => {
  it('shows the rendered signature, the choice and the consent exactly as given', () => {
    expect(
      testimonialFieldsOf({
        signature: 'first-name-initial',
        signatureText: 'Marie D.',
        givenAt: '2027-03-01T10:00:00.000Z',
        wording: { version: CONSENT_WORDING_VERSION, language: 'fr', text: 'Texte' },
      }),
    ).toEqual({
      signature: 'Marie D.',
      signatureChoice: 'first-name-initial',
      consentedAt: '2027-03-01T10:00:00.000Z',
      consentLanguage: 'fr',
      consentWordingVersion: CONSENT_WORDING_VERSION,
      consentWording: 'Texte',
    });
  });
});

describe('a store’s testimonialTarget', () => {
  const store = { storeId: 'S1', name: 'Lyon', managerEmail: 'm@x.com', timezone: 'Europe/Paris' };
  it('is optional, read from a CSV cell and kept as its digits', () => {
    expect(StoreProfile.parse({ ...store }).testimonialTarget).toBeUndefined();
    expect(StoreProfile.parse({ ...store, testimonialTarget: '' }).testimonialTarget).toBe('');
    expect(StoreProfile.parse({ ...store, testimonialTarget: '24' }).testimonialTarget).toBe('24');
    expect(StoreProfile.parse({ ...store, testimonialTarget: '100000' }).testimonialTarget).toBe('100000');
  });
  it('must be a whole number from 0 to 100000', () => {
    for (const bad of ['-1', '2.5', 'twelve', '100001', ' 24']) {
      const parsed = StoreProfile.safeParse({ ...store, testimonialTarget: bad });
      expect(parsed.error?.issues[0]?.message, bad).toBe('must be a whole number from 0 to 100000');
    }
  });
});
