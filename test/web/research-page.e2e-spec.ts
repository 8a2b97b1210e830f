/// <reference lib="dom" />
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'puppeteer-core';
import { DEMO_FIXTURES } from '../../seeds/fixtures';
import { startWebTest, textOf, waitForText, WebTestContext } from './browser';

const BREADTH = `query($state: String, $year: Int) {
  networkBreadth(state: $state, year: $year) { planId providers hospitals networkReported plan { marketingName issuer { name } } }
}`;

/** Opens a report by its summary and waits for the cursor in its first field (where a report without values puts it). */
async function openReport(page: Page, id: string, firstField: string) {
  await page.click(`#report-${id} > summary`);
  await page.waitForFunction((fieldId: string) => document.activeElement?.id === fieldId, {}, `${id}-${firstField}`);
}

describe('research desk /research in Chromium (demo data)', () => {
  let web: WebTestContext;

  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(() => web?.close());

  it('opens network breadth: a chart, the same numbers as the GraphQL query in its table and CSV, and the query itself', async () => {
    const expected = await web.t.gql(BREADTH, { state: 'OH', year: 2026 });
    expect(expected.errors).toBeUndefined();
    const plans: Array<{
      planId: string;
      providers: number;
      hospitals: number;
      networkReported: boolean;
      plan: { marketingName: string; issuer: { name: string } };
    }> = expected.data.networkBreadth;
    // The demo's ten Ohio plans at least (other test files add their own).
    expect(plans.length).toBeGreaterThanOrEqual(10);

    const page = await web.newPage();
    await page.goto(`${web.baseUrl}/research`);
    expect(await page.title()).toBe('Research desk · Coverage lookup');
    // State is required: opening the report puts the cursor there.
    await openReport(page, 'network-breadth', 'state');
    await page.keyboard.type('OH');
    await page.click('#report-network-breadth button[type="submit"]');
    await page.waitForSelector('#report-network-breadth table[data-report-table="network-breadth"]');

    const table = await page.$$eval('#report-network-breadth table tbody tr', (rows) =>
      rows.map((row) => Array.from(row.children).map((cell) => (cell.textContent ?? '').trim())),
    );
    expect(table).toEqual(
      plans.map((p) => [
        p.planId,
        p.plan.marketingName,
        p.plan.issuer.name,
        expect.any(String),
        String(p.providers),
        String(p.hospitals),
        p.networkReported ? 'yes' : 'no',
      ]),
    );

    // The chart drew bars: pixels of the first series' colour (#0072B2) on the canvas.
    const barPixels = await page.$eval('#report-network-breadth canvas', (canvas) => {
      const c = canvas as HTMLCanvasElement;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let count = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === 0 && pixels[i + 1] === 114 && pixels[i + 2] === 178) count++;
      return count;
    });
    expect(barPixels).toBeGreaterThan(1000);
    expect(await page.$eval('#report-network-breadth canvas', (c) => c.getAttribute('aria-label'))).toBe(
      'Bar chart: Network breadth by plan. The table below gives the same numbers.',
    );

    // The CSV download holds the same rows.
    const downloads = mkdtempSync(join(tmpdir(), 'research-csv-'));
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#report-network-breadth a.download');
    const file = join(downloads, 'network-breadth.csv');
    // Chromium may create the file before it writes it: wait until it holds bytes and stops growing.
    let size = -1;
    for (let i = 0; i < 100; i++) {
      const now = existsSync(file) ? statSync(file).size : -1;
      if (now > 0 && now === size) break;
      size = now;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const csv = readFileSync(file, 'utf8');
    const [header, ...records] = parse(csv) as string[][];
    expect(header).toEqual(['Plan id', 'Plan', 'Issuer', 'Metal level', 'Providers', 'Hospitals', 'Directory published']);
    expect(records.map((cells) => [cells[0], cells[1], cells[4], cells[5]])).toEqual(
      plans.map((p) => [p.planId, p.plan.marketingName, String(p.providers), String(p.hospitals)]),
    );
    expect(await page.$eval('#report-network-breadth a.download', (a) => a.getAttribute('download'))).toBe('network-breadth.csv');

    // The query that produced it, as text to copy.
    await page.click('#report-network-breadth details.query-details > summary');
    expect(await textOf(page, '#report-network-breadth pre.query')).toMatch(/^query NetworkBreadth\(.*networkBreadth\(state: \$state, year: \$year/);
    expect(new URL(page.url()).search).toBe('?report=network-breadth&state=OH&year=2026');
    await web.screenshot(page, 'research-network-breadth');

    // The link reopens the report with its numbers.
    const shared = await web.newPage(390, 844);
    await shared.goto(page.url());
    await shared.waitForSelector('#report-network-breadth table[data-report-table="network-breadth"]');
    expect(await shared.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await web.screenshotOf(shared, '#report-network-breadth', 'research-phone');
    await shared.close();
    await page.close();
  });

  it('draws the other reports from their queries, and says what is wrong with bad input', async () => {
    const page = await web.newPage();
    const { buckeyeGold, buckeyeBronze } = DEMO_FIXTURES.plans;
    await page.goto(`${web.baseUrl}/research?report=formulary-comparison&planA=${buckeyeGold}&planB=${buckeyeBronze}`);
    const summary = await waitForText(page, '#report-formulary-comparison .message', /drugs in both/);
    expect(summary).toMatch(/^Buckeye Mutual Gold PPO 1500 \(A\) and Buckeye Mutual Bronze HMO 7500 \(B\): \d+ drugs in both, \d+ only in A/);
    await page.waitForSelector('#report-formulary-comparison canvas');

    await openReport(page, 'prior-authorization', 'state');
    await page.keyboard.type('TX');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#report-prior-authorization table');
    expect(await textOf(page, '#report-prior-authorization table tbody')).toMatch(/Lone Star/);
    await web.screenshot(page, 'research-reports');

    // Bad input: plain words, the input kept.
    await openReport(page, 'plan-ranking', 'state');
    await page.keyboard.type('Ohio');
    await page.keyboard.press('Enter');
    expect(await textOf(page, '#report-plan-ranking .message')).toBe('"Ohio" is not right for state: a state is 2 letters, e.g. OH.');
    await openReport(page, 'network-changes', 'planId');
    await page.keyboard.type('99999ZZ9999999');
    await page.keyboard.press('Enter');
    expect(await waitForText(page, '#report-network-changes .message', /99999ZZ9999999/)).toMatch(/99999ZZ9999999/);
    expect(await page.$eval('#network-changes-planId', (input) => (input as HTMLInputElement).value)).toBe('99999ZZ9999999');
    await page.close();
  });
});
