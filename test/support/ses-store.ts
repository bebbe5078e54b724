import { inject } from 'vitest';
import { staffMailSender } from '../../local/local-cloud';

export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly at: number;
}

/** Every e-mail the SES emulator holds, optionally only those to addresses matching `to`. */
export const sentEmails = async (to?: (address: string) => boolean): Promise<StoredEmail[]> => {
  const response = await fetch(`${inject('localEnv').AWS_ENDPOINT_URL_SESV2}/store`);
  const { emails } = (await response.json()) as { emails: StoredEmail[] };
  return to === undefined ? emails : emails.filter((email) => email.destination.to.some(to));
};

export const header = (email: StoredEmail, name: string) =>
  email.headers.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())?.value;

/** The sign-in mails of the local identity provider (account invitations, verification codes). */
export const isStaffAccountMail = (email: StoredEmail) => email.from === staffMailSender;

/** What the pipeline itself sent to addresses matching `to`: not the identity provider's mails. */
export const pipelineEmails = async (to: (address: string) => boolean) =>
  (await sentEmails(to)).filter((email) => !isStaffAccountMail(email));
