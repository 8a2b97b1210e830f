/// <reference lib="dom" />
import type { HTTPRequest, Page } from 'puppeteer-core';
import { DEMO_FIXTURES } from '../../seeds/fixtures';
import { startWebTest, textOf, waitForText, WebTestContext } from './browser';

const { plans: PLAN, providers } = DEMO_FIXTURES;
const JOHN_SMITH = providers.johnSmith.npi;
const LIPITOR_20 = '617318';
const GOLD = PLAN.buckeyeGold;
const BRONZE = PLAN.buckeyeBronze;

const doctorCell = (npi: string, planId: string) => `#grid td[data-npi="${npi}"][data-plan-id="${planId}"]`;
const drugCell = (rxcui: string, planId: string) => `#grid td[data-rxcui="${rxcui}"][data-plan-id="${planId}"]`;

async function typeInto(page: Page, selector: string, text: string) {
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

describe('shopper page / in Chromium (demo data)', () => {
  let web: WebTestContext;

  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(() => web?.close());

  it('finds John Smith by a misspelt name near 43215, compares Buckeye Gold and Bronze with Lipitor 20 mg, and keeps it all in the link', async () => {
    const page = await web.newPage();
    // Everything the page loads comes from the API itself (it works offline, no CDN).
    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    await page.goto(`${web.baseUrl}/`);
    expect(await page.title()).toMatch(/Is my doctor in network/);

    await typeInto(page, '#doctor-name', 'jonh smth');
    await typeInto(page, '#doctor-zip', '43215');
    await page.click('#doctor-form button[type="submit"]');
    const add = `#doctor-results button[data-npi="${JOHN_SMITH}"]`;
    await page.waitForSelector(add);
    expect(await textOf(page, add)).toBe('Add John Smith');
    await page.click(add);
    await waitForText(page, '#doctor-chosen', /John Smith · Family Medicine/);

    // The ZIP carries over to the plan finder.
    expect(await page.$eval('#plan-zip', (input) => (input as HTMLInputElement).value)).toBe('43215');
    await page.click('#plan-form button[type="submit"]');
    await page.waitForSelector(`#plan-table input[data-plan-id="${GOLD}"]`);
    expect(await textOf(page, '#plan-message')).toMatch(/^\d+ plans in OH for 2026; 3 cover all your doctors and drugs\./);
    expect(await page.$eval('#plan-state', (input) => (input as HTMLInputElement).value)).toBe('OH');
    await page.click(`#plan-table input[data-plan-id="${GOLD}"]`);
    await page.click(`#plan-table input[data-plan-id="${BRONZE}"]`);

    await typeInto(page, '#drug-name', 'lipitor 20');
    const addDrug = `#drug-results button[data-rxcui="${LIPITOR_20}"]`;
    await page.waitForSelector(addDrug);
    expect(await textOf(page, addDrug)).toBe('Add Lipitor 20 MG Oral Tablet');
    await page.click(addDrug);

    expect(await waitForText(page, doctorCell(JOHN_SMITH, GOLD), /In network/)).toMatch(
      /^In network PREFERRED tier Accepting new patients Source: Buckeye Mutual Health, providers-1\.json, updated 2025-12-01, loaded today Report a wrong listing for John Smith on Buckeye Mutual Gold PPO 1500$/,
    );
    expect(await textOf(page, `${doctorCell(JOHN_SMITH, BRONZE)} .answer`)).toBe('Not in network');
    expect(await textOf(page, `${doctorCell(JOHN_SMITH, BRONZE)} details.report summary`)).toBe(
      'Report a wrong listing for John Smith on Buckeye Mutual Bronze HMO 7500',
    );

    const bronzeLipitor = await waitForText(page, drugCell(LIPITOR_20, BRONZE), /Not covered/);
    expect(bronzeLipitor).toMatch(/^Not covered Covered instead: atorvastatin 20 MG Oral Tablet \(GENERIC tier\): \$20 copay after deductible, 30-day retail/);
    const goldLipitor = await textOf(page, drugCell(LIPITOR_20, GOLD));
    expect(goldLipitor).toMatch(/^Covered Tier: NON-PREFERRED-BRAND .*\$80 copay before deductible, 30-day retail/);
    expect(await textOf(page, `#grid tr.summary td[data-plan-id="${GOLD}"]`)).toMatch(/1 of 1 doctors in network.*Estimated drugs: \$80 a month/);
    await web.screenshot(page, 'shopper-grid');
    expect([...origins]).toEqual([web.baseUrl]);

    // The selection is in the query string: the link reopens the same comparison.
    const url = new URL(page.url());
    expect(url.searchParams.get('npi')).toBe(JOHN_SMITH);
    expect(url.searchParams.get('rx')).toBe(LIPITOR_20);
    expect(url.searchParams.get('plan')?.split(',').sort()).toEqual([BRONZE, GOLD].sort());
    expect(url.searchParams.get('name')).toBe('jonh smth');
    const shared = await web.newPage(390, 844);
    await shared.goto(url.toString());
    expect(await waitForText(shared, doctorCell(JOHN_SMITH, GOLD), /In network/)).toMatch(/^In network/);
    expect(await textOf(shared, `${drugCell(LIPITOR_20, BRONZE)} .answer`)).toBe('Not covered');
    expect(await shared.$eval('#doctor-name', (input) => (input as HTMLInputElement).value)).toBe('jonh smth');
    expect(await textOf(shared, '#doctor-chosen')).toMatch(/John Smith/);
    // Phone width: the page itself does not scroll sideways (the grid scrolls in its own box).
    await web.screenshot(shared, 'shopper-phone');
    await web.screenshotOf(shared, '#grid', 'shopper-phone-grid');
    await web.screenshotOf(shared, '#plan-table tbody tr:first-child', 'shopper-phone-plan');
    expect(await shared.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shared.close();
    await page.close();
  });

  it('is usable with the keyboard alone: skip link, labelled fields in order, add a doctor and a drug, find and tick plans', async () => {
    const page = await web.newPage();
    await page.goto(`${web.baseUrl}/`);
    const focused = () =>
      page.evaluate(() => {
        const node = document.activeElement as HTMLElement | null;
        if (!node) return '';
        const label = node.id ? document.querySelector(`label[for="${node.id}"]`)?.textContent : null;
        return `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}|${(label ?? node.getAttribute('aria-label') ?? node.textContent ?? '').replace(/\s+/g, ' ').trim()}`;
      });

    await page.keyboard.press('Tab');
    expect(await focused()).toBe('a|Skip to the lookup');
    await page.keyboard.press('Enter');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order).toEqual([
      'input#doctor-name|Name',
      'input#doctor-specialty|Specialty (optional)',
      'input#doctor-zip|Near ZIP code',
      'select#doctor-radius|Within',
      'button|Search doctors',
    ]);
    // The focus ring is visible.
    expect(await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)).toBe('solid');

    // Back to the name field, type, and search with Enter.
    for (let i = 0; i < 4; i++)
      await page.keyboard
        .down('Shift')
        .then(() => page.keyboard.press('Tab'))
        .then(() => page.keyboard.up('Shift'));
    expect(await focused()).toBe('input#doctor-name|Name');
    await page.keyboard.type('jonh smth');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('43215');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#doctor-results button[data-npi="${JOHN_SMITH}"]`);
    expect(await textOf(page, '#doctor-message')).toMatch(/found within 25 miles of 43215/);
    // From the search button, the next stop is the first result's Add button.
    await page.focus('#doctor-form button[type="submit"]');
    await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^button\|Add John Smith$/);
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('button|Remove John Smith');
    await waitForText(page, '#doctor-chosen', /John Smith/);

    // Drug autocomplete: Tab on to the drug field, type, Tab to the match and add it with the space bar.
    await page.focus(`#doctor-chosen button`);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('input#drug-name|Drug name');
    await page.keyboard.type('lipitor 20');
    await page.waitForSelector(`#drug-results button[data-rxcui="${LIPITOR_20}"]`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button|Add Lipitor 20 MG Oral Tablet');
    await page.keyboard.press('Space');
    await waitForText(page, '#drug-chosen', /Lipitor 20 MG Oral Tablet/);

    // Plans: the ZIP is filled in; Enter in it finds plans, Tab reaches the first plan's checkbox.
    await page.focus('#plan-zip');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#plan-table input[type="checkbox"]');
    await page.focus('#plan-form button[type="submit"]');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe(`input#plan-${GOLD}|Buckeye Mutual Gold PPO 1500`);
    await page.keyboard.press('Space');
    expect(await waitForText(page, doctorCell(JOHN_SMITH, GOLD), /In network/)).toMatch(/^In network/);
    await web.screenshot(page, 'shopper-keyboard');
    await page.close();
  });

  it('says in plain words what went wrong and keeps what was typed', async () => {
    const page = await web.newPage();
    await page.goto(`${web.baseUrl}/`);

    // Empty search.
    await page.click('#doctor-form button[type="submit"]');
    expect(await textOf(page, '#doctor-message')).toBe('Type a name, a specialty or a ZIP code to search.');
    await page.click('#drug-form button[type="submit"]');
    expect(await textOf(page, '#drug-message')).toBe('Type the start of a drug name, for example "lipitor".');

    // A ZIP code that does not exist.
    await typeInto(page, '#doctor-name', 'smith');
    await typeInto(page, '#doctor-zip', '00000');
    await page.click('#doctor-form button[type="submit"]');
    expect(await waitForText(page, '#doctor-message', /ZIP/)).toBe('Unknown ZIP code 00000: it has no known location.');
    expect(await page.$eval('#doctor-zip', (input) => (input as HTMLInputElement).value)).toBe('00000');
    await typeInto(page, '#plan-zip', '00000');
    await page.click('#plan-form button[type="submit"]');
    expect(await waitForText(page, '#plan-message', /ZIP/)).toBe('Unknown ZIP code 00000: it has no known location.');

    // The API down, then rate-limited.
    await page.setRequestInterception(true);
    let answer: 'down' | 'busy' = 'down';
    const intercept = (request: HTTPRequest) => {
      if (!request.url().endsWith('/graphql')) return request.continue();
      if (answer === 'down') return request.abort('connectionrefused');
      return request.respond({
        status: 429,
        headers: { 'Retry-After': '30', 'Access-Control-Expose-Headers': 'Retry-After' },
        contentType: 'application/json',
        body: '{"errors":[{"message":"Too Many Requests"}]}',
      });
    };
    page.on('request', intercept);
    await typeInto(page, '#doctor-zip', '43215');
    await page.click('#doctor-form button[type="submit"]');
    expect(await waitForText(page, '#doctor-message', /reached/)).toBe(
      'The coverage service could not be reached. Check your connection and try again. What you typed is kept.',
    );
    expect(await page.$eval('#doctor-name', (input) => (input as HTMLInputElement).value)).toBe('smith');
    answer = 'busy';
    await page.click('#doctor-form button[type="submit"]');
    expect(await waitForText(page, '#doctor-message', /Too many/)).toBe(
      'Too many requests from your connection just now. Please try again in 30 seconds. What you typed is kept.',
    );
    expect(await page.$eval('#doctor-message', (node) => node.classList.contains('error'))).toBe(true);
    await web.screenshot(page, 'shopper-rate-limited');
    page.off('request', intercept);
    await page.setRequestInterception(false);

    // An unknown plan id in a shared link.
    await page.goto(`${web.baseUrl}/?npi=${JOHN_SMITH}&plan=99999ZZ9999999,${GOLD}`);
    expect(await waitForText(page, '#grid-message', /99999ZZ9999999/)).toBe(
      'No insurance company has published a plan with the id 99999ZZ9999999: check the id, or find plans in step 3.',
    );
    expect(await textOf(page, `${doctorCell(JOHN_SMITH, GOLD)} .answer`)).toBe('In network');
    expect(new URL(page.url()).searchParams.get('plan')).toBe(`99999ZZ9999999,${GOLD}`);
    await web.screenshot(page, 'shopper-unknown-plan');
    await page.close();
  });
});
