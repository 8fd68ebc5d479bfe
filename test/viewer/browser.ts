/**
 * Headless Debian chromium driven by puppeteer-core, for the browser tests: every console error,
 * page error and request outside the allowed URL prefixes is recorded, so a test can assert the
 * page ran cleanly and fetched nothing from elsewhere.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CANDIDATES = [process.env.MAMMOCLR_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);

/** The browser binary, or undefined (the tests skip, saying so; scripts/ensure.sh installs Debian's chromium). */
export function chromiumPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

export function launch(path: string): Promise<Browser> {
  // --no-sandbox: CI and the set-up run as root, where chromium's sandbox refuses to start.
  return puppeteer.launch({ executablePath: path, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface Watched {
  page: Page;
  consoleErrors: string[];
  /** Requests whose URL starts with none of the allowed prefixes. */
  outside: string[];
}

export async function watchedPage(browser: Browser, allowed: string[]): Promise<Watched> {
  const page = await browser.newPage();
  const w: Watched = { page, consoleErrors: [], outside: [] };
  page.on('console', (m) => { if (m.type() === 'error') w.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => w.consoleErrors.push(`page error: ${(e as Error).message}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && !allowed.some((a) => url.startsWith(a))) w.outside.push(url);
  });
  return w;
}
