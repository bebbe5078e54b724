import { type Browser, chromium } from 'playwright-core';

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
