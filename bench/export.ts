import { spawn } from 'node:child_process';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { chunk } from '../functions/adapters/dynamodb';
import { segmentShardOf } from '../functions/domain/segments';

export interface ExportRun {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly peakRssMb: number;
}

const DAY_MS = 86_400_000;
const base = Date.parse('2026-01-01T00:00:00.000Z');

/**
 * Writes `total` promoters straight into the Customers table (BatchWriteItem): one in ten answered in
 * January 2026, the others later in the year, so a January export reads a tenth of the segment.
 */
export const seedPromoters = async (
  db: DynamoDBDocumentClient,
  table: string,
  total: number,
  onProgress: (written: number) => void,
) => {
  const writes = pLimit(8);
  let written = 0;
  const item = (n: number) => {
    const customerId = `P${n}`;
    const answeredAt = new Date(
      base + (n % 10 === 0 ? n % 30 : 31 + (n % 300)) * DAY_MS + (n % 86_400) * 1000,
    );
    return {
      customerId,
      email: `p${n}@bench.example.com`,
      firstName: 'Zoë',
      lastName: `Promoter ${n}`,
      storeId: `S${n % 50}`,
      locale: n % 3 ? 'en' : 'fr',
      attributes: { tier: n % 2 ? 'gold' : 'silver', city: 'Lyon' },
      contactStatus: 'subscribed',
      surveyHistory: [{ surveyId: `sv${n}`, sentAt: answeredAt.toISOString(), score: 9 + (n % 2) }],
      latestScore: 9 + (n % 2),
      latestScoreAt: answeredAt.toISOString(),
      latestSurveyId: `sv${n}`,
      latestComment: n % 4 ? 'Friendly staff, "quick" service, would recommend' : '=HYPERLINK("x")',
      latestReasons: ['staff'],
      segmentShard: segmentShardOf(customerId, 9),
      createdAt: answeredAt.toISOString(),
      updatedAt: answeredAt.toISOString(),
    };
  };
  await Promise.all(
    chunk(
      Array.from({ length: total }, (_, n) => n),
      25,
    ).map((batch) =>
      writes(async () => {
        let requests = batch.map((n) => ({ PutRequest: { Item: item(n) } }));
        while (requests.length > 0) {
          const { UnprocessedItems } = await db.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests } }),
          );
          requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
        }
        written += batch.length;
        onProgress(written);
      }),
    ),
  );
};

/** Runs one export in a fresh process (`bench/export-run.ts`) and returns its figures. */
export const runExport = (env: Record<string, string>, range: { from?: string; to?: string } = {}) =>
  new Promise<ExportRun>((resolve, reject) => {
    // The young generation is pinned at 16 MB semi-spaces (Node 20's cap): Node 24's V8 grows it with
    // the heap, which alone lifts peak RSS by ~90 MB over a long run (1.52 against 1.02 here), a step
    // that says nothing about whether the exporter holds rows.
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=16',
        '--import',
        'tsx',
        'bench/export-run.ts',
        ...(range.from && range.to ? [range.from, range.to] : []),
      ],
      {
        env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data;
    });
    child.once('exit', (code) => {
      const line = output.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as ExportRun);
      else reject(new Error(`the export benchmark failed (${code}): ${output}`));
    });
  });
