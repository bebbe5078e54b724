import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { createMailer } from '../../functions/adapters/mailer';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const paragraphs = (lines: readonly string[]) => lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');

export interface StaffMail {
  readonly sendInvitation: (email: string, temporaryPassword: string) => Promise<void>;
  readonly sendVerificationCode: (email: string, code: string) => Promise<void>;
}

/**
 * The e-mails the local identity provider sends through the SES emulator (so they show in the mail
 * viewer), as Cognito sends its own: a new account's invitation with its temporary password, and the
 * code that confirms an e-mail change. Hand them to `createCognitoAdminHandler`.
 */
export const createStaffMail = (
  ses: SESv2Client,
  {
    from,
    signInUrl,
    brand = 'closeloop',
  }: {
    from: string;
    /** Where staff sign in (the managers' page), read when a mail is sent: the API may start later. */
    signInUrl: () => string;
    brand?: string;
  },
): StaffMail => {
  const mailer = createMailer(ses, { from });
  const mail = async (to: string, subject: string, lines: readonly string[]) => {
    await mailer.send({ to, subject, text: `${lines.join('\n\n')}\n`, html: paragraphs(lines) });
  };
  return {
    sendInvitation: (email: string, temporaryPassword: string) =>
      mail(email, `Your ${brand} staff account`, [
        `An account was created for you: sign in at ${signInUrl()} with ${email} and the temporary password below, then choose your own.`,
        `Temporary password: ${temporaryPassword}`,
      ]),
    sendVerificationCode: (email: string, code: string) =>
      mail(email, `Your ${brand} verification code`, [
        `To confirm ${email} as the e-mail address of your ${brand} staff account, enter this code: ${code}`,
        'Until you do, your account keeps its former address.',
      ]),
  };
};
