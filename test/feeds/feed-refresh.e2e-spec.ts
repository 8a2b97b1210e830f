import { SchedulerRegistry } from '@nestjs/schedule';
import { Client } from 'pg';
import { ConfigError, loadFeedConfig } from '../../src/config/app-config';
import { FEED_REFRESH_LOCK, FeedRefreshScheduler } from '../../src/feeds/feed-refresh.scheduler';
import { startTestApp, testDatabaseUrl, TestApp } from '../helpers/test-app';
import { currentVersionId, GOOD_ISSUER } from '../ingest/ingest-helpers';
import { feedOf, removeFeeds } from './feed-helpers';
import { FeedServer, startFeedServer } from './feed-server';

const INDEX = '/qhp/cms-data-index.json';

describe('scheduled refresh of every known feed (FEED_REFRESH_CRON)', () => {
  describe('settings', () => {
    it('off by default; a cron expression or @-shorthand turns it on; a bad one is refused with one clear line', () => {
      expect(loadFeedConfig({}).refreshCron).toBeNull();
      expect(loadFeedConfig({ FEED_REFRESH_CRON: 'off' }).refreshCron).toBeNull();
      expect(loadFeedConfig({ FEED_REFRESH_CRON: '0 4 * * *' }).refreshCron).toBe('0 4 * * *');
      expect(loadFeedConfig({ FEED_REFRESH_CRON: '@daily' }).refreshCron).toBe('@daily');
      expect(() => loadFeedConfig({ FEED_REFRESH_CRON: 'every day' })).toThrow(ConfigError);
      expect(() => loadFeedConfig({ FEED_REFRESH_CRON: 'every day' })).toThrow(/FEED_REFRESH_CRON=every day is invalid: expected a cron expression/);
      expect(loadFeedConfig({ FEED_MAX_FILE_SIZE: '2GB' }).maxFileBytes).toBe(2 * 1024 ** 3);
      expect(() => loadFeedConfig({ FEED_CONCURRENCY: '0' })).toThrow(/FEED_CONCURRENCY=0 is invalid/);
    });
  });

  describe('without FEED_REFRESH_CRON', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp();
    });
    afterAll(() => app.close());

    it('schedules nothing', () => {
      expect(app.app.get(SchedulerRegistry).getCronJobs().size).toBe(0);
    });
  });

  describe('with FEED_REFRESH_CRON every second', () => {
    let app: TestApp;
    let server: FeedServer;
    const saved = { ...process.env };

    beforeAll(async () => {
      process.env.FEED_REFRESH_CRON = '* * * * * *';
      process.env.FEED_RETRY_BASE_MS = '5';
      process.env.FEED_RETRIES = '1';
      process.env.FEED_JOB_POLL_SECONDS = '1';
      server = await startFeedServer();
      app = await startTestApp();
      await removeFeeds(app.db, [GOOD_ISSUER]);
    });

    afterAll(async () => {
      process.env = saved;
      await removeFeeds(app.db, [GOOD_ISSUER]);
      await app.close();
      await server.close();
    });

    it('queues a check of every known feed on schedule, which the workers run: a broken feed is tried again and loads once fixed', async () => {
      expect(app.app.get(SchedulerRegistry).getCronJob('feed-refresh')).toBeDefined();
      // Registered while its files are not there yet: broken.
      await app.db.query(`INSERT INTO feed (issuer_id, index_url, issuer_name) VALUES ($1, $2, 'Buckeye Health')`, [GOOD_ISSUER, server.url(INDEX)]);
      const waitFor = async (test: () => Promise<boolean>) => {
        const started = Date.now();
        while (!(await test())) {
          if (Date.now() - started > 30_000) throw new Error('the scheduled refresh did not happen');
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      await waitFor(async () => (await rawStatus()) === 'broken');
      server.serve(INDEX, JSON.stringify({ plan_urls: ['plans.json'], provider_urls: ['providers.json'], formulary_urls: ['drugs.json'] }));
      for (const name of ['plans', 'providers', 'drugs']) server.serveFixture(`/qhp/${name}.json`, `good/${name}.json`);
      await waitFor(async () => (await rawStatus()) === 'ok');
      expect(await currentVersionId(app.db, GOOD_ISSUER)).not.toBeNull();
      const feed = await feedOf(app, GOOD_ISSUER);
      expect(feed).toMatchObject({ status: 'ok', broken: false, brokenSince: null });
      expect(['published', 'not-modified', 'unchanged']).toContain(feed.outcome);
    });

    it('one instance at a time: while another holds the refresh lock, this one skips its turn', async () => {
      const other = new Client({ connectionString: testDatabaseUrl() });
      await other.connect();
      try {
        await other.query(`SELECT pg_advisory_lock($1)`, [FEED_REFRESH_LOCK]);
        expect(await app.app.get(FeedRefreshScheduler).refresh()).toBeNull();
        await other.query(`SELECT pg_advisory_unlock($1)`, [FEED_REFRESH_LOCK]);
        // Its turn again: a check of every feed queued (none twice: one already waiting is kept).
        expect(Array.isArray(await waitForRefresh(app))).toBe(true);
      } finally {
        await other.end();
      }
    });

    const rawStatus = async () => (await app.db.query(`SELECT status FROM feed WHERE issuer_id = $1`, [GOOD_ISSUER]))[0]?.status;
  });
});

/** A refresh of this instance, retried while the scheduled one is running. */
async function waitForRefresh(app: TestApp) {
  const scheduler = app.app.get(FeedRefreshScheduler);
  for (let i = 0; i < 100; i++) {
    const results = await scheduler.refresh();
    if (results) return results;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no refresh ran');
}
