import { afterEach, describe, expect, it, vi } from 'vitest';
import { environmentOf, type SettingName, settingNames } from '../../functions/resources/function-manifest';
import { functionManifests } from '../../functions/resources/manifests';
import { queues } from '../../functions/resources/queues';
import { tables } from '../../functions/resources/tables';

/** A valid value for every setting, as the stack would give it. */
const settingValues: Record<SettingName, string> = {
  BRAND_NAME: 'Brand',
  PUBLIC_API_URL: 'https://api.example.com',
  SENDER_ADDRESS: 'Brand <surveys@example.com>',
  SES_CONFIGURATION_SET: 'closeloop',
  REVIEW_URL: 'https://reviews.example.com/brand',
  REMINDER_AFTER_DAYS: '5',
  SURVEY_TTL_DAYS: '30',
  RETRY_BASE_SECONDS: '30',
  SES_RESERVED_PERCENT: '20',
  CASE_UPDATE_MAIL_SECONDS: '900',
  EXPORTS_BUCKET: 'exports-bucket',
  IMPORT_CHUNK_BYTES: '4194304',
  ANSWER_HOLD_SECONDS: '60',
  OIDC_ISSUER_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
  OIDC_CLIENT_ID: 'client-id',
  OIDC_LOGOUT_URL:
    'https://closeloop-1a2b3c4d.auth.eu-west-1.amazoncognito.com/logout?client_id=client-id&logout_uri=https://api.example.com/m',
  SEND_WINDOW: 'Mon-Fri 09:00-18:00',
  TESTIMONIAL_TARGET: '12',
};

/** Every variable through which the project configures a function. */
const projectVariables = new Set<string>([
  ...tables.map((table) => table.envVar),
  ...queues.flatMap((queue) => [queue.envVar, queue.deadLetterEnvVar]),
  ...settingNames,
]);

const sampleValue = (name: string) =>
  name in settingValues
    ? settingValues[name as SettingName]
    : name.endsWith('_URL')
      ? `https://sqs.example/${name}`
      : name;

const original = process.env;
afterEach(() => {
  process.env = original;
});

describe('handler settings', () => {
  it.each(functionManifests.map((manifest) => [manifest.handler, manifest] as const))(
    '%s starts with only the environment its manifest declares, and reads no other project setting',
    async (handler, manifest) => {
      const declared = environmentOf(manifest);
      const read = new Set<string>();
      const env: Record<string, string> = {
        AWS_REGION: 'eu-west-1',
        POWERTOOLS_DEV: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        ...Object.fromEntries(declared.map((name) => [name, sampleValue(name)])),
      };
      process.env = new Proxy(env, {
        get: (target, key) => {
          if (typeof key === 'string') read.add(key);
          return Reflect.get(target, key);
        },
        has: (target, key) => {
          if (typeof key === 'string') read.add(key);
          return Reflect.has(target, key);
        },
      });
      vi.resetModules();
      const module = (await import(`../../functions/handlers/${handler}.ts`)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
      const undeclared = [...read].filter((name) => projectVariables.has(name) && !declared.includes(name));
      expect(undeclared).toEqual([]);
    },
  );
});
