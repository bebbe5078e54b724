// `npm test`'s runner: two vitest processes at once, each with emulators of its own (see
// vitest.config.ts): unit and integration in one lane; infra, the browser tests and the files that
// mostly wait in the other, about as long. Vitest itself runs projects that allow one file at a time
// one after another, so two lanes need two processes. Arguments go to both; `--outputFile.json=F`
// gets one report per lane, merged into F.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const lanes = [
  { name: 'integration', projects: ['unit', 'integration'] },
  { name: 'e2e', projects: ['infra', 'e2e'] },
];
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const args = process.argv.slice(2);
const jsonArg = args.find((arg) => arg.startsWith('--outputFile.json='));
const jsonFile = jsonArg?.slice('--outputFile.json='.length);
const reportOf = (lane) => `${jsonFile}.${lane.name}`;

const run = (lane) =>
  new Promise((resolve) => {
    const laneArgs = args.map((arg) => (arg === jsonArg ? `--outputFile.json=${reportOf(lane)}` : arg));
    const child = spawn(
      process.execPath,
      [
        vitest,
        'run',
        ...lane.projects.flatMap((project) => ['--project', project]),
        '--passWithNoTests',
        ...laneArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Whole lines only, so the two lanes' reports interleave line by line.
    createInterface({ input: child.stdout }).on('line', (line) => process.stdout.write(`${line}\n`));
    createInterface({ input: child.stderr }).on('line', (line) => process.stderr.write(`${line}\n`));
    child.once('close', (code, signal) => resolve({ lane, code: code ?? (signal ? 1 : 0) }));
  });

const startedAt = Date.now();
const results = await Promise.all(lanes.map(run));
const seconds = Math.round((Date.now() - startedAt) / 1000);

if (jsonFile !== undefined) {
  const reports = lanes
    .map(reportOf)
    .filter((file) => existsSync(file))
    .map((file) => {
      const report = JSON.parse(readFileSync(file, 'utf8'));
      rmSync(file);
      return report;
    });
  const sum = (key) => reports.reduce((total, report) => total + (report[key] ?? 0), 0);
  const counts = [
    'numTotalTestSuites',
    'numPassedTestSuites',
    'numFailedTestSuites',
    'numPendingTestSuites',
    'numTotalTests',
    'numPassedTests',
    'numFailedTests',
    'numPendingTests',
    'numTodoTests',
  ];
  writeFileSync(
    jsonFile,
    JSON.stringify({
      ...Object.fromEntries(counts.map((key) => [key, sum(key)])),
      startTime: Math.min(...reports.map((report) => report.startTime)),
      success: reports.length === lanes.length && reports.every((report) => report.success),
      testResults: reports.flatMap((report) => report.testResults),
    }),
  );
}

for (const { lane, code } of results)
  console.log(`lane ${lane.name}: ${code === 0 ? 'passed' : `failed (exit ${code})`}`);
console.log(`lanes: ${seconds} s`);
process.exit(results.some(({ code }) => code !== 0) ? 1 : 0);
