import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's chromium, driven by playwright-core (which never downloads a browser of its own).
 * STEWARD_CHROMIUM points at another build, e.g. the Chrome preinstalled on a GitHub runner.
 */
export const chromiumPath = process.env.STEWARD_CHROMIUM || '/usr/bin/chromium';

/**
 * Flags for a closed network: without the background-networking ones Chromium keeps trying to
 * reach Google's hosts. Playwright adds --headless and a fresh temporary --user-data-dir itself.
 */
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(executablePath = chromiumPath): Promise<Browser> {
  if (!existsSync(executablePath))
    throw new Error(
      `Chromium is not installed at ${executablePath}: the HTML report tests need Debian's chromium ` +
        'package. Install it with `apt-get update && apt-get install -y --no-install-recommends ' +
        'chromium` (.ci/run does this when it is missing), or set STEWARD_CHROMIUM to a Chromium binary.',
    );
  return chromium.launch({ executablePath, headless: true, args: flags });
}

export interface Watched {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  /** Every request that was not for a file: or data: URL (all of them are aborted). */
  network: string[];
}

/** A page that records console errors and refuses, and records, every request off the disk. */
export async function watchedPage(
  browser: Browser,
  viewport = { width: 1440, height: 1000 },
): Promise<Watched> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  const network: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('dialog', (dialog) => {
    errors.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const local = (url: string): boolean => url.startsWith('file:') || url.startsWith('data:');
  page.on('request', (request) => {
    if (!local(request.url())) network.push(request.url());
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (local(url)) await route.continue();
    else {
      if (!network.includes(url)) network.push(url);
      await route.abort('blockedbyclient');
    }
  });
  return { page, errors, network };
}
