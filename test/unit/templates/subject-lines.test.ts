import { describe, expect, it } from 'vitest';
import { renderCaseEmail } from '../../../functions/templates/alert-email';
import { renderDigestEmail } from '../../../functions/templates/digest-email';
import { renderInvitationEmail } from '../../../functions/templates/invitation-email';
import { anOpenCase } from '../../support/in-memory-cases';

const hostile = 'Evil\r\nBcc: all@example.com\u2028\tX-Spam:\u0000 yes';
const clean = 'Evil Bcc: all@example.com X-Spam: yes';
const breaking = /[\p{Cc}\u2028\u2029]/u;

describe('e-mail subjects', () => {
  it('put a store’s and a customer’s names on one line in alerts, updates and escalations', () => {
    const caseRecord = anOpenCase({
      customer: { name: hostile, email: 'ada@example.com', locale: 'en', attributes: {} },
    });
    for (const kind of ['alert', 'update', 'escalation'] as const) {
      const { subject, text } = renderCaseEmail(caseRecord, {
        storeName: hostile,
        kind,
        casesUrl: 'https://api.example.test/m',
        changes: [3, 5],
        language: 'en',
        timeZone: 'Europe/Paris',
      });
      expect(subject).not.toMatch(breaking);
      expect(subject).toContain(clean);
      expect(text).toContain(`Customer: ${clean}\n`);
    }
  });

  it('put the store’s name on one line in the daily digest', () => {
    const { subject } = renderDigestEmail({
      storeName: hostile,
      date: '2026-11-02',
      yesterday: { responses: 0, promoters: 0, passives: 0, detractors: 0 } as never,
      openCases: [],
      now: new Date('2026-11-03T08:00:00Z'),
      casesUrl: 'https://api.example.test/m',
      language: 'en',
      timeZone: 'Europe/Paris',
    });
    expect(subject).toBe(`${clean}: daily NPS digest for November 2, 2026`);
  });

  it('put the brand on one line in invitations and reminders, and the names in the body', () => {
    for (const kind of ['invitation', 'reminder'] as const) {
      const email = renderInvitationEmail({
        kind,
        locale: 'en',
        firstName: hostile,
        brand: `Maison\r\n& Fils`,
        storeName: hostile,
        surveyUrl: 'https://api.example.com/s/TOKEN1234567890123456',
        unsubscribeUrl: 'https://api.example.com/u/TOKEN1234567890123456',
      });
      expect(email.subject).not.toMatch(breaking);
      expect(email.subject).toContain('Maison & Fils');
      expect(email.text).not.toContain('\r');
      expect(email.text).toContain(clean);
    }
  });
});
