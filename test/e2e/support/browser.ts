/**
 * Debian's Chromium driven by playwright-core (no browser download: the project installs `chromium`
 * with apt, and playwright-core is pinned to the release built for that Chromium major, 156).
 * Each launch gets a fresh temporary profile from Playwright (it refuses a --user-data-dir argument
 * for launch(); two contexts of one browser are two independent shoppers).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'test-results', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true, // adds --headless
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface Shopper {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the storefront itself (not of third-party images). */
  errors: string[];
}

export async function newShopper(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 900 },
): Promise<Shopper> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // A product image on an unreachable host fails to load; the page shows its placeholder instead.
    const where = msg.location().url;
    if (where && !where.startsWith(baseUrl)) return;
    if (/Failed to load resource/.test(msg.text()) && !where.startsWith(baseUrl)) return;
    errors.push(`${msg.text()} (${where})`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Polls an attribute until it has `expected`; returns how long that took. Fails with the last value seen. */
export async function waitForAttribute(
  locator: Locator,
  name: string,
  expected: string,
  timeoutMs: number,
): Promise<number> {
  const start = Date.now();
  let last: string | null = null;
  for (;;) {
    last = await locator
      .getAttribute(name, { timeout: Math.max(1, timeoutMs - (Date.now() - start)) })
      .catch(() => null);
    if (last === expected) return Date.now() - start;
    if (Date.now() - start > timeoutMs) {
      throw new Error(
        `${locator} [${name}] was ${JSON.stringify(last)}, expected ${JSON.stringify(expected)} within ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
