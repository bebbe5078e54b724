import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../local/api-server';
import { type IsolatedStack, startIsolatedStack } from '../support/isolated-stack';
import { describeFigures, runScannerHarness } from '../support/scanner-harness';

/**
 * Shorter than the 60 s default, and one scanner of each kind, so the suite stays quick; the bench runs
 * the default hold at a larger scale (`npm run bench:scanners`).
 */
const holdSeconds = 15;
let stack: IsolatedStack;
let api: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  stack = await startIsolatedStack('scanners', { ANSWER_HOLD_SECONDS: String(holdSeconds) });
  api = await startApiServer({ port: 0 });
  process.env.PUBLIC_API_URL = api.url;
  stack.consumers.start();
});

afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

describe('answers that only people give', () => {
  it('counts no scanner’s answer and opens no case for one, and counts at least 99% of people’s answers', async () => {
    const figures = await runScannerHarness(
      {
        apiUrl: api.url,
        sesEndpoint: stack.env.AWS_ENDPOINT_URL_SESV2 ?? '',
        db: stack.db,
        surveysTable: stack.env.SURVEYS_TABLE ?? '',
        casesTable: stack.env.CASES_TABLE ?? '',
        stores: stack.stores,
        customers: stack.customers,
        schedule: stack.schedule,
        sendInvitations: () => stack.consumers.invitations.drain(),
        holdSeconds,
      },
      { scannersPerKind: 1, peoplePerKind: 5, label: stack.namespace },
    );
    console.log(describeFigures(figures).join('\n'));

    expect(figures.scanners).toEqual({ invitations: 6, counted: 0, casesOpened: 0 });
    expect(figures.people.share).toBeGreaterThanOrEqual(0.99);
    // Every way a scanner shows itself was used, so each rule is exercised here.
    expect(Object.keys(figures.discarded).sort()).toEqual(['automation', 'burst', 'honeypot']);
  }, 300_000);
});
