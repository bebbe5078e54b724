import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, with nothing reaching out to the network on its own (fresh profile each
 * launch). By default it stands for a person's browser, so it does not say it is automated
 * (`navigator.webdriver` false, as in any browser a person uses); `{ automated: true }` lets it say
 * so, as many link scanners' browsers do.
 */
export const launchChromium = ({ automated = false }: { automated?: boolean } = {}): Promise<Browser> =>
  chromium.launch({
    ...(!automated && { ignoreDefaultArgs: ['--enable-automation'] }),
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(automated ? [] : ['--disable-blink-features=AutomationControlled']),
    ],
  });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page: the WCAG 2 A and AA rules it breaks, each with what it asks for. */
export const accessibilityViolations = async (page: Page) => {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    (
      globalThis as unknown as {
        axe: { run: (options: object) => Promise<{ violations: { id: string; help: string }[] }> };
      }
    ).axe.run({ runOnly: ['wcag2a', 'wcag2aa'] }),
  );
  return result.violations.map((violation) => `${violation.id}: ${violation.help}`);
};
