import { FeedStore } from '../../src/feeds/feed-store';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { createApp } from '../../src/bootstrap';
import { runMigrations } from '../../src/database/data-source-options';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { AnswerFastPath } from '../../src/graphql/answer-fast-path';
import { startTestApp, TestApp, testDatabaseUrl } from '../helpers/test-app';
import { announced } from './two-issuers';

/**
 * Cacheable answers: GraphQL reads over GET (and as automatic persisted queries) carry an ETag derived from
 * the question and the published versions, a public Cache-Control, and get 304 on If-None-Match.
 * Issuer 45454 (Vermont, read by no other test) is published here, then published again.
 */
const ISSUER = '45454';
const PLAN_ID = '45454VT0010001';
const PLAN_QUERY = `query Plan($planId: String!) { plan(planId: $planId) { planId marketingName } }`;
// Apollo's CSRF prevention: a GET must show it is not a simple cross-site request.
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

function getUrl(query: string | null, variables?: unknown, extensions?: unknown): string {
  const params = new URLSearchParams();
  if (query !== null) params.set('query', query);
  if (variables !== undefined) params.set('variables', JSON.stringify(variables));
  if (extensions !== undefined) params.set('extensions', JSON.stringify(extensions));
  return `/graphql?${params}`;
}

describe('cacheable answers (GraphQL over GET, persisted queries, ETag, REST)', () => {
  let t: TestApp;

  let renamed = false;
  /**
   * Publishes a new version of the issuer: its plan's name alternates between two variants (loading the
   * variant already published publishes nothing, so the other one is loaded then).
   */
  async function publish(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const folder = renamed ? ISSUER : `${ISSUER}-renamed`;
      renamed = !renamed;
      const result = await announced(t.app.get(AnswerFastPath), () =>
        new QhpImporter(t.db).import({
          issuerId: ISSUER,
          issuerName: 'Cached Answers Health',
          paths: ['plans.json', 'drugs.json'].map((file) => join(__dirname, 'fixtures', folder, file)),
          source: 'test',
          loadedBy: 'test',
        }),
      );
      if (result.status === 'published') return;
      if (result.status === 'failed') throw new Error(`fixture load failed: ${JSON.stringify(result.report)}`);
    }
    throw new Error('neither variant of the fixture published a new version');
  }

  const getPlan = (headers: Record<string, string> = {}) =>
    t
      .http()
      .get(getUrl(PLAN_QUERY, { planId: PLAN_ID }))
      .set({ ...PREFLIGHT, ...headers });

  beforeAll(async () => {
    t = await startTestApp({ httpCache: { maxAgeSeconds: 120, staleWhileRevalidateSeconds: 900 } });
    await publish();
  });
  afterAll(() => t.close());

  it('answers a query over GET with an ETag and a public Cache-Control from the settings; a repeat has the same ETag', async () => {
    const first = await getPlan();
    expect(first.status).toBe(200);
    expect(first.body.data.plan).toEqual({ planId: PLAN_ID, marketingName: expect.stringMatching(/^Cached Answers Bronze/) });
    expect(first.headers['cache-control']).toBe('public, max-age=120, stale-while-revalidate=900');
    expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
    const repeat = await getPlan();
    expect(repeat.headers.etag).toBe(first.headers.etag);
    expect(repeat.text).toBe(first.text);
  });

  it('gives another ETag to other variables', async () => {
    const other = await t
      .http()
      .get(getUrl(PLAN_QUERY, { planId: '45454VT0010009' }))
      .set(PREFLIGHT);
    expect(other.status).toBe(200);
    expect(other.headers.etag).not.toBe((await getPlan()).headers.etag);
  });

  it('answers If-None-Match with the current ETag by 304 and no body', async () => {
    const { headers } = await getPlan();
    const revalidated = await getPlan({ 'if-none-match': headers.etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.headers.etag).toBe(headers.etag);
    expect(revalidated.headers['cache-control']).toBe('public, max-age=120, stale-while-revalidate=900');
    // Also among several candidates, and weak.
    expect((await getPlan({ 'if-none-match': `"other", W/${headers.etag}` })).status).toBe(304);
    expect((await getPlan({ 'if-none-match': '"not-this-one"' })).status).toBe(200);
  });

  it('changes the ETag once the issuer read publishes a new version, and answers the old one in full', async () => {
    const before = await getPlan();
    await publish();
    const after = await getPlan({ 'if-none-match': before.headers.etag });
    expect(after.status).toBe(200);
    expect(after.body.data.plan.marketingName).not.toBe(before.body.data.plan.marketingName);
    expect(after.headers.etag).toBeDefined();
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((await getPlan({ 'if-none-match': after.headers.etag })).status).toBe(304);
  });

  it("changes the ETag when a carrier's feed is checked (feed health changes without a publish)", async () => {
    const query = `query Feed($issuerId: String!) { issuer(issuerId: $issuerId) { issuerId feed { status lastCheckedAt } } }`;
    const ask = (headers: Record<string, string> = {}) =>
      t
        .http()
        .get(getUrl(query, { issuerId: ISSUER }))
        .set(PREFLIGHT)
        .set(headers);
    const before = await ask();
    expect(before.status).toBe(200);
    expect(before.headers.etag).toBeDefined();
    // As the feed fetcher records a check (which announces it to every instance's fast path).
    const feeds = new FeedStore(t.db);
    await feeds.register({ issuerId: ISSUER, indexUrl: 'https://example.org/cms-data-index.json' });
    await announced(t.app.get(AnswerFastPath), () =>
      feeds.recordFeed(ISSUER, { status: 'broken', outcome: 'failed', error: 'index unreachable', contentChanged: false, versionId: null, checkMs: 1 }),
    );
    const after = await ask({ 'if-none-match': before.headers.etag });
    expect(after.status).toBe(200);
    expect(after.body.data.issuer.feed.status).toBe('broken');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('refuses a mutation over GET with 405 (it would be a cross-site request forgery vector)', async () => {
    const res = await t.http().get(getUrl('mutation { __typename }')).set(PREFLIGHT);
    expect(res.status).toBe(405);
    expect(res.body.errors[0].message).toBe('GET requests only support query operations, not mutation operations');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.etag).toBeUndefined();
  });

  it('refuses a GET without a preflight-forcing header (CSRF prevention)', async () => {
    const res = await t.http().get(getUrl(PLAN_QUERY, { planId: PLAN_ID }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
  });

  it('registers an automatic persisted query, then answers its hash alone over GET, cacheably', async () => {
    const query = `query PersistedPlan($planId: String!) { plan(planId: $planId) { planId } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };

    const unknown = await t
      .http()
      .get(getUrl(null, { planId: PLAN_ID }, extensions))
      .set(PREFLIGHT);
    expect(unknown.body.errors).toEqual([{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]);
    expect(unknown.headers['cache-control']).toBe('no-store');
    expect(unknown.headers.etag).toBeUndefined();

    const registered = await t
      .http()
      .post('/graphql')
      .send({ query, variables: { planId: PLAN_ID }, extensions });
    expect(registered.body).toEqual({ data: { plan: { planId: PLAN_ID } } });

    const byHash = await t
      .http()
      .get(getUrl(null, { planId: PLAN_ID }, extensions))
      .set(PREFLIGHT);
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual({ data: { plan: { planId: PLAN_ID } } });
    expect(byHash.headers.etag).toBeDefined();
    expect(byHash.headers['cache-control']).toMatch(/^public/);
    const again = await t
      .http()
      .get(getUrl(null, { planId: PLAN_ID }, extensions))
      .set({ ...PREFLIGHT, 'if-none-match': byHash.headers.etag });
    expect(again.status).toBe(304);
  });

  it('answers an unknown persisted-query hash with PersistedQueryNotFound', async () => {
    const res = await t
      .http()
      .get(getUrl(null, undefined, { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } }))
      .set(PREFLIGHT);
    expect(res.body.errors[0]).toEqual({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
  });

  it('keeps no-store on POSTs, errors and answers that change without a publish', async () => {
    const post = await t
      .http()
      .post('/graphql')
      .send({ query: PLAN_QUERY, variables: { planId: PLAN_ID } });
    expect(post.headers['cache-control']).toBe('no-store');
    expect(post.headers.etag).toBeUndefined();

    const invalid = await t
      .http()
      .get(getUrl(`{ plan(planId: "${PLAN_ID}") { nope } }`))
      .set(PREFLIGHT);
    expect(invalid.status).toBe(400);
    expect(invalid.headers['cache-control']).toBe('no-store');

    // An import job's status changes while it runs: never cached.
    const job = await t.http().get(getUrl(`{ importJob(id: "00000000-0000-0000-0000-000000000000") { id } }`)).set(PREFLIGHT);
    expect(job.headers['cache-control']).toBe('no-store');
    expect(job.headers.etag).toBeUndefined();
  });

  it('keeps keyed answers out of shared caches (private), still revalidatable', async () => {
    const { plainKey } = await t.app.get(ApiKeysService).create({ label: '', issuerIds: [], partner: 'Caching Site' });
    const res = await getPlan({ 'x-api-key': plainKey });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(res.headers.etag).toBeDefined();
    expect((await getPlan({ 'x-api-key': plainKey, 'if-none-match': res.headers.etag })).status).toBe(304);
  });

  describe('REST reads (/api/v1) share the headers', () => {
    const path = `/api/v1/plans/${PLAN_ID}?year=2026`;

    it('ETag, public Cache-Control, 304 on If-None-Match, a new ETag after a publish', async () => {
      const first = await t.http().get(path);
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('public, max-age=120, stale-while-revalidate=900');
      expect(first.headers.etag).toMatch(/^"[\w-]{32}"$/);
      expect((await t.http().get(path)).headers.etag).toBe(first.headers.etag);
      const revalidated = await t.http().get(path).set('if-none-match', first.headers.etag);
      expect(revalidated.status).toBe(304);
      await publish();
      const after = await t.http().get(path).set('if-none-match', first.headers.etag);
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(first.headers.etag);
    });

    it('keeps no-store on errors', async () => {
      const missing = await t.http().get(`/api/v1/plans/45454VT0010009?year=2026`);
      expect(missing.status).toBe(404);
      expect(missing.headers['cache-control']).toBe('no-store');
      expect(missing.headers.etag).toBeUndefined();
    });
  });
});

describe('cacheable answers with read replicas', () => {
  const primaryUrl = testDatabaseUrl();
  const laggingUrl = (() => {
    const u = new URL(primaryUrl);
    u.pathname = '/cache_lagging_replica';
    return u.toString();
  })();
  const query = getUrl(`{ plan(planId: "${PLAN_ID}") { planId } }`);

  beforeAll(async () => {
    const admin = new Client({ connectionString: primaryUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS cache_lagging_replica');
    await admin.query('CREATE DATABASE cache_lagging_replica');
    await admin.end();
    // Migrated but without any published version: a replica that has not replayed the publishes yet.
    await runMigrations(laggingUrl);
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: primaryUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS cache_lagging_replica WITH (FORCE)');
    await admin.end();
  });

  it('gives an ETag when every server has the same published versions', async () => {
    const app = await createApp({ dbPoolSize: 2, databaseReplicaUrls: [primaryUrl] }, primaryUrl, { logger: false });
    await app.init();
    try {
      const res = await request(app.getHttpServer()).get(query).set(PREFLIGHT);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBeDefined();
      expect(res.headers['cache-control']).toMatch(/^public/);
    } finally {
      await app.close();
    }
  });

  it('answers no-store, without an ETag, while a replica has not the published versions of the primary', async () => {
    const app = await createApp({ dbPoolSize: 2, databaseReplicaUrls: [laggingUrl] }, primaryUrl, { logger: false });
    await app.init();
    try {
      const res = await request(app.getHttpServer()).get(query).set(PREFLIGHT);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['cache-control']).toBe('no-store');
      const rest = await request(app.getHttpServer()).get(`/api/v1/plans/${PLAN_ID}?year=2026`);
      expect(rest.headers.etag).toBeUndefined();
      expect(rest.headers['cache-control']).toBe('no-store');
    } finally {
      await app.close();
    }
  });
});
