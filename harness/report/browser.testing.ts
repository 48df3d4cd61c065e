import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * Debian's chromium, driven by playwright-core, for tests that must see what a
 * reviewer sees. Flags: no sandbox (containers), no GPU, and no background network so a
 * test can also prove the report needs none.
 */
export const CHROMIUM_PATH = process.env.SHIPGATE_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** The in-page probes (fixtures/browser-probes.js), installed before any page script runs. */
export async function withProbes(context: BrowserContext): Promise<void> {
  await context.addInitScript({
    path: fileURLToPath(new URL('./fixtures/browser-probes.js', import.meta.url)),
  });
}

/** Calls a probe in the page: `probe(page, 'ink')`. Arguments travel as JSON. */
export function probe<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.shipgateProbes.${name}(...${JSON.stringify(args)})`) as Promise<T>;
}
