import { describe, expect, it } from 'vitest';
import { renderInvitationEmail } from '../../../functions/templates/invitation-email';

const input = {
  kind: 'invitation' as const,
  locale: 'en-GB',
  firstName: 'Ada',
  brand: 'Maison & Fils',
  storeName: 'Lyon <Part-Dieu>',
  surveyUrl: 'https://api.example.com/s/TOKEN1234567890123456',
  unsubscribeUrl: 'https://api.example.com/u/TOKEN1234567890123456',
};

describe('renderInvitationEmail', () => {
  it('asks the one question with eleven score links, in HTML and plain text', () => {
    const email = renderInvitationEmail(input);
    expect(email.subject).toBe('Would you recommend Maison & Fils? One quick question');
    for (let score = 0; score <= 10; score++) {
      expect(email.html).toContain(`href="${input.surveyUrl}?score=${score}"`);
      expect(email.text).toContain(`${score}: ${input.surveyUrl}?score=${score}`);
    }
    expect(email.html.match(/\?score=/g)).toHaveLength(11);
    expect(email.html).toContain(
      'How likely are you to recommend Maison &amp; Fils to a friend or colleague?',
    );
  });

  it('escapes every value it interpolates', () => {
    const email = renderInvitationEmail({ ...input, firstName: '<img src=x onerror=alert(1)>' });
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('Lyon &lt;Part-Dieu&gt;');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('carries an RFC 8058 one-click unsubscribe and a visible link', () => {
    const email = renderInvitationEmail(input);
    expect(email.headers).toEqual({
      'List-Unsubscribe': `<${input.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(email.html).toContain(`href="${input.unsubscribeUrl}"`);
    expect(email.text).toContain(input.unsubscribeUrl);
  });

  it('speaks the customer’s language, falling back to English', () => {
    expect(renderInvitationEmail({ ...input, locale: 'fr-CA' }).html).toContain('lang="fr"');
    expect(renderInvitationEmail({ ...input, locale: 'fr-CA' }).subject).toContain('Recommanderiez-vous');
    expect(renderInvitationEmail({ ...input, locale: 'es' }).text).toContain('¿Qué probabilidad hay');
    expect(renderInvitationEmail({ ...input, locale: 'ja' }).subject).toContain('Would you recommend');
  });

  it('says it is a reminder when it is one', () => {
    const email = renderInvitationEmail({ ...input, kind: 'reminder' });
    expect(email.subject).toMatch(/^Reminder:/);
    expect(email.text).toContain('A few days ago we asked you one question.');
  });
});
