import sesModule from 'aws-ses-v2-local';
import type { RunningEmulator } from './ports';

/**
 * What the emulator answers to SES v2 `GetAccount` (it reads it from `AWS_SES_ACCOUNT`, and answers
 * 400 without it): a production account whose sending rate is `maxSendRate` per second. The senders
 * pace themselves to it; the emulator itself never throttles.
 */
export const localSesAccount = (maxSendRate: number) => ({
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'closeloop, local',
    WebsiteURL: 'http://127.0.0.1',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
});

/**
 * Starts aws-ses-v2-local in this process on 127.0.0.1; its page at `/` shows the mail sent. Its
 * account reports a sending rate of 1,000 per second (unless `AWS_SES_ACCOUNT` says otherwise), so
 * that the local stack is not slowed: a test puts a throttling proxy in front for a real quota.
 */
export const startSesEmulator = async ({ port }: { port: number }): Promise<RunningEmulator> => {
  process.env.AWS_SES_ACCOUNT ??= JSON.stringify(localSesAccount(1_000));
  // The package is CommonJS with a default export; Node's ESM loader may hand us either shape.
  const start = (sesModule as unknown as { default?: typeof sesModule }).default ?? sesModule;
  const server = await start({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
