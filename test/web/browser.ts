/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { ensureDemoData } from '../helpers/demo-data';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Screenshots of the pages as a person sees them, for looking at after a run (git-ignored). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output', 'web');

/** Debian's chromium (installed by .ci/run when missing), or CHROMIUM_PATH: puppeteer-core downloads no browser. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`No Chromium found (looked for ${candidates.join(', ')}): apt-get install -y chromium, or set CHROMIUM_PATH`);
  return found;
}

export interface WebTestContext {
  t: TestApp;
  browser: Browser;
  /** http://127.0.0.1:port of the API serving the pages. */
  baseUrl: string;
  newPage(width?: number, height?: number): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  /** Only the element matching `selector` (readable at its real size where a whole phone page is not). */
  screenshotOf(page: Page, selector: string, name: string): Promise<void>;
  close(): Promise<void>;
}

/** The API on the test database with the demo data, listening on a free port, and one headless Chromium. */
export async function startWebTest(): Promise<WebTestContext> {
  const t = await startTestApp();
  await ensureDemoData(t.db);
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--font-render-hinting=none'],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const pages: Page[] = [];
  return {
    t,
    browser,
    baseUrl: `http://127.0.0.1:${port}`,
    async newPage(width = 1280, height = 900) {
      const page = await browser.newPage();
      await page.setViewport({ width, height });
      page.setDefaultTimeout(10_000);
      // A script error on a page fails nothing by itself: print it next to the failing expectation.
      page.on('pageerror', (error) => console.error(`page error on ${page.url()}: ${error}`));
      page.on('console', (message) => {
        if (message.type() === 'error') console.error(`console error on ${page.url()}: ${message.text()}`);
      });
      pages.push(page);
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) as `${string}.png`, fullPage: true });
    },
    async screenshotOf(page, selector, name) {
      const element = await page.waitForSelector(selector);
      await element!.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) as `${string}.png` });
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** The text a person sees in the first element matching `selector` (closed <details> left out), whitespace collapsed. */
export async function textOf(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(selector);
  return page.$eval(selector, (node) => ((node as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim());
}

/** Waits until the element's text matches `pattern` (the pages update after each answer); `>>>` reaches into shadow roots. */
export async function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '(no such element)';
  for (;;) {
    const handle = await page.$(selector);
    if (handle) {
      last = await handle.evaluate((node) => ((node as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim());
      await handle.dispose();
      if (pattern.test(last)) return last;
    }
    if (Date.now() > deadline) throw new Error(`${selector} never matched ${pattern}; its text: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
