import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { winBackFiguresOf } from '../../functions/domain/win-back';
import type { WinBackReport } from '../../functions/schemas/report';
import { renderDashboardPage } from '../../functions/templates/dashboard-page';
import { accessibilityViolations, launchChromium } from '../support/browser';

/**
 * The dashboard's Win-back panel in Chromium: its section of the dashboard page, its script bundled from
 * `functions/browser/win-back-panel.ts`, fed a report's win-back figures (the full page, behind sign-in,
 * is driven by test/e2e/dashboard.test.ts).
 */
const browserDir = fileURLToPath(new URL('../../functions/browser/', import.meta.url));
const panelScript = buildSync({
  stdin: {
    contents:
      "import { renderWinBackPanel } from './win-back-panel';\n(globalThis as unknown as Record<string, unknown>).renderWinBackPanel = renderWinBackPanel;",
    resolveDir: browserDir,
    loader: 'ts',
  },
  tsconfig: `${browserDir}tsconfig.json`,
  bundle: true,
  format: 'iife',
  write: false,
}).outputFiles[0]?.text;

const dashboard = renderDashboardPage('nonce', {
  issuerUrl: 'https://idp.example.com/pool',
  clientId: 'pages',
});
const section = /<section id="win-back"[\s\S]*?<\/section>/.exec(dashboard)?.[0] ?? '';
const styles = /<style>[\s\S]*?<\/style>/g;

const winBack: WinBackReport = {
  method: 'adjusted-wald-95',
  // Chain: 8 of 10 called came back, 3 of 10 not reached: +50 points, significant (z 2.25).
  overall: winBackFiguresOf({
    called: { promoters: 6, passives: 2, detractors: 2 },
    notReached: { promoters: 1, passives: 2, detractors: 7 },
  }),
  periods: [],
  stores: [
    {
      storeId: 'S1',
      name: 'Lyon <Part-Dieu>',
      ...winBackFiguresOf({
        called: { promoters: 5, passives: 2, detractors: 1 },
        notReached: { promoters: 1, passives: 1, detractors: 3 },
      }),
    },
    {
      storeId: 'S2',
      name: 'Boston',
      ...winBackFiguresOf({
        called: { promoters: 0, passives: 0, detractors: 0 },
        notReached: { promoters: 0, passives: 1, detractors: 4 },
      }),
    },
  ],
};

let browser: Browser;
let page: Page;

beforeAll(async () => {
  expect(section).toContain('Win-back');
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Win-back</title>${(dashboard.match(styles) ?? []).join('')}</head><body><main>${section}</main></body></html>`,
  );
  await page.addScriptTag({ content: panelScript ?? '' });
  await page.evaluate(
    (data) =>
      (globalThis as unknown as { renderWinBackPanel: (report: unknown) => void }).renderWinBackPanel(data),
    winBack,
  );
});

afterAll(async () => {
  await browser?.close();
});

describe('the Win-back panel, in Chromium', () => {
  it('shows the chain’s share won back of each group, with its count and 95% interval', async () => {
    expect(await page.getByTestId('wb-called').innerText()).toBe(
      '80%\n8 of 10 came back, 95% interval 48–95%; fewer than 30 answers',
    );
    expect(await page.getByTestId('wb-not-reached').innerText()).toBe(
      '30%\n3 of 10 came back, 95% interval 10–61%; fewer than 30 answers',
    );
  });

  it('says in words whether the difference is significant, with its interval', async () => {
    expect(await page.getByTestId('wb-difference').innerText()).toBe(
      '▲ +50 points\nsignificant at 95%: 5 to 78 points',
    );
  });

  it('lists each store, with a dash and a reason for a group without answers, names as text', async () => {
    const rows = await page.getByTestId('wb-rows').locator('tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Lyon <Part-Dieu>');
    expect(rows[0]).toContain('within noise: not significant at 95%');
    expect(rows[1]?.split('\t').map((cell) => cell.trim())).toEqual([
      'Boston',
      '–\nno answers yet',
      '20%\n1 of 5 came back, 95% interval 2–64%; fewer than 30 answers',
      '–\na group has no answers yet',
    ]);
  });

  it('passes axe-core (WCAG 2 A and AA)', async () => {
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
