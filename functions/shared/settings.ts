import * as z from 'zod/mini';
import { DEFAULT_HOLD_SECONDS } from '../domain/answer-trust';
import { DEFAULT_SEND_WINDOW_TEXT, parseSendWindow } from '../domain/send-window';
import { answersQueue, followUpsQueue, invitationsQueue } from '../resources/queues';
import { idempotencyTable, surveysTable } from '../resources/tables';
import type { PageSignIn } from '../schemas/sign-in';
import { readConfig } from './config';

const name = () => z.string().check(z.minLength(1));
/** A whole number of days or seconds, with its default when the variable is not set. */
export const wholeNumber = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(0)), fallback);

/**
 * How long an automatic answer is held before it counts (`ANSWER_HOLD_SECONDS`): at most 900 s, the
 * longest an SQS message can be delayed.
 */
export const holdSeconds = () =>
  z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(900)), DEFAULT_HOLD_SECONDS);

/** What the invitation sender needs besides the registry tables. */
export const readInvitationSettings = (env: Readonly<Record<string, string | undefined>> = process.env) => {
  const config = readConfig(
    {
      [surveysTable.envVar]: name(),
      [idempotencyTable.envVar]: name(),
      [invitationsQueue.envVar]: name(),
      PUBLIC_API_URL: z.url(),
      BRAND_NAME: name(),
      SENDER_ADDRESS: name(),
      SES_CONFIGURATION_SET: z.optional(z.string()),
      REMINDER_AFTER_DAYS: wholeNumber(5),
      SURVEY_TTL_DAYS: wholeNumber(30),
      /** First retry delay after a failed send; doubles with each further attempt. */
      RETRY_BASE_SECONDS: wholeNumber(30),
      /** Share of the account's SES sending rate the sender leaves to other mail (manager alerts). */
      SES_RESERVED_PERCENT: z._default(z.coerce.number().check(z.gte(0), z.lte(100)), 20),
    },
    env,
  );
  return {
    surveysTable: config[surveysTable.envVar],
    idempotencyTable: config[idempotencyTable.envVar],
    invitationsQueueUrl: config[invitationsQueue.envVar],
    apiUrl: config.PUBLIC_API_URL.replace(/\/+$/, ''),
    brand: config.BRAND_NAME,
    senderAddress: config.SENDER_ADDRESS,
    configurationSet: config.SES_CONFIGURATION_SET || undefined,
    reminderAfterDays: config.REMINDER_AFTER_DAYS,
    surveyTtlDays: config.SURVEY_TTL_DAYS,
    retryBaseSeconds: config.RETRY_BASE_SECONDS,
    reservedSendShare: config.SES_RESERVED_PERCENT / 100,
  };
};

/**
 * The chain's send window (`SEND_WINDOW`, e.g. `Mon-Fri 09:00-18:00`, the default when unset or
 * blank): invitations and reminders go only inside it, in each customer's local time.
 */
export const sendWindowSetting = () =>
  z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((text) =>
        text === undefined || text.trim() === '' ? DEFAULT_SEND_WINDOW_TEXT : text.trim(),
      ),
    ),
    z.string().check(
      z.superRefine((text, ctx) => {
        try {
          parseSendWindow(text);
        } catch (error) {
          ctx.issues.push({ code: 'custom', input: text, message: (error as Error).message });
        }
      }),
    ),
  );

/** What the time-driven jobs need besides the registry tables. */
export const readScheduleSettings = (env: Readonly<Record<string, string | undefined>> = process.env) => {
  const config = readConfig(
    {
      [invitationsQueue.envVar]: name(),
      [answersQueue.envVar]: name(),
      [followUpsQueue.envVar]: name(),
      SEND_WINDOW: sendWindowSetting(),
    },
    env,
  );
  return {
    invitationsQueueUrl: config[invitationsQueue.envVar],
    answersQueueUrl: config[answersQueue.envVar],
    followUpsQueueUrl: config[followUpsQueue.envVar],
    sendWindow: parseSendWindow(config.SEND_WINDOW),
  };
};

/** Brand shown on pages (unsubscribe, survey). */
export const readBrand = (env: Readonly<Record<string, string | undefined>> = process.env) =>
  readConfig({ BRAND_NAME: name() }, env);

/**
 * How the staff pages sign in (`PageSignIn`): `OIDC_ISSUER_URL`, `OIDC_CLIENT_ID` and, where the issuer
 * has no end-session endpoint (Cognito), `OIDC_LOGOUT_URL`.
 */
export const readPageSignIn = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): PageSignIn => {
  const config = readConfig(
    { OIDC_ISSUER_URL: z.url(), OIDC_CLIENT_ID: name(), OIDC_LOGOUT_URL: z.optional(z.url()) },
    env,
  );
  return {
    issuerUrl: config.OIDC_ISSUER_URL,
    clientId: config.OIDC_CLIENT_ID,
    ...(config.OIDC_LOGOUT_URL && { logoutUrl: config.OIDC_LOGOUT_URL }),
  };
};
