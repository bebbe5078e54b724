import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { recordsOf } from '../../cli/csv-files';
import type { CustomerRepository } from '../../functions/adapters/customer-repository';
import type { StoreRepository } from '../../functions/adapters/store-repository';
import { customerCsvColumns } from '../../functions/schemas/customer';
import { storeCsvColumns } from '../../functions/schemas/store';
import { importCustomers } from '../../functions/use-cases/import-customers';
import { importStores } from '../../functions/use-cases/import-stores';
import { seededRandom } from './aws-faults';
import type { PostedAnswer } from './invariants';

/**
 * Imports `storeCount` stores (the last one run by its regional manager alone) and `customerCount`
 * customers, all with addresses at `domain`, in three languages. Returns the customers' addresses.
 */
export const seedRegistry = async (
  deps: { customers: CustomerRepository; stores: StoreRepository },
  domain: string,
  { customerCount, storeCount }: { customerCount: number; storeCount: number },
) => {
  const stores = Array.from({ length: storeCount }, (_, index) => {
    const storeId = `S${index + 1}`;
    const managed = index < storeCount - 1;
    return [
      storeId,
      `Store ${index + 1}`,
      managed ? `manager.${storeId.toLowerCase()}@${domain}` : '',
      `region.${index % 2}@${domain}`,
      index % 2 === 0 ? 'Europe/Paris' : 'America/New_York',
    ];
  });
  await importStores(recordsOf([[...storeCsvColumns], ...stores]), { stores: deps.stores });
  const locales = ['en', 'fr-FR', 'es'];
  const customers = new Map<string, string>();
  const rows = Array.from({ length: customerCount }, (_, index) => {
    const customerId = `C${index}`;
    customers.set(customerId, `c${index}@${domain}`);
    return [
      customerId,
      `c${index}@${domain}`,
      `First${index}`,
      `Last${index}`,
      `S${(index % storeCount) + 1}`,
      locales[index % locales.length] ?? 'en',
    ];
  });
  const summary = await importCustomers(recordsOf([[...customerCsvColumns], ...rows]), deps);
  if (summary.created !== customerCount)
    throw new Error(`imported ${summary.created} of ${customerCount} customers`);
  return customers;
};

export interface TrafficOptions {
  readonly seed: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Share of surveys answered at all. */
  readonly answerShare?: number;
  /** Share of answers sent twice at once (a double click). */
  readonly doubleClickShare?: number;
  /** Share of answers changed to another score afterwards. */
  readonly changeShare?: number;
  /** Share of answers whose comment comes afterwards (a second answer with the same score). */
  readonly commentLaterShare?: number;
  /** Share of surveys whose last answer is sent again after it was acknowledged (a client retry). */
  readonly retryShare?: number;
  /** Share of survey links fetched with GET only (link scanners): they must record nothing. */
  readonly scanShare?: number;
  /**
   * Whether a 5xx is retried (as the survey page does), for runs where faults are injected behind the
   * API; otherwise a 5xx is counted and the answer given up.
   */
  readonly retryServerErrors?: boolean;
}

export interface TrafficResult {
  /** Per token, the distinct answers the API acknowledged, in order. */
  readonly acknowledged: Map<string, PostedAnswer[]>;
  readonly requests: number;
  /** Requests the API recognised as a repeat of the current answer (`changed: false`). */
  readonly duplicates: number;
  readonly doubleClicks: number;
  readonly changes: number;
  readonly retries: number;
  readonly scans: number;
  /** Malformed, oversized or unknown-link requests, answered 4xx as they should be. */
  readonly refused: number;
  /** 5xx answers (and dropped connections). */
  readonly serverErrors: number;
  /** The same, by status (`dropped` for a connection without an answer). */
  readonly serverErrorsByStatus: Readonly<Record<string, number>>;
  /** Answers given up after 5xx answers (never when `retryServerErrors`, unless the API stays down). */
  readonly unanswered: number;
}

/** A score as customers give them: about half promoters, a quarter passives, a quarter detractors. */
const scoreOf = (draw: number) =>
  draw < 0.25
    ? Math.floor((draw / 0.25) * 7)
    : draw < 0.5
      ? 7 + Math.floor(((draw - 0.25) / 0.25) * 2)
      : 9 + Math.floor(((draw - 0.5) / 0.5) * 2);

/**
 * Customers answering their surveys over HTTP, concurrently: double clicks, changed answers,
 * comments typed after the score, client retries, link scanners and malformed requests mixed in.
 */
export const answerTraffic = async (
  apiUrl: string,
  tokens: readonly string[],
  {
    seed,
    concurrency,
    answerShare = 0.85,
    doubleClickShare = 0.2,
    changeShare = 0.1,
    commentLaterShare = 0.05,
    retryShare = 0.05,
    scanShare = 0.05,
    retryServerErrors = false,
  }: TrafficOptions,
): Promise<TrafficResult> => {
  const random = seededRandom(seed);
  const limit = pLimit(concurrency);
  const acknowledged = new Map<string, PostedAnswer[]>();
  const stats = {
    requests: 0,
    duplicates: 0,
    doubleClicks: 0,
    changes: 0,
    retries: 0,
    scans: 0,
    refused: 0,
    serverErrors: 0,
    unanswered: 0,
  };
  const serverErrorsByStatus: Record<string, number> = {};
  const serverError = (response: Response | undefined) => {
    stats.serverErrors++;
    const status = String(response?.status ?? 'dropped');
    serverErrorsByStatus[status] = (serverErrorsByStatus[status] ?? 0) + 1;
  };

  const request = (path: string, init?: RequestInit) =>
    limit(async () => {
      stats.requests++;
      try {
        return await fetch(`${apiUrl}${path}`, init);
      } catch {
        return undefined; // a dropped connection: as good as a 5xx for the client
      }
    });

  /** Posts an answer until the API takes it (or, without retries, until the first 5xx). */
  const post = async (token: string, answer: PostedAnswer): Promise<boolean> => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await request(`/s/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(answer),
      });
      if (response !== undefined && response.status < 500) {
        if (response.status !== 200) throw new Error(`answer to ${token}: HTTP ${response.status}`);
        const { changed } = (await response.json()) as { changed: boolean };
        if (!changed) stats.duplicates++;
        return true;
      }
      serverError(response);
      await response?.body?.cancel();
      if (!retryServerErrors) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
    }
    stats.unanswered++;
    return false;
  };

  const customer = async (token: string) => {
    const plan = {
      answers: random() < answerShare,
      doubleClick: random() < doubleClickShare,
      change: random() < changeShare,
      commentLater: random() < commentLaterShare,
      retry: random() < retryShare,
      scan: random() < scanShare,
      score: scoreOf(random()),
      shift: 1 + Math.floor(random() * 10),
    };
    if (plan.scan) {
      stats.scans++;
      for (const score of [0, 10]) {
        for (let attempt = 0; ; attempt++) {
          const response = await request(`/s/${token}?score=${score}`);
          await response?.body?.cancel();
          if (response?.status === 200) break;
          if (response !== undefined && response.status < 500)
            throw new Error(`scanner GET of ${token}: HTTP ${response.status}`);
          serverError(response);
          if (!retryServerErrors || attempt >= 9) throw new Error(`scanner GET of ${token}: no answer`);
          await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
        }
      }
    }
    if (!plan.answers) return;
    const given: PostedAnswer[] = [];
    const first: PostedAnswer = { score: plan.score };
    if (plan.doubleClick) stats.doubleClicks++;
    const taken = await Promise.all(
      (plan.doubleClick ? [first, first] : [first]).map((answer) => post(token, answer)),
    );
    if (!taken.some(Boolean)) return;
    given.push(first);
    acknowledged.set(token, given);
    const second: PostedAnswer | undefined = plan.change
      ? { score: (plan.score + plan.shift) % 11, comment: 'Changed my mind.' }
      : plan.commentLater
        ? { score: plan.score, comment: `Why ${plan.score}: the <b>staff</b> & the "queue".` }
        : undefined;
    if (second !== undefined && (await post(token, second))) {
      stats.changes++;
      given.push(second);
    }
    if (plan.retry) {
      stats.retries++;
      await post(token, given.at(-1) ?? first);
    }
  };

  const invalid = async () => {
    const someToken = tokens[0] ?? '';
    const attempts: [string, RequestInit][] = [
      [
        `/s/${someToken}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"score":11}' },
      ],
      [
        `/s/${someToken}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"score":' },
      ],
      [
        `/s/${someToken}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ score: 5, comment: 'x'.repeat(2_001) }),
        },
      ],
      [
        `/s/${randomBytes(16).toString('base64url')}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"score":3}' },
      ],
      [`/s/${encodeURIComponent("'><script>")}`, { method: 'POST', body: 'score=3' }],
    ];
    for (const [path, init] of attempts) {
      const response = await request(path, init);
      await response?.body?.cancel();
      if (response === undefined || response.status >= 500) serverError(response);
      else if (response.status >= 400) stats.refused++;
      else throw new Error(`${init.method} ${path} was accepted: HTTP ${response.status}`);
    }
  };

  await Promise.all([
    ...tokens.map((token) => customer(token)),
    ...Array.from({ length: Math.max(1, Math.round(tokens.length / 100)) }, invalid),
  ]);
  return { acknowledged, ...stats, serverErrorsByStatus };
};
