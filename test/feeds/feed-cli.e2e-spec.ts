import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Workbook } from 'exceljs';
import { readPuf } from '../../src/feeds/puf-reader';
import { startTestApp, TestApp } from '../helpers/test-app';
import { currentVersionId, GOOD_ISSUER } from '../ingest/ingest-helpers';
import { feedOf, fileOf, removeFeeds } from './feed-helpers';
import { FeedServer, startFeedServer } from './feed-server';

const OFFICIAL_ISSUER = '12345';
const BROKEN_ISSUER = '55502';
const INSECURE_ISSUER = '55503';
const ISSUERS = [GOOD_ISSUER, OFFICIAL_ISSUER, BROKEN_ISSUER, INSECURE_ISSUER];

/** Runs `npm run fetch -- args` on the test database; resolves with its exit code and output. */
function runFetchCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/feeds/cli/fetch-cli.ts', ...args], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, FEED_RETRY_BASE_MS: '5', FEED_RETRIES: '1', FEED_IDLE_TIMEOUT_MS: '2000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
}

describe('npm run fetch: an index URL, or every issuer of the Machine-Readable URL PUF', () => {
  let app: TestApp;
  let server: FeedServer;
  let dir: string;
  let pufCsv: string;

  beforeAll(async () => {
    app = await startTestApp();
    server = await startFeedServer();
    dir = mkdtempSync(join(tmpdir(), 'feed-cli-'));
    await removeFeeds(app.db, ISSUERS);
    const relative = (files: Record<string, string[]>) => JSON.stringify(files);
    server.serve('/buckeye/cms-data-index.json', relative({ plan_urls: ['plans.json'], provider_urls: ['providers.json'], formulary_urls: ['drugs.json'] }));
    for (const name of ['plans', 'providers', 'drugs']) server.serveFixture(`/buckeye/${name}.json`, `good/${name}.json`);
    server.serve(
      '/vandelay/data/cms-data-index.json',
      relative({ plan_urls: ['plans.json'], provider_urls: ['./providers.json'], formulary_urls: ['drugs-1.json', '/vandelay/data/drugs-2.json'] }),
    );
    for (const name of ['plans', 'providers', 'drugs-1', 'drugs-2']) server.serveFixture(`/vandelay/data/${name}.json`, `official/${name}.json`);
    pufCsv = [
      'State,Issuer ID,Issuer Name,URL Submitted,Tech POC Email',
      `OH,${GOOD_ISSUER},Buckeye Health,${server.url('/buckeye/cms-data-index.json')},it@buckeye.example.com`,
      `NJ,${OFFICIAL_ISSUER},Vandelay Insurance,${server.url('/vandelay/data/cms-data-index.json')},art@vandelay.example.com`,
      `OH,${BROKEN_ISSUER},Gone Health,${server.url('/gone/cms-data-index.json')},`,
      `OH,${INSECURE_ISSUER},Plain Health,http://plain.example.com/cms-data-index.json,`,
      'OH,ABC,Not An Issuer,https://example.com/index.json,',
      'OH,55504,No Url Health,,',
    ].join('\n');
    server.serve('/puf/machine-readable-url-puf.csv', pufCsv, { 'content-type': 'text/csv' });
  });

  afterAll(async () => {
    await removeFeeds(app.db, ISSUERS);
    rmSync(dir, { recursive: true, force: true });
    await server.close();
    await app.close();
  });

  describe('reading the PUF', () => {
    it("CSV with CMS's column headers: issuers with their URLs; rows without an issuer id or a URL are left out, saying why", async () => {
      const path = join(dir, 'puf.csv');
      writeFileSync(path, `\uFEFF${pufCsv}`);
      const { entries, skipped } = await readPuf(path);
      expect(entries.map((e) => [e.state, e.issuerId, e.issuerName])).toEqual([
        ['OH', GOOD_ISSUER, 'Buckeye Health'],
        ['NJ', OFFICIAL_ISSUER, 'Vandelay Insurance'],
        ['OH', BROKEN_ISSUER, 'Gone Health'],
        ['OH', INSECURE_ISSUER, 'Plain Health'],
      ]);
      expect(entries[0].indexUrl).toBe(server.url('/buckeye/cms-data-index.json'));
      expect(skipped).toEqual([
        { row: 6, reason: 'issuer id "ABC" is not a 5-digit HIOS issuer id' },
        { row: 7, reason: 'issuer 55504 has no URL' },
      ]);
    });

    it('XLSX as CMS publishes it: a title row above the header, ids stored as numbers, URLs as hyperlinks', async () => {
      const workbook = new Workbook();
      const sheet = workbook.addWorksheet('MR URL PUF');
      sheet.addRow(['Machine Readable URL PUF, plan year 2026']);
      sheet.addRow(['State', 'Issuer ID', 'Issuer Name', 'URL Submitted', 'Tech POC Email']);
      sheet.addRow(['OH', 55555, 'Buckeye Health', { text: 'index', hyperlink: 'https://buckeye.example.com/cms-data-index.json' }, 'it@buckeye.example.com']);
      sheet.addRow(['AK', 1234, 'Small Issuer', 'https://small.example.com/index.json', '']);
      sheet.addRow(['OH', 55555, 'Buckeye Health', 'https://buckeye.example.com/other.json', '']);
      const path = join(dir, 'puf.xlsx');
      await workbook.xlsx.writeFile(path);
      const { entries, skipped } = await readPuf(path);
      expect(entries).toEqual([
        { issuerId: '55555', issuerName: 'Buckeye Health', state: 'OH', indexUrl: 'https://buckeye.example.com/cms-data-index.json', row: 3 },
        { issuerId: '01234', issuerName: 'Small Issuer', state: 'AK', indexUrl: 'https://small.example.com/index.json', row: 4 },
      ]);
      expect(skipped).toEqual([{ row: 5, reason: 'issuer 55555 is listed again (row 3 is used)' }]);
    });

    it('a file without the expected headers is refused, naming them', async () => {
      const path = join(dir, 'other.csv');
      writeFileSync(path, 'a,b,c\n1,2,3\n');
      await expect(readPuf(path)).rejects.toThrow(
        /no header row with an issuer id and a URL column \(expected headers such as "State", "Issuer ID", "Issuer Name", "URL Submitted"\)/,
      );
    });
  });

  describe('the command', () => {
    it('--puf <URL>: every issuer into its own version, two at a time; broken ones reported and recorded, exit 1', async () => {
      const { code, stdout, stderr } = await runFetchCli(['--puf', server.url('/puf/machine-readable-url-puf.csv'), '--concurrency', '2']);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(stdout).toContain(`${GOOD_ISSUER}: published version`);
      expect(stdout).toContain(`${OFFICIAL_ISSUER}: published version`);
      expect(stdout).toContain(`${BROKEN_ISSUER}: FAILED (HTTP_STATUS) ${server.url('/gone/cms-data-index.json')}: HTTP 404 Not Found`);
      expect(stdout).toContain(`${INSECURE_ISSUER}: FAILED (INSECURE_URL)`);
      expect(stdout).toContain('skipped row 6');
      expect(stdout).toContain('4 feeds: 2 ok, 2 broken');

      const good = await currentVersionId(app.db, GOOD_ISSUER);
      const official = await currentVersionId(app.db, OFFICIAL_ISSUER);
      expect(good).not.toBeNull();
      expect(official).not.toBeNull();
      expect(good).not.toBe(official);
      const vandelay = await feedOf(app, OFFICIAL_ISSUER);
      expect(vandelay).toMatchObject({ status: 'ok', outcome: 'published' });
      expect(fileOf(vandelay, server.url('/vandelay/data/drugs-2.json'))).toMatchObject({ kind: 'drugs', ok: true, httpStatus: 200 });

      const broken = await app.gql(`{ feeds(brokenOnly: true) { issuerId issuerName state error files { url httpStatus errorCode } } }`);
      const mine = broken.data.feeds.filter((f: { issuerId: string }) => ISSUERS.includes(f.issuerId));
      expect(mine).toEqual([
        {
          issuerId: BROKEN_ISSUER,
          issuerName: 'Gone Health',
          state: 'OH',
          error: `${server.url('/gone/cms-data-index.json')}: HTTP 404 Not Found`,
          files: [{ url: server.url('/gone/cms-data-index.json'), httpStatus: 404, errorCode: 'HTTP_STATUS' }],
        },
        {
          issuerId: INSECURE_ISSUER,
          issuerName: 'Plain Health',
          state: 'OH',
          error: "http://plain.example.com/cms-data-index.json: plain HTTP to plain.example.com refused; carriers' files are fetched over HTTPS only",
          files: [{ url: 'http://plain.example.com/cms-data-index.json', httpStatus: null, errorCode: 'INSECURE_URL' }],
        },
      ]);
    });

    it('<index URL> --issuer: one issuer; unchanged files are not downloaded again (304)', async () => {
      const { code, stdout } = await runFetchCli([server.url('/buckeye/cms-data-index.json'), '--issuer', GOOD_ISSUER]);
      expect(code).toBe(0);
      expect(stdout).toContain(`${GOOD_ISSUER}: not modified since the last check`);
    });

    it('--refresh: every known feed checked; the broken ones tried again', async () => {
      server.serve('/gone/cms-data-index.json', JSON.stringify({ plan_urls: ['/buckeye/plans.json'], provider_urls: ['/buckeye/providers.json'] }));
      const { code, stdout } = await runFetchCli(['--refresh']);
      expect(code).toBe(1); // the plain-HTTP one stays broken
      expect(stdout).toContain(`${GOOD_ISSUER}: not modified`);
      expect(stdout).toContain(`${OFFICIAL_ISSUER}: not modified`);
      // Its index now lists another issuer's files: a failed load, recorded on the file that failed.
      expect(stdout).toMatch(new RegExp(`${BROKEN_ISSUER}: FAILED \\((WRONG_ISSUER|NO_VALID_PLANS)\\)`));
      expect(stdout).toContain(`${INSECURE_ISSUER}: FAILED (INSECURE_URL)`);
      expect(await currentVersionId(app.db, BROKEN_ISSUER)).toBeNull();
    });

    it("--refresh --enqueue: the checks are queued as jobs, which the API instance's worker runs", async () => {
      const before = new Date();
      const { code, stdout } = await runFetchCli(['--refresh', '--enqueue']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/\d+ feed checks queued \(\d+ already waiting\); the API instances' workers run them/);
      const jobs = async () =>
        (await app.db.query(
          `SELECT singleton_key AS "issuerId", state, output FROM pgboss.job WHERE name = 'feed-fetch' AND created_on >= $1 AND singleton_key = ANY($2)`,
          [before, ISSUERS],
        )) as Array<{ issuerId: string; state: string; output: { outcome: string } | null }>;
      const started = Date.now();
      while ((await jobs()).some((job) => job.state !== 'completed') || (await jobs()).length < ISSUERS.length) {
        if (Date.now() - started > 60_000) throw new Error(`the queued checks did not all complete: ${JSON.stringify(await jobs())}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const outcomes = Object.fromEntries((await jobs()).map((job) => [job.issuerId, job.output?.outcome]));
      expect(outcomes).toMatchObject({ [GOOD_ISSUER]: 'not-modified', [OFFICIAL_ISSUER]: 'not-modified', [INSECURE_ISSUER]: 'failed' });
    });

    it('usage errors exit 2 with the usage', async () => {
      const { code, stderr } = await runFetchCli(['https://carrier.example.com/cms-data-index.json']);
      expect(code).toBe(2);
      expect(stderr).toContain('--issuer is required');
    });
  });
});
