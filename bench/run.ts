import { readFileSync, writeFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClientFor } from '../functions/adapters/dynamodb';
import { createS3Client } from '../functions/adapters/s3';
import { createSqsClient } from '../functions/adapters/task-queue';
import {
  DEFAULT_HOLD_SECONDS,
  EARLY_CLICK_SECONDS,
  EARLY_HOLD_FACTOR,
} from '../functions/domain/answer-trust';
import { localCredentials, localRegion } from '../local/emulators/local-aws';
import { provisionQueues, provisionTables } from '../local/provision';
import { describeFigures } from '../test/support/scanner-harness';
import { benchBulkImport } from './bulk-import';
import { measureBundles } from './bundle-size';
import { runClickToAlert, startCloudProcess } from './cloud-process';
import { benchColdStart } from './cold-start';
import { runExport, seedPromoters } from './export';
import { benchIngestion } from './ingestion';
import { measureReport } from './report';
import { measureScanners } from './scanners-main';
import { benchScheduler } from './scheduler';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const sizes = await measureBundles();
log('Lambda bundles (minified ESM):');
for (const { handler, kilobytes } of sizes) log(`  ${handler.padEnd(18)} ${kilobytes} KB`);

log('\nStarting the local cloud (in its own process, so the emulators’ CPU is not charged to our code)…');
const cloud = await startCloudProcess();
try {
  const config = { region: localRegion, credentials: localCredentials };
  const dynamodb = new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb });
  const db = documentClientFor(dynamodb);
  const sqs = createSqsClient({ ...config, endpoint: cloud.endpoints.sqs });
  const scheduler = [];
  for (const total of [10_000, 100_000]) {
    const namespace = `bench${total}`;
    const env = {
      ...(await provisionTables(dynamodb, namespace)),
      ...(await provisionQueues(sqs, namespace)),
    };
    log(`Scheduler, ${total} customers, 1000 due:`);
    const run = await benchScheduler(db, sqs, env, { total, due: 1_000, runs: 5 }, log);
    log(
      `  queued ${run.queued}; runs (ms): ${run.millis.map((ms) => ms.toFixed(0)).join(', ')}; median ${median(run.millis).toFixed(0)} ms`,
    );
    scheduler.push({ ...run, medianMillis: median(run.millis) });
  }
  const [small, large] = scheduler;
  const ratio = (large?.medianMillis ?? Number.NaN) / (small?.medianMillis ?? Number.NaN);
  log(`Scheduler ratio time(100k)/time(10k), same 1000 due: ${ratio.toFixed(2)} (target ≤ 1.3)`);

  log(
    '\nCold start: fresh process, import + first invocation against DynamoDB Local, vs a bare SDK handler:',
  );
  const coldEnv = { ...cloud.env, ...(await provisionTables(dynamodb, 'benchCold')) };
  const coldStarts = await benchColdStart(coldEnv, { log: (line) => log(`  ${line}`) });
  for (const run of coldStarts) {
    log(
      `  ${run.request}: ${run.medianMillis.toFixed(0)} ms vs bare ${run.bareMedianMillis.toFixed(0)} ms, ratio ${run.ratio.toFixed(2)} (target ≤ 1.3)`,
    );
  }
  const worstColdStart = coldStarts.reduce((a, b) => (b.ratio > a.ratio ? b : a));

  log('\nResponse ingestion through the real handler vs raw PutItem, concurrency 16:');
  const ingestionEnv = {
    ...cloud.env,
    ...(await provisionTables(dynamodb, 'benchIngest')),
    ...(await provisionQueues(sqs, 'benchIngest')),
    PUBLIC_API_URL: 'http://127.0.0.1:9',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  Object.assign(process.env, ingestionEnv);
  const ingestion = await benchIngestion(db, ingestionEnv, 3_000);
  log(
    `  raw PutItem ${ingestion.putsPerSecond.toFixed(0)}/s, answers ${ingestion.answersPerSecond.toFixed(0)}/s: ` +
      `ratio ${ingestion.ratio.toFixed(2)} (target ≥ 0.5)`,
  );

  log('\nClick to manager alert, local stack (npm start runtime):');
  const alertEnv = {
    ...cloud.env,
    ...(await provisionTables(dynamodb, 'benchAlert')),
    ...(await provisionQueues(sqs, 'benchAlert')),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    RETRY_BASE_SECONDS: '1',
  };
  const clickToAlert = await runClickToAlert(alertEnv, 15);
  log(
    `  median ${clickToAlert.medianMillis.toFixed(0)} ms, max ${clickToAlert.maxMillis.toFixed(0)} ms over ${clickToAlert.samples} detractors (target median ≤ 2000 ms)`,
  );

  const holdSeconds = DEFAULT_HOLD_SECONDS;
  log(
    `  counted from a confirmed answer (sent, or touched on the page); an untouched automatic answer is held ${holdSeconds} s ` +
      `(${holdSeconds * EARLY_HOLD_FACTOR} s in the first ${EARLY_CLICK_SECONDS / 60} minutes after the sending) first: ` +
      `worst case ≈ ${holdSeconds * EARLY_HOLD_FACTOR + 1} s + ${(clickToAlert.maxMillis / 1000).toFixed(1)} s`,
  );

  log('\nScanner harness (simulated link scanners and people, default hold):');
  const scanners = await measureScanners(cloud);
  for (const line of describeFigures(scanners)) log(`  ${line}`);

  log('\nSegment export, streamed (fresh process each, CSV to /dev/null):');
  const exportEnv = { ...cloud.env, ...(await provisionTables(dynamodb, 'benchExport')) };
  await seedPromoters(db, exportEnv.CUSTOMERS_TABLE ?? '', 200_000, (written) => {
    if (written % 50_000 === 0) log(`  seeded ${written.toLocaleString('en')} promoters`);
  });
  const exportSmall = await runExport(exportEnv, { from: '2026-01-01', to: '2026-01-31' });
  const exportLarge = await runExport(exportEnv);
  const exportRatio = exportLarge.peakRssMb / exportSmall.peakRssMb;
  for (const run of [exportSmall, exportLarge]) {
    log(
      `  ${run.rows.toLocaleString('en')} rows: ${run.seconds.toFixed(1)} s, ${run.rowsPerSecond.toFixed(0)} rows/s, peak RSS ${run.peakRssMb.toFixed(0)} MB`,
    );
  }
  log(`  peak RSS ratio 200k / 20k rows: ${exportRatio.toFixed(2)} (target ≤ 1.2)`);

  log('\nReport of a year by month, 20 stores, as stored responses grow (reads only the aggregates):');
  const report = await measureReport(cloud, (line) => log(line));
  log(`  ratio time(100k)/time(2k): ${report.ratio.toFixed(2)} (target ≤ 1.3)`);
  log(
    '\nBulk import in the cloud (splitter + 1, 2, 4 chunk workers) vs raw TransactWriteItems of the same items:',
  );
  const bulkImport = await benchBulkImport(
    {
      dynamodb,
      db,
      sqs,
      s3: createS3Client({ ...config, endpoint: cloud.endpoints.sqs, forcePathStyle: true }),
    },
    cloud.env,
    { rows: 20_000 },
    (line) => log(line),
  );
  log(
    `  best: ${bulkImport.best.workers} worker(s), ratio ${bulkImport.best.ratio.toFixed(2)} (target ≥ 0.8)`,
  );

  const results = {
    measuredAt: new Date().toISOString(),
    machine: `${process.platform} ${process.arch}, Node ${process.version}`,
    bundles: sizes,
    scheduler: { runs: scheduler, ratio },
    ingestion,
    clickToAlert: { ...clickToAlert, holdSeconds, earlyHoldSeconds: holdSeconds * EARLY_HOLD_FACTOR },
    scanners,
    segmentExport: { runs: [exportSmall, exportLarge], peakRssRatio: exportRatio },
    coldStarts,
    report,
    bulkImport,
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  const table = [
    '# Benchmark results',
    '',
    `Measured by \`npm run bench\` on ${results.measuredAt.slice(0, 10)} (${results.machine}). Ratios are taken within one run;`,
    'absolute times on a shared 2-core machine are noise.',
    '',
    '| what | figure | target |',
    '| --- | --- | --- |',
    ...sizes.map(({ handler, kilobytes }) => `| bundle \`${handler}\` | ${kilobytes} KB | ≤ 400 KB |`),
    ...scheduler.map(
      (run) =>
        `| scheduler, ${run.customers.toLocaleString('en')} customers, ${run.due} due | median ${run.medianMillis.toFixed(0)} ms | |`,
    ),
    `| scheduler time(100k) / time(10k) | ${ratio.toFixed(2)} | ≤ 1.3 |`,
    `| raw PutItem, concurrency 16 | ${ingestion.putsPerSecond.toFixed(0)}/s | |`,
    `| answers through the survey handler, concurrency 16 | ${ingestion.answersPerSecond.toFixed(0)}/s | |`,
    `| ingestion / raw PutItem | ${ingestion.ratio.toFixed(2)} | ≥ 0.5 |`,
    `| click to manager alert, local stack, median of ${clickToAlert.samples} | ${clickToAlert.medianMillis.toFixed(0)} ms (max ${clickToAlert.maxMillis.toFixed(0)} ms) | ≤ 2000 ms |`,
    `| … for an untouched automatic answer, held first | + ${holdSeconds} s (${holdSeconds * EARLY_HOLD_FACTOR} s within ${EARLY_CLICK_SECONDS / 60} min of the sending) | |`,
    `| scanner answers counted (${scanners.scanners.invitations} scanned invitations, 6 kinds) | ${scanners.scanners.counted}, ${scanners.scanners.casesOpened} cases opened | 0 |`,
    `| people's answers counted (${scanners.people.invitations} people, 4 kinds) | ${(100 * scanners.people.share).toFixed(1)}% | ≥ 99% |`,
    ...[exportSmall, exportLarge].map(
      (run) =>
        `| segment export, ${run.rows.toLocaleString('en')} rows | ${run.rowsPerSecond.toFixed(0)} rows/s, peak RSS ${run.peakRssMb.toFixed(0)} MB | |`,
    ),
    `| export peak RSS, 200k / 20k rows | ${exportRatio.toFixed(2)} | ≤ 1.2 |`,
    ...coldStarts.map(
      (run) =>
        `| cold start, ${run.request} | ${run.medianMillis.toFixed(0)} ms vs bare SDK handler ${run.bareMedianMillis.toFixed(0)} ms: ratio ${run.ratio.toFixed(2)} | ≤ 1.3 |`,
    ),
    ...report.runs.map(
      (run) =>
        `| report of a year by month, 20 stores, ${run.responses.toLocaleString('en')} responses | median ${run.medianMillis.toFixed(0)} ms | |`,
    ),
    `| report time, 100k / 2k responses | ${report.ratio.toFixed(2)} | ≤ 1.3 |`,
    ...bulkImport.runs.map(
      (run) =>
        `| bulk import, ${bulkImport.rows.toLocaleString('en')} rows, ${run.workers} worker(s) | ${run.rowsPerSecond.toFixed(0)} rows/s vs raw TransactWriteItems ${run.rawPerSecond.toFixed(0)}/s: ratio ${run.ratio.toFixed(2)} | |`,
    ),
    `| bulk import / raw TransactWriteItems, best worker count (${bulkImport.best.workers}) | ${bulkImport.best.ratio.toFixed(2)} | ≥ 0.8 |`,
    '',
  ].join('\n');
  writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), table);
  const largest = sizes.reduce((a, b) => (b.kilobytes > a.kilobytes ? b : a));
  const summary = [
    `Last run ${results.measuredAt.slice(0, 10)} (${results.machine}):`,
    '',
    '| what | figure | target |',
    '| --- | --- | --- |',
    `| Lambda bundle, largest (minified, SDK included) | ${largest.kilobytes} KB (\`${largest.handler}\`) | ≤ 400 KB each |`,
    `| cold start / bare SDK handler, worst of ${coldStarts.length} (\`${worstColdStart.request}\`) | ${worstColdStart.ratio.toFixed(2)} | ≤ 1.3 |`,
    `| response ingestion / raw PutItem, concurrency 16 | ${ingestion.ratio.toFixed(2)} (${ingestion.answersPerSecond.toFixed(0)}/s vs ${ingestion.putsPerSecond.toFixed(0)}/s) | ≥ 0.5 |`,
    `| scheduler time, 100k / 10k customers, 1k due | ${ratio.toFixed(2)} | ≤ 1.3 |`,
    `| report time, 100k / 2k stored responses (a year by month, 20 stores) | ${report.ratio.toFixed(2)} | ≤ 1.3 |`,
    `| segment export peak RSS, 200k / 20k rows | ${exportRatio.toFixed(2)} (${exportLarge.rowsPerSecond.toFixed(0)} rows/s) | ≤ 1.2 |`,
    `| click to manager alert, local stack, median (confirmed answer; an untouched one is held ${holdSeconds} s first) | ${clickToAlert.medianMillis.toFixed(0)} ms | ≤ 2000 ms |`,
    `| scanner answers counted / cases opened (${scanners.scanners.invitations} scanned invitations) | ${scanners.scanners.counted} / ${scanners.scanners.casesOpened} | 0 / 0 |`,
    `| people's answers counted (${scanners.people.invitations} people) | ${(100 * scanners.people.share).toFixed(1)}% | ≥ 99% |`,
    `| bulk import / raw TransactWriteItems, best of 1, 2, 4 workers (${bulkImport.best.workers}) | ${bulkImport.best.ratio.toFixed(2)} (${bulkImport.best.rowsPerSecond.toFixed(0)} rows/s) | ≥ 0.8 |`,
  ].join('\n');
  const readmeUrl = new URL('../README.md', import.meta.url);
  writeFileSync(
    readmeUrl,
    readFileSync(readmeUrl, 'utf8').replace(
      /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
      `<!-- bench:start -->\n${summary}\n<!-- bench:end -->`,
    ),
  );
  log('\nWritten to bench/results.json, docs/benchmarks.md and the README');
  dynamodb.destroy();
} finally {
  await cloud.stop();
}
