import { describe, expect, it } from 'vitest';
import {
  CONSENT_WORDING_VERSION,
  currentConsentWording,
} from '../../../functions/domain/testimonial-consent';
import type { StoredConsent } from '../../../functions/schemas/consent';
import {
  consentForm,
  renderConsentEmail,
  renderWithdrawQuestion,
} from '../../../functions/templates/consent-pages';
import { renderThanksPage } from '../../../functions/templates/survey-page';

const wording = currentConsentWording('fr', 'Lune');
const offer = {
  action: 'tok/consent',
  wordingVersion: wording.version,
  wordingText: wording.text,
  quote: 'Super <script>alert(1)</script> & "merci"',
  choices: [
    { value: 'full-name', signatureText: 'Marie Dupont' },
    { value: 'anonymous', signatureText: 'Un client' },
  ] as const,
};
const consent: StoredConsent = {
  signature: 'first-name-initial',
  signatureText: 'Marie D.',
  quote: 'Super <b>équipe</b>',
  score: 10,
  answeredAt: '2027-03-01T09:59:00.000Z',
  wording: { version: CONSENT_WORDING_VERSION, language: 'fr', text: wording.text },
  givenAt: '2027-03-01T10:00:00.000Z',
  countedAt: '2027-03-01T10:00:00.000Z',
};

describe('the consent form', () => {
  it('is a plain form post with the quote, the versioned wording and one labelled radio per signature', () => {
    const html = consentForm('fr', offer);
    expect(html).toContain('<form id="consent" method="post" action="tok/consent">');
    expect(html).toContain(`name="wordingVersion" value="${CONSENT_WORDING_VERSION}"`);
    expect(html).toContain('<legend>Comment signer vos mots ?</legend>');
    expect(html).toContain('Avec mon nom complet : Marie Dupont</label>');
    expect(html).toContain('Anonymement : « Un client »</label>');
    expect(html).toContain('Lune peut-il citer ce que vous avez écrit');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Super &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;merci&quot;');
  });
  it('shows on a promoter’s thank-you page only when offered', () => {
    const base = { locale: 'fr', brand: 'Lune', storeName: 'Lyon', category: 'promoter' as const };
    expect(renderThanksPage({ ...base, consent: offer })).toContain('Pouvons-nous vous citer ?');
    expect(renderThanksPage(base)).not.toContain('id="consent"');
  });
});

describe('the confirmation e-mail', () => {
  it('holds the quote, the signature, the wording, the date and the withdraw link, escaped', () => {
    const email = renderConsentEmail({
      locale: 'fr',
      brand: 'Lune',
      firstName: 'Marie',
      consent,
      withdrawUrl: 'https://api.example.com/q/abcdefghijklmnopqrstuv',
    });
    expect(email.subject).toBe('Vos mots sur Lune : vous avez accepté d’être cité');
    expect(email.html).toContain('Super &lt;b&gt;équipe&lt;/b&gt;');
    expect(email.html).toContain('href="https://api.example.com/q/abcdefghijklmnopqrstuv"');
    expect(email.text).toContain('Signé : Marie D.');
    expect(email.text).toContain('Le 1 mars 2027, vous avez accepté ceci');
    expect(email.text).toContain(wording.text);
  });
});

describe('the withdrawal question', () => {
  it('shows the quote and its signature, and withdraws only with a post', () => {
    const html = renderWithdrawQuestion('fr', 'Lune', consent);
    expect(html).toContain('Ne plus permettre à Lune de citer ces mots ?');
    expect(html).toContain('— Marie D.');
    expect(html).toContain('<form method="post"><button type="submit">Retirer mon accord</button></form>');
  });
});
