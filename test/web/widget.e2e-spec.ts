/// <reference lib="dom" />
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEMO_FIXTURES } from '../../seeds/fixtures';
import { startWebTest, textOf, waitForText, WebTestContext } from './browser';

const { plans: PLAN, providers } = DEMO_FIXTURES;
const JOHN_SMITH = providers.johnSmith.npi;

/** A plan-shopping site's own page, on another origin, with a strict CSP of its own that allows the API. */
function hostPage(api: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shop plans</title>
  <style>
    body { font-family: Georgia, serif; color: #222; }
    coverage-check { --coverage-check-accent: #7a1fa2; --coverage-check-radius: 12px; }
    coverage-check::part(button) { border-radius: 999px; }
  </style>
</head>
<body>
  <h1>Buckeye Mutual plans</h1>
  <h2>Gold PPO 1500</h2>
  <coverage-check id="gold" plan-id="${PLAN.buckeyeGold}"></coverage-check>
  <h2>Bronze HMO 7500</h2>
  <coverage-check id="bronze" plan-id="${PLAN.buckeyeBronze}" api="${api}"></coverage-check>
  <h2>A plan nobody published</h2>
  <coverage-check id="unknown" plan-id="99999ZZ9999999"></coverage-check>
  <script src="${api}/widget.js"></script>
</body>
</html>`;
}

describe('embeddable widget <coverage-check> on another site, in Chromium (demo data)', () => {
  let web: WebTestContext;
  let host: Server;
  let hostUrl: string;

  beforeAll(async () => {
    web = await startWebTest();
    host = createServer((req, res) => {
      res.setHeader('Content-Security-Policy', `default-src 'none'; script-src ${web.baseUrl}; connect-src ${web.baseUrl}; style-src 'unsafe-inline'`);
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(hostPage(web.baseUrl));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    // localhost, not 127.0.0.1: another origin than the API's.
    hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await web?.close();
    host?.closeAllConnections();
    await new Promise((resolve) => host?.close(resolve));
  });

  it("answers 'is my doctor in network?' per plan, styled by the host page", async () => {
    const page = await web.newPage(900, 1000);
    await page.goto(hostUrl);
    expect(await waitForText(page, '#gold >>> [part="plan"]', /Buckeye/)).toBe('Buckeye Mutual Gold PPO 1500 · Buckeye Mutual Health');

    await page.type('#gold >>> input[name="name"]', 'jonh smth');
    await page.click('#gold >>> button');
    const gold = `#gold >>> li[data-npi="${JOHN_SMITH}"]`;
    expect(await waitForText(page, '#gold >>> [part~="message"]', /found/)).toMatch(/^\d found\.$/);
    expect(await textOf(page, gold)).toMatch(
      /^John Smith Family Medicine · Columbus, OH In network · PREFERRED tier · accepting new patients Source: Buckeye Mutual Health/,
    );

    await page.type('#bronze >>> input[name="name"]', 'john smith');
    await page.type('#bronze >>> input[name="zip"]', '43215');
    await page.keyboard.press('Enter');
    const bronze = `#bronze >>> li[data-npi="${JOHN_SMITH}"]`;
    expect(await waitForText(page, '#bronze >>> [part~="message"]', /found/)).toMatch(/^\d found\.$/);
    expect(await textOf(page, `${bronze} [part="status"]`)).toBe('Not in network');

    // Styled by the host: its custom property and ::part rule reach inside, its font is inherited.
    const style = await page.$eval('#gold >>> button', (button) => {
      const css = getComputedStyle(button);
      return { background: css.backgroundColor, radius: css.borderRadius, font: css.fontFamily };
    });
    expect(style).toEqual({ background: 'rgb(122, 31, 162)', radius: '999px', font: 'Georgia, serif' });
    expect(await page.$eval('#gold >>> [part="container"]', (box) => getComputedStyle(box).borderTopLeftRadius)).toBe('12px');

    // A plan nobody published, and an empty search: plain words.
    expect(await waitForText(page, '#unknown >>> [part~="message"]', /99999ZZ9999999/)).toBe(
      'No insurance company has published plan 99999ZZ9999999, so its network cannot be checked here.',
    );
    await page.click('#gold >>> input[name="name"]', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.click('#gold >>> button');
    expect(await textOf(page, '#gold >>> [part~="message"]')).toBe("Type your doctor's or hospital's name.");
    await web.screenshot(page, 'widget-host-page');
    await page.close();
  });

  it('has its own demo page on the API', async () => {
    const page = await web.newPage();
    await page.goto(`${web.baseUrl}/widget`);
    expect(await waitForText(page, 'coverage-check >>> [part="plan"]', /Gold/)).toBe('Buckeye Mutual Gold PPO 1500 · Buckeye Mutual Health');
    await page.close();
  });
});
