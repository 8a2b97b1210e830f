/**
 * One request cannot take the service down: aliases and root fields are bounded, searches and research
 * aggregates cost what they cost the database, a search that runs too long is stopped, and searches can
 * never hold every pooled connection, so the two core questions and readiness keep answering.
 *
 * Slow searches are made by holding an exclusive lock on the drug table (every drug search plans against
 * it; networkCoverage does not read it): a search then waits inside PostgreSQL, holding its connection,
 * until the lock is released or its statement timeout stops it.
 */
import { Client } from 'pg';
import { startTestApp, TestApp, testDatabaseUrl } from '../helpers/test-app';

const CORE = `{ networkCoverage(npis: ["1234567893"], planIds: ["99999ZZ9999999"]) { npi planId status reason } }`;
const CORE_ANSWER = [{ npi: '1234567893', planId: '99999ZZ9999999', status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED' }];
const SEARCH = `{ searchDrugs(query: "metformin", first: 5) { edges { node { rxnormId drugName } } } }`;

/** Holds ACCESS EXCLUSIVE on the drug table on its own connection until released. */
async function lockDrugs(): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE drug IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Waits until `count` statements of the API are waiting for a lock (polls pg_stat_activity). */
async function statementsWaitingForLock(count: number): Promise<void> {
  const client = new Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'coverage-api' AND wait_event_type = 'Lock'`,
      );
      if (rows[0].n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

describe('request cost (GraphQL over HTTP)', () => {
  describe('with the default limits', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t?.close());

    it('1,000 aliases of networkCoverage are refused before running, with a 400 naming the limit', async () => {
      const fields = Array.from({ length: 1000 }, (_, i) => `a${i}: networkCoverage(npis: ["1234567893"], planIds: ["99999ZZ9999999"]) { status }`);
      const res = await t.gql(`{ ${fields.join('\n')} }`);
      expect(res.status).toBe(400);
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', aliases: 1000, maxAliases: 20 });
      expect(res.errors?.[0].message).toBe('Too many aliases: 1000 in one request, the limit is 20: split the request');
      const ok = await t.gql(CORE);
      expect(ok.data.networkCoverage).toEqual(CORE_ANSWER);
    });

    it('aliases count inside fragments and nested fields, each time a fragment is spread', async () => {
      const query = `{ ...A ...A ...A } fragment A on Query { x1: plan(planId: "99999ZZ9999999") { planId } x2: plan(planId: "99999ZZ9999998") { p: planId }
        x3: plan(planId: "99999ZZ9999997") { planId } x4: plan(planId: "99999ZZ9999996") { planId } x5: plan(planId: "99999ZZ9999995") { planId }
        x6: plan(planId: "99999ZZ9999994") { planId } x7: plan(planId: "99999ZZ9999993") { planId } }`;
      const res = await t.gql(query);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', aliases: 24 });
    });

    it('50 aliases of a 100-mile provider search are refused', async () => {
      const fields = Array.from({ length: 50 }, (_, i) => `s${i}: searchProviders(filter: { zip: "10001", radiusMiles: 100 }) { edges { cursor } }`);
      const res = await t.gql(`{ ${fields.join('\n')} }`);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('radius searches cost more than lookups: 20 wide searches exceed the complexity limit, 20 lookups do not', async () => {
      const searches = Array.from(
        { length: 20 },
        (_, i) => `s${i}: searchProviders(filter: { zip: "10001", radiusMiles: 100 }, first: 1) { edges { cursor } }`,
      );
      const refused = await t.gql(`{ ${searches.join('\n')} }`);
      expect(refused.status).toBe(400);
      expect(refused.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');

      const lookups = Array.from({ length: 20 }, (_, i) => `l${i}: networkCoverage(npis: ["1234567893"], planIds: ["99999ZZ9999999"]) { status }`);
      const answered = await t.gql(`{ ${lookups.join('\n')} }`);
      expect(answered.errors).toBeUndefined();
      expect(Object.keys(answered.data)).toHaveLength(20);
    });

    it('research aggregates cost more than lookups: 20 of them exceed the complexity limit', async () => {
      const fields = Array.from({ length: 20 }, (_, i) => `r${i}: priorAuthorizationRates(state: "OH") { issuerId }`);
      const res = await t.gql(`{ ${fields.join('\n')} }`);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    });
  });

  it('root fields per request are bounded (configurable)', async () => {
    const t = await startTestApp({ graphqlMaxRootFields: 2 });
    try {
      const res = await t.gql(`{ plans(first: 1) { totalCount } provider(npi: "1234567893") { npi } ${CORE.slice(1, -1)} }`);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', rootFields: 3, maxRootFields: 2 });
      expect(res.errors?.[0].message).toBe('Too many fields at the top of one request: 3, the limit is 2: split the request');
      const ok = await t.gql(CORE);
      expect(ok.data.networkCoverage).toEqual(CORE_ANSWER);
    } finally {
      await t.close();
    }
  });

  it('a search that runs past the statement timeout is stopped with a clear error, and the API keeps answering', async () => {
    const t = await startTestApp({ dbStatementTimeoutMs: 300 });
    const lock = await lockDrugs();
    try {
      const res = await t.gql(SEARCH);
      expect(res.errors?.[0].extensions?.code).toBe('QUERY_TIMEOUT');
      expect(res.errors?.[0].message).toBe(
        'The query was stopped after 300 ms (the statement timeout): narrow it (fewer ids, a smaller radius) or retry later',
      );
      const ok = await t.gql(CORE);
      expect(ok.data.networkCoverage).toEqual(CORE_ANSWER);

      // The Marketplace REST API says the same, as a retryable 503 rather than an internal error.
      const rest = await t.http().get('/api/v1/drugs/autocomplete?q=metformin');
      expect(rest.status).toBe(503);
      expect(rest.headers['retry-after']).toBeDefined();
      expect(rest.body).toMatchObject({ status: '503', message: 'query took too long', error: expect.stringContaining('statement timeout') });
    } finally {
      await lock.release();
      await t.close();
    }
  }, 30_000);

  it('searches cannot hold every connection: with them all stuck, networkCoverage still answers and /ready is 200', async () => {
    // Four connections: at most two for searches (the default keeps the rest for lookups and probes).
    const t = await startTestApp({ dbPoolSize: 4 });
    const lock = await lockDrugs();
    let searches: Promise<Array<{ status: number; errors?: unknown }>> | undefined;
    try {
      searches = Promise.all(Array.from({ length: 6 }, () => t.gql(SEARCH)));
      await statementsWaitingForLock(2);

      const core = await t.gql(CORE);
      expect(core.status).toBe(200);
      expect(core.data.networkCoverage).toEqual(CORE_ANSWER);
      const ready = await t.http().get('/ready');
      expect(ready.status).toBe(200);
    } finally {
      await lock.release();
      const done = await searches;
      await t.close();
      // Every search waited its turn and then answered.
      expect(done?.map((r) => [r.status, r.errors])).toEqual(Array.from({ length: 6 }, () => [200, undefined]));
    }
  }, 30_000);
});
