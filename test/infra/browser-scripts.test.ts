import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDashboardPage } from '../../functions/templates/dashboard-page';
import { renderManagerPage } from '../../functions/templates/manager-page';
import { renderSurveyPage } from '../../functions/templates/survey-page';
import { dashboardPageScript, managerPageScript, surveyPageScript } from '../../lib/bundling/browser-scripts';
import {
  bundledFiles,
  bundleEntry,
  bundleFile,
  handlerBuildOptions,
  projectRoot,
} from '../../lib/bundling/handler-bundle';

/**
 * The pages' scripts (`functions/browser/`) reach a page two ways: under tsx and vitest,
 * `lib/bundling/browser-scripts.ts` bundles them with esbuild when first asked; in a Lambda bundle the
 * `inlineBrowserScripts` plugin puts them in as text. Both must give the very same page.
 */
const local = { renderSurveyPage, renderManagerPage, renderDashboardPage };
const signIn = { issuerUrl: 'https://idp.example.com/pool', clientId: 'staff-pages' };
let dir: string;
let lambda: typeof local;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'closeloop-pages-'));
  // The three templates, bundled exactly as a handler is, with the files the dashboard reads beside it.
  const template = (name: string) =>
    JSON.stringify(join(projectRoot, 'functions', 'templates', `${name}.ts`));
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { renderSurveyPage } from ${template('survey-page')};`,
      `export { renderManagerPage } from ${template('manager-page')};`,
      `export { renderDashboardPage } from ${template('dashboard-page')};`,
    ].join('\n'),
  );
  await bundleEntry(entry, dir);
  for (const file of bundledFiles['dashboard-page'] ?? []) {
    copyFileSync(join(projectRoot, file), join(dir, basename(file)));
  }
  lambda = (await import(pathToFileURL(join(dir, bundleFile)).href)) as typeof local;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A handler's bundle as the stack deploys it: its text and the files esbuild read for it. */
const handlerBundle = async (handler: string) => {
  const result = await build({ ...handlerBuildOptions(handler), write: false, metafile: true, outdir: dir });
  return { text: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs) };
};

describe('the pages’ browser scripts', () => {
  it('give the same pages in a Lambda bundle as under tsx, byte for byte', () => {
    const survey = { locale: 'en', brand: 'Maison', score: 7, reasons: ['price'], nonce: 'n0nce' };
    expect(lambda.renderSurveyPage(survey)).toBe(renderSurveyPage(survey));
    expect(lambda.renderManagerPage('n0nce', signIn)).toBe(renderManagerPage('n0nce', signIn));
    expect(lambda.renderDashboardPage('n0nce', signIn)).toBe(renderDashboardPage('n0nce', signIn));
  });

  it('are inlined, each in its own page, under the page’s nonce', () => {
    expect(renderSurveyPage({ locale: 'en', brand: 'M', reasons: [], nonce: 'n' })).toContain(
      `<script nonce="n">${surveyPageScript()}</script>`,
    );
    expect(renderManagerPage('n', signIn)).toContain(`<script nonce="n">${managerPageScript()}</script>`);
    expect(renderDashboardPage('n', signIn)).toContain(`\n${dashboardPageScript()}</script>`);
  });

  it('are minified scripts that keep to themselves and can sit in a <script> element', () => {
    for (const script of [surveyPageScript(), managerPageScript(), dashboardPageScript()]) {
      expect(script).toMatch(/^"use strict";\(\(\)=>\{.*\}\)\(\);$/s);
      expect(script).not.toMatch(/<\/script|<!--/i);
      expect(script.split('\n')).toHaveLength(1);
    }
  });

  it.each([
    ['survey', '"source","auto"', ['/m/cases', '/r/dashboard?']],
    ['manager-page', '/m/cases', ['"source","auto"', '/r/dashboard?']],
    ['dashboard-page', '/r/dashboard?', ['"source","auto"', '/m/cases']],
  ])(
    'bundle into %s its own page’s script, as text, and neither esbuild nor the others',
    async (handler, own, others) => {
      const { text, inputs } = await handlerBundle(handler);
      expect(text).toContain(own);
      for (const other of others) expect(text).not.toContain(other);
      expect(
        inputs.filter((input) => /node_modules[\\/]esbuild|functions[\\/]browser[\\/]/.test(input)),
      ).toEqual([]);
    },
  );
});
