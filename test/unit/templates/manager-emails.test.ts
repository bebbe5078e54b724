import { describe, expect, it } from 'vitest';
import { languages } from '../../../functions/domain/languages';
import { renderCaseEmail } from '../../../functions/templates/alert-email';
import { renderDigestEmail } from '../../../functions/templates/digest-email';
import { renderManagerPage } from '../../../functions/templates/manager-page';
import { managerPageMessagesFor } from '../../../functions/templates/manager-page-messages';
import { anOpenCase } from '../../support/in-memory-cases';

const casesUrl = 'https://api.example.test/m';
// Due 2026-11-03T10:00Z: 05:00 in Boston, 11:00 in Madrid.
const caseRecord = anOpenCase({
  customer: {
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: '+1 617 555 0134',
    locale: 'en',
    attributes: {},
  },
  reasons: ['staff', 'price'],
});

describe('the case e-mails (alert, update, escalation)', () => {
  it('show every time in the store’s zone, never in UTC, and link straight to the case', () => {
    for (const kind of ['alert', 'update', 'escalation'] as const) {
      const email = renderCaseEmail(caseRecord, {
        storeName: 'Boston Back Bay',
        kind,
        casesUrl,
        language: 'en',
        timeZone: 'America/New_York',
      });
      expect(email.text).toContain('Due: Tue, Nov 3, 2026, 05:00 AM EST');
      expect(email.text).toContain('Answered: Mon, Nov 2, 2026, 05:00 AM EST');
      expect(email.text).not.toMatch(/T\d\d:\d\d|UTC/);
      expect(email.text).toContain('Open this case: https://api.example.test/m?case=sv-1');
      expect(email.html).toContain('href="https://api.example.test/m?case=sv-1"');
      expect(email.text).toContain('Phone: +1 617 555 0134');
    }
  });

  it.each([
    ['fr', 'Détracteur à Madrid Sol', 'Motifs: Personnel, Prix', 'Ouvrir ce dossier'],
    ['es', 'Detractor en Madrid Sol', 'Motivos: Personal, Precios', 'Abrir este caso'],
  ] as const)('speak the store’s language (%s), reasons included', (language, subject, reasons, link) => {
    const email = renderCaseEmail(caseRecord, {
      storeName: 'Madrid Sol',
      kind: 'alert',
      casesUrl,
      language,
      timeZone: 'Europe/Madrid',
    });
    expect(email.subject).toContain(subject);
    expect(email.text).toContain(reasons);
    expect(email.text).toContain(`${link}: ${casesUrl}?case=sv-1`);
    expect(email.text).toContain('11:00');
    expect(email.html).toContain(`<html lang="${language}">`);
  });

  it('say there is no phone number rather than leave the line out', () => {
    const email = renderCaseEmail(anOpenCase(), {
      storeName: 'Lyon',
      kind: 'alert',
      casesUrl,
      language: 'en',
      timeZone: 'Europe/Paris',
    });
    expect(email.text).toContain('Phone: no phone number on file');
  });
});

describe('the daily digest', () => {
  it('dates the day and each case’s due time in the store’s language and zone, each case linked', () => {
    const email = renderDigestEmail({
      storeName: 'Lyon',
      date: '2026-11-02',
      yesterday: {
        responses: 5,
        nps: 40,
        marginOfError: 30,
        lowConfidence: true,
        promoters: 3,
        passives: 1,
        detractors: 1,
      } as never,
      openCases: [caseRecord],
      now: new Date('2026-11-04T08:00:00Z'),
      casesUrl,
      language: 'fr',
      timeZone: 'Europe/Paris',
    });
    expect(email.subject).toBe('Lyon : synthèse NPS du 2 novembre 2026');
    expect(email.text).toContain('EN RETARD Ada Lovelace (2/10), échéance mar. 3 nov. 2026, 11:00 UTC+1');
    expect(email.text).toContain(`${casesUrl}?case=sv-1`);
    expect(email.text).toContain('3 promoteurs, 1 passifs, 1 détracteurs');
  });
});

describe('the managers’ page', () => {
  const html = renderManagerPage('nonce', {
    issuerUrl: 'https://issuer.example.com',
    clientId: 'staff-pages',
  });

  it('has a text in every language for each of its translatable elements', () => {
    const keys = [...html.matchAll(/data-t="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(keys.length).toBeGreaterThan(20);
    for (const language of languages) {
      const texts = managerPageMessagesFor(language);
      for (const key of keys) {
        const value = key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], texts);
        expect(typeof value, `${language}: ${key}`).toBe('string');
      }
    }
  });

  it('labels every control', () => {
    const ids = [...html.matchAll(/<(?:select|textarea|input)[^>]*\bid="([^"]+)"/g)].map((match) => match[1]);
    for (const id of ids) expect(html, id).toContain(`for="${id}"`);
    expect(html).not.toContain('<table');
  });
});
