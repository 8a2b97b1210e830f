import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { FeedFetcher, FeedRunResult } from '../../src/feeds/feed-fetcher';
import { checkFetchableUrl, DownloadError, HttpDownloader, isLoopbackUrl } from '../../src/feeds/http-download';
import { startTestApp, TestApp } from '../helpers/test-app';
import {
  ALICE,
  AMLODIPINE,
  ATORVASTATIN,
  BOB,
  currentVersionId,
  drugCoverage,
  ESSENTIAL,
  GOLD,
  GOOD_ISSUER,
  HOSPITAL,
  networkCoverage,
  SILVER,
  versionRow,
} from '../ingest/ingest-helpers';
import { feedOf, fileOf, removeFeeds } from './feed-helpers';
import { FeedServer, QHP_FIXTURES, startFeedServer, testFeedConfig } from './feed-server';

const INDEX = '/qhp/cms-data-index.json';
const PLANS = '/qhp/plans.json';
const PROVIDERS = '/qhp/providers.json';
const DRUGS = '/qhp/drugs.json';
const providersBody = readFileSync(join(QHP_FIXTURES, 'good/providers.json'));
const RELATIVE_INDEX = JSON.stringify({ plan_urls: ['plans.json'], provider_urls: ['providers.json'], formulary_urls: ['drugs.json'] });

describe("feeds: fetching carriers' published files by URL, faults and feed health", () => {
  let app: TestApp;
  let server: FeedServer;
  let fetcher: FeedFetcher;
  let firstLoad: FeedRunResult;

  const publishedAnswers = async () => ({
    versionId: await currentVersionId(app.db, GOOD_ISSUER),
    network: await networkCoverage(app, [ALICE, BOB, HOSPITAL], [GOLD, SILVER, ESSENTIAL]),
    drugs: await drugCoverage(app, [AMLODIPINE, ATORVASTATIN], [GOLD, SILVER, ESSENTIAL]),
  });
  let published: Awaited<ReturnType<typeof publishedAnswers>>;

  const serveGoodFeed = () => {
    for (const path of [INDEX, PLANS, PROVIDERS, DRUGS]) server.off(path);
    server.serve(INDEX, RELATIVE_INDEX);
    server.serveFixture(PLANS, 'good/plans.json');
    server.serveFixture(PROVIDERS, 'good/providers.json');
    server.serveFixture(DRUGS, 'good/drugs.json');
  };

  /** A check that must fail without touching what is published, and the feed's health record after it. */
  const brokenCheck = async (expectedCode: string, run: () => Promise<FeedRunResult> = () => fetcher.check(GOOD_ISSUER)) => {
    const result = await run();
    expect(result).toMatchObject({ outcome: 'failed', errorCode: expectedCode });
    expect(await publishedAnswers()).toEqual(published);
    const feed = await feedOf(app, GOOD_ISSUER);
    expect(feed).toMatchObject({ status: 'broken', broken: true, outcome: 'failed', error: result.error });
    expect(feed.brokenSince).not.toBeNull();
    return { result, feed };
  };

  /** The next check after a fault is repaired loads again (or confirms the same content). */
  const recovers = async () => {
    serveGoodFeed();
    const result = await fetcher.check(GOOD_ISSUER);
    expect(result.outcome).toBe('unchanged');
    expect(result.versionId).toBe(published.versionId);
    const feed = await feedOf(app, GOOD_ISSUER);
    expect(feed).toMatchObject({ status: 'ok', broken: false, error: null, brokenSince: null });
    expect(feed.files.filter((f) => f.listed).every((f) => f.ok && f.errorCode === null)).toBe(true);
  };

  beforeAll(async () => {
    app = await startTestApp();
    server = await startFeedServer();
    fetcher = new FeedFetcher(app.db, testFeedConfig());
    await removeFeeds(app.db, [GOOD_ISSUER]);
    serveGoodFeed();
    firstLoad = await fetcher.fetch({ issuerId: GOOD_ISSUER, indexUrl: server.url(INDEX), issuerName: 'Buckeye Health' });
    published = await publishedAnswers();
  });

  afterAll(async () => {
    await removeFeeds(app.db, [GOOD_ISSUER]);
    await fetcher.close();
    await server.close();
    await app.close();
  });

  describe('fetch by URL', () => {
    it('downloads the index and the files it lists (relative URLs resolved against the index) and publishes them as one version', async () => {
      expect(firstLoad).toMatchObject({ outcome: 'published', error: null });
      expect(firstLoad.versionId).toBe(published.versionId);
      expect(firstLoad.import?.counts).toMatchObject({ plans: 3, providers: 7, drugs: 2 });
      const version = await versionRow(app.db, firstLoad.versionId!);
      expect(version).toMatchObject({ status: 'published', source: 'feed' });
      expect(version.source_files.map((f: { name: string }) => f.name)).toEqual([server.url(PLANS), server.url(PROVIDERS), server.url(DRUGS)]);
      expect(published.network.find((a) => a.npi === ALICE && a.planId === GOLD)).toMatchObject({ status: 'IN_NETWORK' });
      expect(server.lastHeaders.get(PLANS)?.['user-agent']).toMatch(/^coverage-transparency-api\//);
      expect(server.lastHeaders.get(PLANS)?.['accept-encoding']).toMatch(/gzip.*br/);
    });

    it("records every URL's health: status, bytes, content type, hash, validators, rejected records", async () => {
      const feed = await feedOf(app, GOOD_ISSUER);
      expect(feed).toMatchObject({
        indexUrl: server.url(INDEX),
        status: 'ok',
        broken: false,
        outcome: 'published',
        lastVersionId: firstLoad.versionId,
        daysSinceContentChanged: 0,
      });
      expect(feed.files.map((f) => [f.kind, f.url])).toEqual([
        ['index', server.url(INDEX)],
        ['plans', server.url(PLANS)],
        ['providers', server.url(PROVIDERS)],
        ['drugs', server.url(DRUGS)],
      ]);
      const providers = fileOf(feed, server.url(PROVIDERS));
      expect(providers).toMatchObject({
        ok: true,
        httpStatus: 200,
        bytes: providersBody.length,
        contentType: 'application/json',
        changed: true,
        lastModified: 'Wed, 01 Oct 2025 00:00:00 GMT',
        errorCode: null,
        error: null,
      });
      expect(providers.etag).toMatch(/^"/);
      expect(providers.sha256).toMatch(/^[0-9a-f]{64}$/);
      // The fixture's providers file has records the validator rejects (bad NPIs, unknown tiers...).
      expect(providers.recordsRejected).toBeGreaterThan(0);
      expect(providers.validationSummary).toMatch(/[A-Z_]+ \d+/);
    });

    it('304 Not Modified: a second check sends the validators, downloads and loads nothing', async () => {
      const hitsBefore = server.hits.get(PROVIDERS) ?? 0;
      const result = await fetcher.check(GOOD_ISSUER);
      expect(result).toMatchObject({ outcome: 'not-modified', versionId: null, error: null });
      expect(server.hits.get(PROVIDERS)).toBe(hitsBefore + 1);
      expect(server.lastHeaders.get(PROVIDERS)?.['if-none-match']).toMatch(/^"/);
      expect(server.lastHeaders.get(PROVIDERS)?.['if-modified-since']).toBe('Wed, 01 Oct 2025 00:00:00 GMT');
      expect(await publishedAnswers()).toEqual(published);
      const feed = await feedOf(app, GOOD_ISSUER);
      expect(feed).toMatchObject({ status: 'ok', outcome: 'not-modified' });
      expect(feed.files.every((f) => f.httpStatus === 304 && f.changed === false && f.ok)).toBe(true);
      // The health keeps what was last downloaded.
      expect(fileOf(feed, server.url(PROVIDERS)).bytes).toBe(providersBody.length);
    });

    it('a file that changed is loaded as a new version; files answering 304 are then downloaded after all', async () => {
      server.serveFixture(PROVIDERS, 'good-v2/providers.json');
      const result = await fetcher.check(GOOD_ISSUER);
      expect(result.outcome).toBe('published');
      expect(result.versionId).not.toBe(published.versionId);
      const feed = await feedOf(app, GOOD_ISSUER);
      expect(fileOf(feed, server.url(PROVIDERS))).toMatchObject({ changed: true, httpStatus: 200 });
      expect(fileOf(feed, server.url(PLANS))).toMatchObject({ changed: false, httpStatus: 200 });
      // Back to the first files: published again, as its own version.
      serveGoodFeed();
      const back = await fetcher.check(GOOD_ISSUER);
      expect(back.outcome).toBe('published');
      published = await publishedAnswers();
      expect(published.versionId).toBe(back.versionId);
    });

    it('decodes gzip and br bodies', async () => {
      server.serve(PROVIDERS, gzipSync(providersBody), { 'content-encoding': 'gzip' });
      server.serve(DRUGS, brotliCompressSync(readFileSync(join(QHP_FIXTURES, 'good/drugs.json'))), { 'content-encoding': 'br' });
      server.serve(INDEX, `${RELATIVE_INDEX}\n`); // a new index body, so everything is fetched again
      const result = await fetcher.check(GOOD_ISSUER);
      expect(result.outcome).toBe('unchanged'); // same decoded content as the published version
      const feed = await feedOf(app, GOOD_ISSUER);
      // The digest is of the decoded body: the file as published, not as it was compressed on the wire.
      const decodedSha256 = createHash('sha256').update(providersBody).digest('hex');
      expect(fileOf(feed, server.url(PROVIDERS))).toMatchObject({ ok: true, bytes: providersBody.length, sha256: decodedSha256 });
      serveGoodFeed();
    });
  });

  describe('faults: the published version stays and answers; the health record says what went wrong', () => {
    afterEach(() => serveGoodFeed());

    it.each([404, 410])('%i on a listed file', async (status) => {
      server.on(PROVIDERS, (_req, res) => res.writeHead(status).end('gone'));
      const { feed } = await brokenCheck('HTTP_STATUS');
      const providers = fileOf(feed, server.url(PROVIDERS));
      expect(providers).toMatchObject({ ok: false, httpStatus: status, errorCode: 'HTTP_STATUS' });
      expect(providers.error).toContain(server.url(PROVIDERS));
      expect(providers.error).toContain(`HTTP ${status}`);
      expect(feed.error).toContain(server.url(PROVIDERS));
      // The others were checked too.
      expect(fileOf(feed, server.url(DRUGS))).toMatchObject({ ok: true });
      const broken = await app.gql(`{ feeds(brokenOnly: true) { issuerId error } }`);
      expect(broken.data.feeds.map((f: { issuerId: string }) => f.issuerId)).toContain(GOOD_ISSUER);
      await recovers();
      const after = await app.gql(`{ feeds(brokenOnly: true) { issuerId } }`);
      expect(after.data.feeds.map((f: { issuerId: string }) => f.issuerId)).not.toContain(GOOD_ISSUER);
    });

    it('404 on the index itself', async () => {
      server.on(INDEX, (_req, res) => res.writeHead(404).end());
      const { feed } = await brokenCheck('HTTP_STATUS');
      expect(fileOf(feed, server.url(INDEX))).toMatchObject({ ok: false, httpStatus: 404 });
      await recovers();
    });

    it('500 then 200: retried, and loads', async () => {
      let calls = 0;
      server.on(PROVIDERS, (_req, res) => {
        if (++calls === 1) res.writeHead(500).end('oops');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(providersBody);
      });
      const result = await fetcher.check(GOOD_ISSUER);
      expect(calls).toBe(2);
      expect(result.outcome).not.toBe('failed');
      expect(await publishedAnswers()).toEqual(published);
      expect(fileOf(await feedOf(app, GOOD_ISSUER), server.url(PROVIDERS))).toMatchObject({ ok: true, httpStatus: 200 });
    });

    it('429 with Retry-After: waits and retries', async () => {
      let calls = 0;
      server.on(PROVIDERS, (_req, res) => {
        if (++calls === 1) res.writeHead(429, { 'retry-after': '1' }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(providersBody);
      });
      const startedAt = Date.now();
      const result = await fetcher.check(GOOD_ISSUER);
      expect(calls).toBe(2);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
      expect(result.outcome).not.toBe('failed');
    });

    it('500 every time: gives up after the retries and says how many attempts', async () => {
      server.on(PROVIDERS, (_req, res) => res.writeHead(503).end());
      const { feed } = await brokenCheck('HTTP_STATUS');
      expect(server.hits.get(PROVIDERS)).toBeGreaterThanOrEqual(3);
      expect(fileOf(feed, server.url(PROVIDERS)).error).toMatch(/HTTP 503 Service Unavailable \(after 3 attempts\)/);
      await recovers();
    });

    it('a connection reset mid-body', async () => {
      server.on(PROVIDERS, (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(providersBody.length) });
        res.write(providersBody.subarray(0, 1000), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
      });
      const { feed } = await brokenCheck('TRUNCATED');
      const providers = fileOf(feed, server.url(PROVIDERS));
      expect(providers).toMatchObject({ ok: false, httpStatus: 200, byteOffset: 1000, errorCode: 'TRUNCATED' });
      expect(providers.error).toContain(`after 1000 bytes of ${providersBody.length}`);
      await recovers();
    });

    it('a body that trickles then stalls: the idle timeout ends it', async () => {
      server.on(PROVIDERS, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(providersBody.length) });
        res.write(providersBody.subarray(0, 100));
        setTimeout(() => res.write(providersBody.subarray(100, 200)), 100);
        // ...and nothing more.
      });
      const { feed } = await brokenCheck('TIMEOUT');
      const providers = fileOf(feed, server.url(PROVIDERS));
      expect(providers).toMatchObject({ ok: false, byteOffset: 200, errorCode: 'TIMEOUT' });
      expect(providers.error).toMatch(/stalled after 200 bytes/);
      await recovers();
    });

    it('a truncated body (shorter than its Content-Length)', async () => {
      server.on(PROVIDERS, (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(providersBody.length) });
        res.write(providersBody.subarray(0, 3000), () => req.socket.end());
      });
      const { feed } = await brokenCheck('TRUNCATED');
      expect(fileOf(feed, server.url(PROVIDERS))).toMatchObject({ ok: false, byteOffset: 3000 });
      await recovers();
    });

    it('a truncated body without a length: the load finds the JSON cut short, with its byte offset', async () => {
      server.on(PROVIDERS, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
        res.end(providersBody.subarray(0, 3000));
      });
      const { feed } = await brokenCheck('TRUNCATED_JSON');
      const providers = fileOf(feed, server.url(PROVIDERS));
      expect(providers).toMatchObject({ ok: false, errorCode: 'TRUNCATED_JSON', byteOffset: 3000 });
      expect(providers.error).toContain('truncated');
      expect(feed.error).toContain(server.url(PROVIDERS));
      await recovers();
    });

    it('bad gzip', async () => {
      const gz = gzipSync(providersBody);
      const corrupt = Buffer.concat([gz.subarray(0, 20), Buffer.alloc(200, 0x41), gz.subarray(220)]);
      server.serve(PROVIDERS, corrupt, { 'content-encoding': 'gzip' });
      const { feed } = await brokenCheck('BAD_ENCODING');
      const providers = fileOf(feed, server.url(PROVIDERS));
      expect(providers).toMatchObject({ ok: false, errorCode: 'BAD_ENCODING' });
      expect(providers.error).toMatch(/compressed body is corrupt .* at compressed byte \d+/);
      await recovers();
    });

    it('a redirect loop', async () => {
      server.on(PROVIDERS, (_req, res) => res.writeHead(302, { location: '/qhp/elsewhere.json' }).end());
      server.on('/qhp/elsewhere.json', (_req, res) => res.writeHead(301, { location: PROVIDERS }).end());
      const { feed } = await brokenCheck('REDIRECT_LOOP');
      expect(fileOf(feed, server.url(PROVIDERS)).error).toContain(
        `${server.url(PROVIDERS)} -> ${server.url('/qhp/elsewhere.json')} -> ${server.url(PROVIDERS)}`,
      );
      server.off('/qhp/elsewhere.json');
      await recovers();
    });

    it('a redirect is followed (within the bound)', async () => {
      server.on(PROVIDERS, (_req, res) => res.writeHead(301, { location: '/qhp/v2/providers.json' }).end());
      server.serveFixture('/qhp/v2/providers.json', 'good/providers.json');
      const result = await fetcher.check(GOOD_ISSUER);
      // The target's copy is the one we have: a 304 through the redirect.
      expect(result.outcome).toBe('not-modified');
      expect(server.hits.get('/qhp/v2/providers.json')).toBe(1);
      expect(fileOf(await feedOf(app, GOOD_ISSUER), server.url(PROVIDERS))).toMatchObject({ ok: true, httpStatus: 304 });
    });

    it('an HTML page served with status 200 and application/json', async () => {
      server.serve(PROVIDERS, '<!DOCTYPE html>\n<html><body><h1>Site maintenance</h1></body></html>', { 'content-type': 'application/json' });
      const { feed } = await brokenCheck('HTML_NOT_JSON');
      const providers = fileOf(feed, server.url(PROVIDERS));
      expect(providers).toMatchObject({ ok: false, httpStatus: 200, errorCode: 'HTML_NOT_JSON', byteOffset: 0 });
      expect(providers.error).toContain('an HTML page was served instead of JSON (status 200, Content-Type application/json), starting "<!DOCTYPE html>');
      await recovers();
    });

    it('an index that lists a URL that 404s', async () => {
      server.serve(INDEX, JSON.stringify({ plan_urls: ['plans.json'], provider_urls: ['providers.json', 'providers-2.json'], formulary_urls: ['drugs.json'] }));
      const { feed } = await brokenCheck('HTTP_STATUS');
      expect(fileOf(feed, server.url('/qhp/providers-2.json'))).toMatchObject({ ok: false, httpStatus: 404, listed: true });
      expect(feed.error).toContain(`${server.url('/qhp/providers-2.json')}: HTTP 404 Not Found`);
      await recovers();
      // No longer listed: kept with its last health, marked unlisted.
      expect(fileOf(await feedOf(app, GOOD_ISSUER), server.url('/qhp/providers-2.json'))).toMatchObject({ listed: false });
    });

    it('an index pointing to another host over plain HTTP: refused without a request', async () => {
      const insecure = 'http://carrier.example.com/qhp/providers.json';
      server.serve(INDEX, JSON.stringify({ plan_urls: ['plans.json'], provider_urls: [insecure], formulary_urls: ['drugs.json'] }));
      const { feed } = await brokenCheck('INSECURE_URL');
      expect(fileOf(feed, insecure)).toMatchObject({ ok: false, httpStatus: null, errorCode: 'INSECURE_URL' });
      expect(fileOf(feed, insecure).error).toBe(`${insecure}: plain HTTP to carrier.example.com refused; carriers' files are fetched over HTTPS only`);
      await recovers();
    });

    it('an index that is not a valid index: the JSON path says what is wrong', async () => {
      server.serve(INDEX, JSON.stringify({ plan_urls: ['plans.json'], provider_urls: 'providers.json' }));
      const { feed } = await brokenCheck('INVALID_INDEX');
      expect(fileOf(feed, server.url(INDEX))).toMatchObject({ ok: false, errorCode: 'INVALID_INDEX', jsonPath: '$.provider_urls' });
      await recovers();
    });

    it('a file over the size cap: by its Content-Length, and while streaming when it has none', async () => {
      const capped = new FeedFetcher(app.db, testFeedConfig({ maxFileBytes: 4096 }));
      try {
        server.on(PROVIDERS, (_req, res) =>
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(providersBody.length) }).end(providersBody),
        );
        const { feed } = await brokenCheck('TOO_LARGE', () => capped.check(GOOD_ISSUER));
        expect(fileOf(feed, server.url(PROVIDERS)).error).toContain(`file over the size limit of 4096 bytes (Content-Length ${providersBody.length})`);
        server.on(PROVIDERS, (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
          res.end(providersBody);
        });
        const streamed = await brokenCheck('TOO_LARGE', () => capped.check(GOOD_ISSUER));
        expect(fileOf(streamed.feed, server.url(PROVIDERS)).error).toContain('more than 4096 bytes received');
      } finally {
        await capped.close();
      }
      await recovers();
    });

    it('a failed load is not trusted later: the next check downloads everything again instead of accepting 304', async () => {
      server.on(PROVIDERS, (_req, res) => res.writeHead(404).end());
      await brokenCheck('HTTP_STATUS');
      server.off(PROVIDERS);
      serveGoodFeed();
      await fetcher.check(GOOD_ISSUER);
      expect(server.lastHeaders.get(PLANS)?.['if-none-match']).toBeUndefined();
    });
  });

  describe('feeds that were never loaded, and feeds that may not reach this machine', () => {
    const NEVER_LOADED = '55509';
    afterAll(() => removeFeeds(app.db, [NEVER_LOADED]));

    it('feed(issuerId) answers for an issuer nothing of which was ever published', async () => {
      const result = await fetcher.fetch({
        issuerId: NEVER_LOADED,
        indexUrl: server.url('/nowhere/cms-data-index.json'),
        issuerName: 'Nowhere Health',
        state: 'OH',
      });
      expect(result).toMatchObject({ outcome: 'failed', errorCode: 'HTTP_STATUS' });
      const res = await app.gql(
        `query($id: String!) { feed(issuerId: $id) { issuerId issuerName state broken error files { url httpStatus } } issuer(issuerId: $id) { issuerId } }`,
        { id: NEVER_LOADED },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.issuer).toBeNull();
      expect(res.data.feed).toEqual({
        issuerId: NEVER_LOADED,
        issuerName: 'Nowhere Health',
        state: 'OH',
        broken: true,
        error: `${server.url('/nowhere/cms-data-index.json')}: HTTP 404 Not Found`,
        files: [{ url: server.url('/nowhere/cms-data-index.json'), httpStatus: 404 }],
      });
    });

    it('a URL on this machine is refused unless the feed itself is on this machine', async () => {
      const downloader = new HttpDownloader(testFeedConfig());
      try {
        const error = await downloader.download({ url: server.url(PLANS), dest: join(tmpdir(), 'never-written.json'), allowLoopback: false }).catch((e) => e);
        expect(error).toBeInstanceOf(DownloadError);
        expect(error).toMatchObject({ code: 'INSECURE_URL' });
        expect(error.message).toBe(`${server.url(PLANS)}: refused, a public feed may not point to this machine (127.0.0.1)`);
      } finally {
        await downloader.close();
      }
      expect(() => checkFetchableUrl('ftp://carrier.example.com/index.json')).toThrow(/only https:\/\/ URLs can be fetched/);
      expect(checkFetchableUrl('https://carrier.example.com/index.json', false).hostname).toBe('carrier.example.com');
      expect(isLoopbackUrl('http://localhost:8080/x')).toBe(true);
      expect(isLoopbackUrl('https://carrier.example.com/x')).toBe(false);
    });
  });

  describe('reading feed health', () => {
    it('GET /export/feeds.csv: one row per URL', async () => {
      const res = await app.http().get('/export/feeds.csv').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.text.trim().split('\n');
      expect(lines[0]).toMatch(/^issuer_id,issuer_name,state,index_url,feed_status/);
      const mine = lines.filter((line) => line.startsWith(`${GOOD_ISSUER},`));
      expect(mine.length).toBeGreaterThanOrEqual(4);
      expect(mine.some((line) => line.includes(server.url(PROVIDERS)))).toBe(true);
      const broken = await app.http().get('/export/feeds.csv?brokenOnly=true').expect(200);
      expect(broken.text.split('\n').some((line) => line.startsWith(`${GOOD_ISSUER},`))).toBe(false);
    });

    it('data quality shows whether the feed is broken and how long its content has not changed', async () => {
      const res = await app.gql(`query($id: String!) { dataQuality(issuerId: $id) { issuerId feedBroken daysSinceContentChanged } }`, { id: GOOD_ISSUER });
      expect(res.errors).toBeUndefined();
      expect(res.data.dataQuality).toEqual({ issuerId: GOOD_ISSUER, feedBroken: false, daysSinceContentChanged: 0 });
    });
  });
});
