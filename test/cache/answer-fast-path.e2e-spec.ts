import type { Pool, PoolClient } from 'pg';
import { VersionStore } from '../../src/ingest/store/version-publisher';
import { AnswerFastPath } from '../../src/graphql/answer-fast-path';
import { startTestApp, TestApp } from '../helpers/test-app';
import { A, announced, B, startWithTwoIssuers, stopWithTwoIssuers, TwoIssuers } from './two-issuers';

/**
 * The fast path: repeats of a cacheable anonymous GraphQL read are answered (304, or the kept answer when
 * the answer cache is on) before Nest and Apollo, without taking a database connection, until a publish
 * is announced (NOTIFY coverage_published) or the listener is lost.
 */
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The job queue's own polling and heartbeats, which take connections on their timers whatever requests do. */
const JOB_MACHINERY = /pgboss|import_job/i;

/**
 * Counts the connections taken from the API's pool to answer requests (every statement of the API takes
 * one): a checkout whose first statement is the job queue's polling or heartbeat is not counted.
 */
function countCheckouts(t: TestApp): { readonly count: number; stop(): void } {
  const pool = (t.db.driver as unknown as { master: Pool }).master;
  const counter = { count: 0, stop: () => pool.off('acquire', onAcquire) };
  const onAcquire = (client: PoolClient) => {
    const query = client.query;
    client.query = function (this: PoolClient, ...args: unknown[]) {
      client.query = query;
      const first = args[0] as string | { text?: string } | undefined;
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      if (!JOB_MACHINERY.test(text)) counter.count++;
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as PoolClient['query'];
  };
  pool.on('acquire', onAcquire);
  return counter;
}

const planQuery = (issuer: typeof A) => `{ plan(planId: "${issuer.planId}") { planId marketingName } }`;
const getPlan = (t: TestApp, issuer: typeof A, headers: Record<string, string> = {}) =>
  t
    .http()
    .get(`/graphql?${new URLSearchParams({ query: planQuery(issuer) })}`)
    .set({ ...PREFLIGHT, ...headers });

/** Resolves when the fast path is listening again (it reconnects after a short backoff). */
async function listening(t: TestApp): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [row] = await t.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'LISTEN coverage_published' AND datname = current_database()`,
    );
    if (row.n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the fast path never listened again');
}

describe('answer fast path (ETags)', () => {
  let t: TestApp;
  let issuers: TwoIssuers;

  beforeAll(async () => ({ t, issuers } = await startWithTwoIssuers()));
  afterAll(() => stopWithTwoIssuers(t, issuers));

  it('answers 20 revalidations 304 without a database connection, and counts them', async () => {
    const first = await getPlan(t, A);
    expect(first.status).toBe(200);
    const etag = first.headers.etag;
    const metricsBefore = sample((await t.http().get('/metrics')).text, 'http_cache_not_modified_total{api="graphql"}');
    const checkouts = countCheckouts(t);
    for (let i = 0; i < 20; i++) {
      const again = await getPlan(t, A, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toMatch(/^public/);
      expect(again.headers.vary).toBe('Authorization, X-API-Key');
    }
    checkouts.stop();
    expect(checkouts.count).toBe(0);
    const metricsAfter = sample((await t.http().get('/metrics')).text, 'http_cache_not_modified_total{api="graphql"}');
    expect(metricsAfter).toBe(metricsBefore + 20);
  });

  it('answers the new version after a publish of the issuer', async () => {
    const first = await getPlan(t, A);
    await getPlan(t, A, { 'if-none-match': first.headers.etag });
    const variant = await issuers.publish(A);
    const after = await getPlan(t, A, { 'if-none-match': first.headers.etag });
    expect(after.status).toBe(200);
    expect(after.body.data.plan.marketingName).toBe(`${A.last} Health Silver v${variant}`);
    expect(after.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers the previous version again after a rollback', async () => {
    const before = await issuers.publish(A);
    const first = await getPlan(t, A);
    expect(first.body.data.plan.marketingName).toBe(`${A.last} Health Silver v${before}`);
    await getPlan(t, A, { 'if-none-match': first.headers.etag });
    await announced(t.app.get(AnswerFastPath), () => new VersionStore(t.db).republish(A.issuerId));
    const after = await getPlan(t, A, { 'if-none-match': first.headers.etag });
    expect(after.status).toBe(200);
    expect(after.body.data.plan.marketingName).toBe(`${A.last} Health Silver v${before - 1}`);
    // Published again (the newest variant), so later tests see this instance's newest version.
    await issuers.publish(A);
  });

  it("stops answering from memory after another issuer's publish (the generation is global), then resumes", async () => {
    const first = await getPlan(t, A);
    await issuers.publish(B);
    const checkouts = countCheckouts(t);
    const revalidated = await getPlan(t, A, { 'if-none-match': first.headers.etag });
    const afterPublish = checkouts.count;
    const again = await getPlan(t, A, { 'if-none-match': first.headers.etag });
    checkouts.stop();
    // A's answer is unchanged (304), but it was checked against the database once, then remembered again.
    expect(revalidated.status).toBe(304);
    expect(afterPublish).toBeGreaterThan(0);
    expect(again.status).toBe(304);
    expect(checkouts.count).toBe(afterPublish);
  });

  it('answers from the database while the listener is down: a publish missed then is never hidden', async () => {
    const first = await getPlan(t, A);
    await getPlan(t, A, { 'if-none-match': first.headers.etag });
    await t.db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN coverage_published' AND datname = current_database()`);
    const variant = await issuers.publish(A);
    const after = await getPlan(t, A, { 'if-none-match': first.headers.etag });
    expect(after.status).toBe(200);
    expect(after.body.data.plan.marketingName).toBe(`${A.last} Health Silver v${variant}`);
    // Listening again: the fast path resumes with what is answered from now on.
    await listening(t);
    const fresh = await getPlan(t, A);
    const checkouts = countCheckouts(t);
    const repeat = await getPlan(t, A, { 'if-none-match': fresh.headers.etag });
    checkouts.stop();
    expect(repeat.status).toBe(304);
    expect(checkouts.count).toBe(0);
  });

  it('answers REST revalidations 304 without a database connection, and the new answer after a publish', async () => {
    const path = `/api/v1/plans/${A.planId}?year=2026`;
    const first = await t.http().get(path);
    expect(first.status).toBe(200);
    const checkouts = countCheckouts(t);
    for (let i = 0; i < 20; i++) expect((await t.http().get(path).set('if-none-match', first.headers.etag)).status).toBe(304);
    checkouts.stop();
    expect(checkouts.count).toBe(0);
    const variant = await issuers.publish(A);
    const after = await t.http().get(path).set('if-none-match', first.headers.etag);
    expect(after.status).toBe(200);
    expect(JSON.stringify(after.body)).toContain(`${A.last} Health Silver v${variant}`);
    // A keyed caller is not answered from memory: an unknown key is refused.
    expect((await t.http().get(path).set({ 'if-none-match': after.headers.etag, 'x-api-key': 'not-a-key' })).status).toBe(401);
  });

  it('leaves keyed callers to the normal path: an unknown key still gets 401', async () => {
    const first = await getPlan(t, A);
    const keyed = await getPlan(t, A, { 'if-none-match': first.headers.etag, 'x-api-key': 'not-a-key' });
    expect(keyed.status).toBe(401);
  });

  it('leaves variables Apollo cannot read to Apollo (400), even for a remembered question', async () => {
    const first = await getPlan(t, A);
    const unreadable = await t
      .http()
      .get(`/graphql?${new URLSearchParams({ query: planQuery(A), variables: '{not json' })}`)
      .set({ ...PREFLIGHT, 'if-none-match': first.headers.etag });
    expect(unreadable.status).toBe(400);
  });

  it('never answers a mutation over GET (405 stays the normal answer)', async () => {
    const mutation = await t
      .http()
      .get(`/graphql?${new URLSearchParams({ query: 'mutation { __typename }' })}`)
      .set(PREFLIGHT);
    expect(mutation.status).toBe(405);
  });
});

describe('answer fast path (with the answer cache)', () => {
  let t: TestApp;
  let issuers: TwoIssuers;

  beforeAll(async () => {
    t = await startTestApp({ answerCacheMaxBytes: 1024 * 1024 });
    issuers = new TwoIssuers(t.db, t.app.get(AnswerFastPath));
    await issuers.publish(A);
  });
  afterAll(async () => {
    issuers.remove();
    await t.close();
  });

  it('answers a repeated GET and POST with the same body and headers, without a database connection', async () => {
    const first = await getPlan(t, A);
    const checkouts = countCheckouts(t);
    const second = await getPlan(t, A);
    const posted = await t
      .http()
      .post('/graphql')
      .send({ query: planQuery(A) });
    checkouts.stop();
    expect(checkouts.count).toBe(0);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['cache-control']).toBe(first.headers['cache-control']);
    expect(posted.status).toBe(200);
    expect(posted.text).toBe(first.text);
    expect(posted.headers['cache-control']).toBe('no-store');
  });

  it('answers the new version after a publish', async () => {
    await getPlan(t, A);
    const variant = await issuers.publish(A);
    const after = await getPlan(t, A);
    expect(after.body.data.plan.marketingName).toBe(`${A.last} Health Silver v${variant}`);
  });
});

/** Headers that differ between any two responses (the time, the connection, the budget left). */
const VARYING = new Set(['date', 'connection', 'keep-alive', 'x-ratelimit-remaining-ip', 'x-ratelimit-reset-ip']);

/** The fast path's answer carries exactly the normal path's headers and body. */
function expectSameAnswer(normal: { status: number; headers: Record<string, string>; text: string }, fast: typeof normal): void {
  expect(fast.status).toBe(normal.status);
  expect(Object.keys(fast.headers).sort()).toEqual(Object.keys(normal.headers).sort());
  for (const name of Object.keys(normal.headers)) if (!VARYING.has(name)) expect([name, fast.headers[name]]).toEqual([name, normal.headers[name]]);
  expect(fast.text ?? '').toBe(normal.text ?? '');
}

describe('answer fast path in front of Express (the same answer as the normal path)', () => {
  const ORIGIN = 'https://shop.example';
  let t: TestApp;
  let issuers: TwoIssuers;

  beforeAll(async () => {
    t = await startTestApp({ answerCacheMaxBytes: 1024 * 1024, corsOrigins: [ORIGIN] });
    issuers = new TwoIssuers(t.db, t.app.get(AnswerFastPath));
    await issuers.publish(A);
    await issuers.publish(B);
  });
  afterAll(async () => {
    issuers.remove();
    await t.close();
  });

  it('answers a repeated GET with the headers (security, CORS, request id, rate limit, caching) and body of the normal path', async () => {
    const headers = { origin: ORIGIN, 'x-request-id': 'same-question' };
    const normal = await getPlan(t, A, headers);
    expect(normal.status).toBe(200);
    expect(normal.headers['content-security-policy']).toBeDefined();
    expect(normal.headers['access-control-allow-origin']).toBe(ORIGIN);
    const checkouts = countCheckouts(t);
    const fast = await getPlan(t, A, headers);
    checkouts.stop();
    expect(checkouts.count).toBe(0);
    expectSameAnswer(normal, fast);
  });

  it('answers a repeated revalidation 304 with the headers of the normal 304', async () => {
    const first = await getPlan(t, B, { origin: ORIGIN });
    // Another issuer's publish: the next revalidation of B is checked by the normal path (304), then remembered.
    await issuers.publish(A);
    const headers = { origin: ORIGIN, 'x-request-id': 'same-revalidation', 'if-none-match': first.headers.etag };
    const normalCheckouts = countCheckouts(t);
    const normal = await getPlan(t, B, headers);
    normalCheckouts.stop();
    expect(normalCheckouts.count).toBeGreaterThan(0);
    expect(normal.status).toBe(304);
    const checkouts = countCheckouts(t);
    const fast = await getPlan(t, B, headers);
    checkouts.stop();
    expect(checkouts.count).toBe(0);
    expectSameAnswer(normal, fast);
  });

  it('answers a repeated POST with the headers and body of the normal path', async () => {
    const post = () =>
      t
        .http()
        .post('/graphql')
        .set({ origin: ORIGIN, 'x-request-id': 'same-post' })
        .send({ query: `{ plan(planId: "${A.planId}") { planId } }` });
    const normal = await post();
    expect(normal.status).toBe(200);
    const checkouts = countCheckouts(t);
    const fast = await post();
    checkouts.stop();
    expect(checkouts.count).toBe(0);
    expectSameAnswer(normal, fast);
  });

  it('takes other anonymous GraphQL requests straight to the endpoint, with the answer the Express chain gives', async () => {
    // The chain is Express's app.handle; a Marketplace-style ?apikey= that is not ours is anonymous but routed through it.
    const express = t.app.getHttpAdapter().getInstance() as { handle: (...args: unknown[]) => unknown };
    const handle = express.handle;
    let routed = 0;
    express.handle = function (this: unknown, ...args: unknown[]) {
      routed++;
      return handle.apply(this, args);
    };
    try {
      const headers = { origin: ORIGIN, 'x-request-id': 'same-endpoint' };
      const ask = (path: string, body: object) => t.http().post(path).set(headers).send(body);
      const question = { query: `query Endpoint { plan(planId: "${B.planId}") { planId marketingName issuerId } }` };
      const direct = await ask('/graphql', question);
      expect(direct.status).toBe(200);
      expect(direct.body.data.plan.planId).toBe(B.planId);
      const invalid = await ask('/graphql', { query: '{ plan(planId: "x") { noSuchField } }' });
      expect(invalid.status).toBe(400);
      const landing = await t
        .http()
        .get('/graphql')
        .set({ ...headers, accept: 'text/html' });
      expect(landing.status).toBe(200);
      expect(routed).toBe(0);
      expectSameAnswer(await ask('/graphql?apikey=not-ours', question), direct);
      expectSameAnswer(await ask('/graphql?apikey=not-ours', { query: '{ plan(planId: "x") { noSuchField } }' }), invalid);
      expectSameAnswer(
        await t
          .http()
          .get('/graphql?apikey=not-ours')
          .set({ ...headers, accept: 'text/html' }),
        landing,
      );
      expect(routed).toBe(3);
    } finally {
      express.handle = handle;
    }
  });

  it('leaves bodies it cannot read to the normal answers (400 for bad JSON, 413 past the body limit)', async () => {
    await getPlan(t, A);
    const bad = await t.http().post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(bad.body.errors[0].message).toMatch(/^Request body is not valid JSON: /);
    const large = await t
      .http()
      .post('/graphql')
      .send({ query: planQuery(A), padding: 'x'.repeat(2 * 1024 * 1024) });
    expect(large.status).toBe(413);
    expect(large.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    // Still answered from memory afterwards.
    expect(
      (
        await t
          .http()
          .post('/graphql')
          .send({ query: planQuery(A) })
      ).status,
    ).toBe(200);
  });

  it('counts its answers in the HTTP metrics', async () => {
    const series = 'http_requests_total{method="GET",route="/graphql",status="304"}';
    const first = await getPlan(t, A);
    await getPlan(t, A, { 'if-none-match': first.headers.etag });
    const before = sample((await t.http().get('/metrics')).text, series);
    for (let i = 0; i < 5; i++) expect((await getPlan(t, A, { 'if-none-match': first.headers.etag })).status).toBe(304);
    expect(sample((await t.http().get('/metrics')).text, series)).toBe(before + 5);
  });
});

describe('answer fast path and the per-IP rate limit', () => {
  let t: TestApp;
  let issuers: TwoIssuers;

  beforeAll(async () => {
    t = await startTestApp({ answerCacheMaxBytes: 1024 * 1024, rateLimit: { windowSeconds: 60, perIp: 4, perApiKey: 0 } });
    issuers = new TwoIssuers(t.db, t.app.get(AnswerFastPath));
    await issuers.publish(A);
  });
  afterAll(async () => {
    issuers.remove();
    await t.close();
  });

  it('counts remembered answers against the per-IP budget and answers 429 with Retry-After past it', async () => {
    const first = await getPlan(t, A);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-remaining-ip']).toBe('3');
    const revalidated = await getPlan(t, A, { 'if-none-match': first.headers.etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers['x-ratelimit-remaining-ip']).toBe('2');
    expect((await getPlan(t, A)).headers['x-ratelimit-remaining-ip']).toBe('1');
    expect(
      (
        await t
          .http()
          .post('/graphql')
          .send({ query: planQuery(A) })
      ).headers['x-ratelimit-remaining-ip'],
    ).toBe('0');
    for (const limited of [
      await getPlan(t, A, { 'if-none-match': first.headers.etag }),
      await getPlan(t, A),
      await t
        .http()
        .post('/graphql')
        .send({ query: planQuery(A) }),
    ]) {
      expect(limited.status).toBe(429);
      expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(limited.body.errors[0].message).toMatch(/^Rate limit exceeded: 4 requests per 60 seconds from this address; retry after \d+ s$/);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  });
});
