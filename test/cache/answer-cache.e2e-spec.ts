import { AnswerFastPath } from '../../src/graphql/answer-fast-path';
import { startTestApp, TestApp } from '../helpers/test-app';
import { A, B, RXCUI, startWithTwoIssuers, stopWithTwoIssuers, TwoIssuers } from './two-issuers';

/**
 * The in-process answer cache (ANSWER_CACHE_MAX_BYTES): a repeated cacheable query is answered from memory
 * (counted as a hit, same body), a publish of an issuer the answer reads makes the next one computed again,
 * and the cache stays within its byte bound.
 */
const PREFLIGHT = { 'apollo-require-preflight': 'true' };
const NETWORK = `query Network($npis: [String!]!, $planIds: [String!]!) { networkCoverage(npis: $npis, planIds: $planIds, year: 2026) { planId status message } }`;

/** The value of one series in Prometheus' text format (0 when absent: a counter never incremented). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function lookups(t: TestApp) {
  const text = (await t.http().get('/metrics')).text;
  return {
    hits: sample(text, 'graphql_answer_cache_lookups_total{outcome="hit"}'),
    misses: sample(text, 'graphql_answer_cache_lookups_total{outcome="miss"}'),
    evictions: sample(text, 'graphql_answer_cache_evictions_total'),
    bytes: sample(text, 'graphql_answer_cache_size{unit="bytes"}'),
    entries: sample(text, 'graphql_answer_cache_size{unit="entries"}'),
  };
}

const post = (t: TestApp, query: string, variables?: Record<string, unknown>) => t.http().post('/graphql').send({ query, variables });

describe('in-process answer cache', () => {
  let t: TestApp;
  let issuers: TwoIssuers;

  beforeAll(async () => ({ t, issuers } = await startWithTwoIssuers({ answerCacheMaxBytes: 1024 * 1024 })));
  afterAll(() => stopWithTwoIssuers(t, issuers));

  it('answers a repeated query (POST) from the cache: a hit, the same body', async () => {
    const variables = { npis: [A.doctor], planIds: [A.planId] };
    const first = await post(t, NETWORK, variables);
    const before = await lookups(t);
    const second = await post(t, NETWORK, variables);
    const after = await lookups(t);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.body.data.networkCoverage[0].status).toBe('IN_NETWORK');
    expect(after.hits).toBe(before.hits + 1);
    expect(after.misses).toBe(before.misses);
    expect(after.entries).toBeGreaterThanOrEqual(1);
    expect(after.bytes).toBeGreaterThan(0);
  });

  it('shares the answer between GET and POST, and keeps the ETag on a GET answered from the cache', async () => {
    const query = `{ drugCoverage(rxnormIds: ["${RXCUI}"], planIds: ["${A.planId}"]) { planId status } }`;
    const posted = await post(t, query);
    const before = await lookups(t);
    const got = await t
      .http()
      .get(`/graphql?${new URLSearchParams({ query })}`)
      .set(PREFLIGHT);
    expect((await lookups(t)).hits).toBe(before.hits + 1);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(posted.body);
    expect(got.headers.etag).toBeDefined();
    expect(got.headers['cache-control']).toMatch(/^public/);
  });

  it("computes the answer again after a publish of the issuer it reads, and keeps others' answers", async () => {
    const onA = { npis: [A.doctor], planIds: [A.planId] };
    const onB = { npis: [B.doctor], planIds: [B.planId] };
    await post(t, NETWORK, onA);
    await post(t, NETWORK, onB);
    await issuers.publish(A);
    const before = await lookups(t);
    const recomputed = await post(t, NETWORK, onA);
    const afterA = await lookups(t);
    expect(afterA.misses).toBe(before.misses + 1);
    const v = issuers.variant(A);
    expect(recomputed.body.data.networkCoverage).toEqual([
      { planId: A.planId, status: 'IN_NETWORK', message: `Dana ${A.last} v${v} is in network for ${A.last} Health Silver v${v} for 2026 (PREFERRED tier).` },
    ]);
    // Issuer B's answer did not change: still a hit.
    await post(t, NETWORK, onB);
    expect((await lookups(t)).hits).toBe(afterA.hits + 1);
  });

  it('keeps no answer with errors, and no answer of a field that changes without a publish', async () => {
    const before = await lookups(t);
    await post(t, `{ plan(planId: "${A.planId}") { nope } }`);
    await post(t, `{ importJob(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    await post(t, `{ importJob(id: "00000000-0000-0000-0000-000000000000") { id } }`);
    const after = await lookups(t);
    expect(after.hits).toBe(before.hits);
    expect(after.entries).toBe(before.entries);
  });
});

describe('in-process answer cache bound', () => {
  let t: TestApp;
  let issuers: TwoIssuers;
  const BOUND = 1500;
  // Each answer is a few hundred bytes: the bound holds a few of them.
  const ask = (i: number) => post(t, `query Plan${i} { plan(planId: "${A.planId}") { planId marketingName summaryUrl planContact years } }`);

  beforeAll(async () => {
    t = await startTestApp({ answerCacheMaxBytes: BOUND });
    issuers = new TwoIssuers(t.db, t.app.get(AnswerFastPath));
    await issuers.publish(A);
  });
  afterAll(async () => {
    issuers.remove();
    await t.close();
  });

  it('evicts the least recently used answers to stay within ANSWER_CACHE_MAX_BYTES', async () => {
    const size = Buffer.byteLength((await ask(0)).text);
    const count = Math.ceil((3 * BOUND) / size);
    for (let i = 1; i < count; i++) expect((await ask(i)).status).toBe(200);
    const filled = await lookups(t);
    expect(filled.bytes).toBeLessThanOrEqual(BOUND);
    expect(filled.bytes).toBeGreaterThan(0);
    expect(filled.evictions).toBeGreaterThanOrEqual(count - Math.floor(BOUND / size));
    // The first answer was evicted: asked again, it is a miss (and the right answer).
    const again = await ask(0);
    expect(again.body.data.plan.planId).toBe(A.planId);
    expect((await lookups(t)).misses).toBe(filled.misses + 1);
    // The most recent one is still there.
    await ask(count - 1);
    expect((await lookups(t)).hits).toBe(filled.hits + 1);
  });
});
