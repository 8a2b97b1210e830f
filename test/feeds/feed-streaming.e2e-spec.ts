import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncomingMessage, ServerResponse } from 'node:http';
import { FeedFetcher } from '../../src/feeds/feed-fetcher';
import { ImportProgress } from '../../src/ingest/import-contract';
import { startTestApp, TestApp } from '../helpers/test-app';
import { ALICE, BOB, currentVersionId, ESSENTIAL, GOLD, GOOD_ISSUER, HOSPITAL, networkCoverage, SILVER, versionRow } from '../ingest/ingest-helpers';
import { feedOf, fileOf, removeFeeds } from './feed-helpers';
import { FeedServer, QHP_FIXTURES, startFeedServer, testFeedConfig } from './feed-server';

const INDEX = '/qhp/cms-data-index.json';
const PLANS = '/qhp/plans.json';
const PROVIDERS = '/qhp/providers.json';
const DRUGS = '/qhp/drugs.json';
const providersBody = readFileSync(join(QHP_FIXTURES, 'good/providers.json'));
const HALF = Math.floor(providersBody.length / 2);

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('feeds: the providers file is loaded while it downloads', () => {
  let app: TestApp;
  let server: FeedServer;
  let fetcher: FeedFetcher;
  /** Resolved once the load reports providers records read; reset per test. */
  let providersRead = deferred();
  let recordsBeforeProviders = 0;

  const onProgress = (_issuerId: string, progress: ImportProgress) => {
    if (progress.file !== server.url(PROVIDERS)) recordsBeforeProviders = progress.recordsRead;
    else if (progress.phase === 'reading' && progress.recordsRead > recordsBeforeProviders) providersRead.resolve();
  };

  const answers = async () => ({
    versionId: await currentVersionId(app.db, GOOD_ISSUER),
    network: await networkCoverage(app, [ALICE, BOB, HOSPITAL], [GOLD, SILVER, ESSENTIAL]),
  });

  /**
   * providers.json in two parts: the first half at once, the second only after the load has read
   * providers records from the first (so the load provably runs while the body is downloading). Then
   * `second` finishes the response: the rest of the body, or a fault.
   */
  const servedInTwoParts = (second: (req: IncomingMessage, res: ServerResponse) => void, onRetry?: (req: IncomingMessage, res: ServerResponse) => void) => {
    const state = { secondPartSent: false, readBeforeSecondPart: false };
    server.on(PROVIDERS, (req, res) => {
      if ((server.hits.get(PROVIDERS) ?? 0) > 1 && onRetry) return onRetry(req, res);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(providersBody.length) });
      res.write(providersBody.subarray(0, HALF));
      void providersRead.promise.then(() => {
        state.readBeforeSecondPart = !state.secondPartSent;
        state.secondPartSent = true;
        second(req, res);
      });
    });
    return state;
  };

  beforeAll(async () => {
    app = await startTestApp();
    server = await startFeedServer();
    // The second half waits on the load having read records (plans first, then providers): on a busy
    // machine that can take longer than the 500 ms idle timeout of the fault tests, which would retry the
    // download and end the test's premise, not the load.
    fetcher = new FeedFetcher(app.db, testFeedConfig({ idleTimeoutMs: 5_000 }), { onProgress });
    await removeFeeds(app.db, [GOOD_ISSUER]);
    server.serve(INDEX, JSON.stringify({ plan_urls: ['plans.json'], provider_urls: ['providers.json'], formulary_urls: ['drugs.json'] }));
    server.serveFixture(PLANS, 'good/plans.json');
    server.serveFixture(DRUGS, 'good/drugs.json');
    await fetcher.store.register({ issuerId: GOOD_ISSUER, indexUrl: server.url(INDEX), issuerName: 'Buckeye Health' });
  });

  beforeEach(() => {
    providersRead = deferred();
    recordsBeforeProviders = 0;
    server.hits.delete(PROVIDERS);
  });

  afterAll(async () => {
    await removeFeeds(app.db, [GOOD_ISSUER]);
    await fetcher.close();
    await server.close();
    await app.close();
  });

  it('reads providers records before the download has finished, then publishes the whole file', async () => {
    const state = servedInTwoParts((_req, res) => res.end(providersBody.subarray(HALF)));
    const result = await fetcher.check(GOOD_ISSUER);
    expect(state.readBeforeSecondPart).toBe(true);
    expect(result).toMatchObject({ outcome: 'published', error: null });
    expect(result.import?.counts).toMatchObject({ plans: 3, providers: 7, drugs: 2 });
    const version = await versionRow(app.db, result.versionId!);
    expect(version).toMatchObject({ status: 'published', source: 'feed' });
    const providers = version.source_files.find((f: { name: string }) => f.name === server.url(PROVIDERS));
    const feed = await feedOf(app, GOOD_ISSUER);
    // The version's digest of the file it followed and the health record's are both that of the served file.
    const servedSha256 = createHash('sha256').update(providersBody).digest('hex');
    expect(providers).toMatchObject({ bytes: providersBody.length, sha256: servedSha256 });
    expect(fileOf(feed, server.url(PROVIDERS)).sha256).toBe(servedSha256);
    expect(fileOf(feed, server.url(PROVIDERS))).toMatchObject({ ok: true, httpStatus: 200, bytes: providersBody.length, changed: true });
    const network = (await answers()).network;
    expect(network.find((a) => a.npi === ALICE && a.planId === GOLD)).toMatchObject({ status: 'IN_NETWORK' });
  });

  it('the files download together: the load reads providers while drugs.json is still arriving, and loads it once complete', async () => {
    // A longer idle timeout than the other tests': drugs.json pauses until the load has read providers records.
    const patient = new FeedFetcher(app.db, testFeedConfig({ idleTimeoutMs: 5_000, retries: 0 }), { onProgress });
    const drugsBody = readFileSync(join(QHP_FIXTURES, 'good/drugs.json'));
    const drugsHalf = Math.floor(drugsBody.length / 2);
    let drugsHeld = false;
    server.off(PROVIDERS);
    server.serveFixture(PROVIDERS, 'good/providers.json');
    server.on(DRUGS, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(drugsBody.length) });
      res.write(drugsBody.subarray(0, drugsHalf));
      void providersRead.promise.then(() => {
        drugsHeld = true;
        res.end(drugsBody.subarray(drugsHalf));
      });
    });
    try {
      const result = await patient.check(GOOD_ISSUER);
      expect(drugsHeld).toBe(true);
      expect(result).toMatchObject({ error: null });
      expect(['published', 'unchanged']).toContain(result.outcome);
      const feed = await feedOf(app, GOOD_ISSUER);
      expect(fileOf(feed, server.url(DRUGS))).toMatchObject({ ok: true, httpStatus: 200, bytes: drugsBody.length });
      expect(fileOf(feed, server.url(PROVIDERS))).toMatchObject({ ok: true, bytes: providersBody.length });
    } finally {
      server.off(DRUGS);
      await patient.close();
    }
  });

  it('a connection cut in the second half fails the load that was reading it: the published version stays, health names the byte offset', async () => {
    const before = await answers();
    const cut = (req: IncomingMessage, res: ServerResponse) =>
      res.write(providersBody.subarray(HALF, HALF + 100), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
    const state = servedInTwoParts(cut, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(providersBody.length) });
      res.write(providersBody.subarray(0, HALF + 100), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
    });
    const result = await fetcher.check(GOOD_ISSUER);
    expect(state.readBeforeSecondPart).toBe(true);
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'TRUNCATED', versionId: null });
    expect(await answers()).toEqual(before);
    const feed = await feedOf(app, GOOD_ISSUER);
    expect(feed).toMatchObject({ status: 'broken', outcome: 'failed', error: result.error });
    const providers = fileOf(feed, server.url(PROVIDERS));
    expect(providers).toMatchObject({ ok: false, errorCode: 'TRUNCATED', byteOffset: HALF + 100 });
    expect(providers.error).toContain(`after ${HALF + 100} bytes of ${providersBody.length}`);
    const failedLoads = await app.db.query(`SELECT status FROM dataset_version WHERE issuer_id = $1 AND id > $2`, [GOOD_ISSUER, before.versionId]);
    expect(failedLoads.map((row: { status: string }) => row.status)).toEqual(['failed']);
  });

  it('a cut answered by a retry: the load that had started is dropped and the complete file is loaded (same content: unchanged)', async () => {
    const before = await answers();
    const cut = (req: IncomingMessage, res: ServerResponse) =>
      res.write(providersBody.subarray(HALF, HALF + 100), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
    const state = servedInTwoParts(cut, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(providersBody.length) });
      res.end(providersBody);
    });
    const result = await fetcher.check(GOOD_ISSUER);
    expect(state.readBeforeSecondPart).toBe(true);
    expect(server.hits.get(PROVIDERS)).toBe(2);
    // Every file was downloaded again after the failed check, but its content is the published one's.
    expect(result).toMatchObject({ outcome: 'unchanged', versionId: before.versionId, error: null });
    expect(await answers()).toEqual(before);
    const feed = await feedOf(app, GOOD_ISSUER);
    expect(feed).toMatchObject({ status: 'ok', broken: false, error: null });
    expect(fileOf(feed, server.url(PROVIDERS))).toMatchObject({ ok: true, errorCode: null, bytes: providersBody.length });
  });
});
