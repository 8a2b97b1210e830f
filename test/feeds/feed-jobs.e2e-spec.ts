import { FEED_FETCH_QUEUE, FeedJobsService } from '../../src/feeds/feed-jobs.service';
import { Client } from 'pg';
import { startTestApp, testDatabaseUrl, TestApp } from '../helpers/test-app';
import { currentVersionId, GOOD_ISSUER } from '../ingest/ingest-helpers';
import { feedOf, removeFeeds } from './feed-helpers';
import { FeedServer, startFeedServer } from './feed-server';

const INDEX = '/jobs/cms-data-index.json';
const PROVIDERS = '/jobs/providers.json';

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('feed checks as durable jobs on the PostgreSQL queue (pg-boss)', () => {
  let server: FeedServer;
  let app: TestApp | null = null;
  const saved = { ...process.env };

  const serveGood = () => {
    server.off(PROVIDERS);
    server.serve(INDEX, JSON.stringify({ plan_urls: ['plans.json'], provider_urls: ['providers.json'], formulary_urls: ['drugs.json'] }));
    for (const name of ['plans', 'providers', 'drugs']) server.serveFixture(`/jobs/${name}.json`, `good/${name}.json`);
  };
  const jobOf = (id: string) => app!.app.get(FeedJobsService).job(id);
  const rawFeed = async (a: TestApp) => (await a.db.query(`SELECT status, outcome FROM feed WHERE issuer_id = $1`, [GOOD_ISSUER]))[0];

  beforeAll(async () => {
    Object.assign(process.env, {
      FEED_JOB_POLL_SECONDS: '1',
      FEED_JOB_RETRY_DELAY_SECONDS: '0',
      FEED_RETRY_BASE_MS: '5',
      FEED_RETRIES: '0',
      FEED_IDLE_TIMEOUT_MS: '60000',
    });
    server = await startFeedServer();
    serveGood();
    app = await startTestApp();
    // As an earlier test's instance stopped mid-check may leave (the run shares one database): a check of
    // the same feed waiting for its retry. removeFeeds clears it, or it would hold the feed's retry slot.
    await app.db.query(
      `INSERT INTO pgboss.job (name, data, state, retry_limit, retry_delay, retry_backoff, start_after, singleton_key, policy)
       VALUES ($1, '{}', 'retry', 3, 60, true, now() + interval '10 minutes', $2, 'stately')`,
      [FEED_FETCH_QUEUE, GOOD_ISSUER],
    );
    await removeFeeds(app.db, [GOOD_ISSUER]);
    await app.db.query(`INSERT INTO feed (issuer_id, index_url, issuer_name) VALUES ($1, $2, 'Buckeye Health')`, [GOOD_ISSUER, server.url(INDEX)]);
  });

  afterAll(async () => {
    process.env = saved;
    if (app) {
      await removeFeeds(app.db, [GOOD_ISSUER]);
      await app.close();
    }
    await server.close();
  });

  it('a queued check is taken by a worker of the instance: the feed is checked and loaded, the job keeps the outcome', async () => {
    const [id] = await app!.app.get(FeedJobsService).enqueue([GOOD_ISSUER]);
    expect(id).toBeDefined();
    const job = await until('the job to complete', async () => {
      const found = await jobOf(id);
      return found?.state === 'completed' && found;
    });
    expect(job.output).toMatchObject({ issuerId: GOOD_ISSUER, outcome: 'published', error: null });
    expect(await currentVersionId(app!.db, GOOD_ISSUER)).toBe((job.output as { versionId: number }).versionId);
    expect(await feedOf(app!, GOOD_ISSUER)).toMatchObject({ status: 'ok', outcome: 'published' });
  });

  it('a check interrupted by a restart is not lost: the job is retried by the next instance; the feed is never reported broken for it', async () => {
    // The providers file stalls mid-body, so the check is still running when the instance stops.
    server.on(PROVIDERS, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      res.write('[');
    });
    const hits = server.hits.get(PROVIDERS) ?? 0;
    const [id] = await app!.app.get(FeedJobsService).enqueue([GOOD_ISSUER]);
    await until('the check to reach the providers file', async () => (server.hits.get(PROVIDERS) ?? 0) > hits);
    expect((await jobOf(id))?.state).toBe('active');

    const first = app!;
    app = null;
    await first.close();
    // The interrupted check left the feed's last finished state as it was, and the job waits for a retry.
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const {
        rows: [feed],
      } = await client.query(`SELECT status, outcome FROM feed WHERE issuer_id = $1`, [GOOD_ISSUER]);
      expect(feed).toEqual({ status: 'ok', outcome: 'published' });
      const {
        rows: [queued],
      } = await client.query(`SELECT state FROM pgboss.job WHERE id = $1`, [id]);
      expect(queued.state).toBe('retry');
    } finally {
      await client.end();
    }

    serveGood();
    app = await startTestApp();
    const job = await until('the retried job to complete', async () => {
      const found = await jobOf(id);
      return found?.state === 'completed' && found;
    });
    expect(job.retryCount).toBeGreaterThanOrEqual(1);
    expect(job.output).toMatchObject({ issuerId: GOOD_ISSUER, error: null });
    expect(['unchanged', 'not-modified', 'published']).toContain((job.output as { outcome: string }).outcome);
    expect(await rawFeed(app)).toMatchObject({ status: 'ok' });
    expect((await feedOf(app, GOOD_ISSUER)).files.every((file) => file.ok)).toBe(true);
  });

  it('FEED_JOB_WORKERS=0: the instance queues checks but takes none', async () => {
    await app!.close();
    process.env.FEED_JOB_WORKERS = '0';
    app = await startTestApp();
    const [id] = await app.app.get(FeedJobsService).enqueue([GOOD_ISSUER]);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await jobOf(id))?.state).toBe('created');
    await app.db.query(`DELETE FROM pgboss.job WHERE id = $1`, [id]);
  });
});
