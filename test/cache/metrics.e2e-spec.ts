import { ApiKeysService } from '../../src/auth/api-keys.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import { postUpload, waitForJob } from '../uploads/upload-helpers';

/** Prometheus metrics at /metrics: requests per operation, 304s, pools, import jobs. */
const ISSUER = '46464';
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

/** The value of one series in Prometheus' text format (null when absent). */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('Prometheus metrics (/metrics)', () => {
  let t: TestApp;
  const scrape = async () => {
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('counts GraphQL requests and their latency per operation name and outcome', async () => {
    for (let i = 0; i < 2; i++) await t.gql(`query PlanLookup { plan(planId: "99999ZZ9999999") { planId } }`);
    await t.gql(`query Broken { plan(planId: "99999ZZ9999999") { nope } }`);
    const text = await scrape();
    expect(sample(text, 'graphql_requests_total{operation="PlanLookup",type="query",outcome="ok"}')).toBe(2);
    expect(sample(text, 'graphql_request_duration_seconds_count{operation="PlanLookup",type="query"}')).toBe(2);
    expect(sample(text, 'graphql_request_duration_seconds_bucket{le="+Inf",operation="PlanLookup",type="query"}')).toBe(2);
    expect(sample(text, 'graphql_requests_total{operation="Broken",type="unknown",outcome="error"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="POST",route="/graphql",status="200"}')).toBeGreaterThanOrEqual(2);
    // Node's own metrics come along.
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('counts REST requests by route template, and 304s of both APIs as cache hits', async () => {
    const query = `/graphql?query=${encodeURIComponent('query Cached { plan(planId: "99999ZZ9999999") { planId } }')}`;
    const first = await t.http().get(query).set(PREFLIGHT);
    expect(
      (
        await t
          .http()
          .get(query)
          .set({ ...PREFLIGHT, 'if-none-match': first.headers.etag })
      ).status,
    ).toBe(304);
    const rest = await t.http().get('/api/v1/drugs/autocomplete?q=ator');
    expect(rest.status).toBe(200);
    expect((await t.http().get('/api/v1/drugs/autocomplete?q=ator').set('if-none-match', rest.headers.etag)).status).toBe(304);
    const text = await scrape();
    expect(sample(text, 'http_cache_not_modified_total{api="graphql"}')).toBe(1);
    expect(sample(text, 'http_cache_not_modified_total{api="rest"}')).toBe(1);
    expect(sample(text, 'graphql_requests_total{operation="Cached",type="query",outcome="not_modified"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="GET",route="/api/v1/drugs/autocomplete",status="200"}')).toBe(1);
  });

  it('reports database pool use and waits', async () => {
    const text = await scrape();
    expect(sample(text, 'db_pool_connections{role="primary",server="0",state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'db_pool_connections{role="primary",server="0",state="in_use"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'db_pool_waiting_requests{role="primary",server="0"}')).toBe(0);
  });

  it('counts import jobs and their durations by outcome', async () => {
    const { plainKey } = await t.app.get(ApiKeysService).create({ label: 'Metered uploads', issuerIds: [ISSUER] });
    const parts = ['plans.json', 'drugs.json'].map((file) => ({ path: `${__dirname}/fixtures/${ISSUER}/${file}` }));
    const accepted = await postUpload(t.app.getHttpServer(), ISSUER, parts, { 'X-API-Key': plainKey });
    expect(accepted.status).toBe(202);
    const job = await waitForJob(t, accepted.body.jobId, plainKey);
    const status = job.status.toLowerCase();
    expect(['succeeded', 'unchanged']).toContain(status);
    const text = await scrape();
    expect(sample(text, `import_jobs_total{status="${status}"}`)).toBe(1);
    expect(sample(text, `import_job_duration_seconds_count{status="${status}"}`)).toBe(1);
  });

  it('is not rate limited and needs no key', async () => {
    expect((await t.http().get('/metrics').set('X-API-Key', 'cov_unknown')).status).toBe(200);
  });
});
