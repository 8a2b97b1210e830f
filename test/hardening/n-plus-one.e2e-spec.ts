/**
 * No N+1: the number of SQL statements behind a nested query must not grow with the number of rows.
 * Every statement TypeORM sends (on any pool) goes through DataSource.logger.logQuery, which we count.
 */
import { Fixture, loadFixture } from './fixtures/qhp-fixture';
import { captureStatements, SentStatement } from '../helpers/sql-statements';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('SQL statements per request do not grow with rows (no N+1)', () => {
  let t: TestApp;
  let small: Fixture;
  let large: Fixture;
  const sent: SentStatement[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    small = await loadFixture(t.db, { issuerId: '97001', plans: 2, providers: 2, drugs: 2, npiBase: 197_001_000 });
    large = await loadFixture(t.db, { issuerId: '97002', plans: 20, providers: 20, drugs: 20, npiBase: 197_002_000 });
    captureStatements(t.db, sent);
  });
  afterAll(() => t?.close());

  async function run(query: string, variables: Record<string, unknown>) {
    sent.length = 0;
    const res = await t.gql(query, variables);
    expect(res.errors).toBeUndefined();
    return { data: res.data, sql: sent.map(({ sql }) => sql.replace(/\s+/g, ' ').slice(0, 120)) };
  }

  const PLANS = `query($issuerId: String!) {
    plans(issuerId: $issuerId, first: 50) {
      edges { node { planId issuer { name } drugTiers { drugTier costSharing { description } } } }
    }
  }`;

  it('plans { issuer, drugTiers { costSharing } } : same statements for 2 and 20 plans', async () => {
    const two = await run(PLANS, { issuerId: small.issuerId });
    const twenty = await run(PLANS, { issuerId: large.issuerId });

    expect(two.data.plans.edges).toHaveLength(2);
    expect(twenty.data.plans.edges).toHaveLength(20);
    for (const { node } of twenty.data.plans.edges) {
      expect(node.issuer.name).toBe(large.issuerName);
      expect(node.drugTiers.map((tier: { drugTier: string }) => tier.drugTier).sort()).toEqual(['GENERIC', 'PREFERRED-BRAND', 'SPECIALTY']);
      expect(node.drugTiers[0].costSharing).toHaveLength(2);
      expect(node.drugTiers[0].costSharing[0].description).toEqual(expect.any(String));
    }
    // plans, issuers (batched), drug tiers (batched): a handful, whatever the page size.
    expect(twenty.sql.length).toBe(two.sql.length);
    expect(twenty.sql.length).toBeLessThanOrEqual(4);
  });

  const PROVIDER = `query($npi: String!) {
    provider(npi: $npi) { npi plans { planId plan { marketingName issuer { name } drugTiers { drugTier } } } }
  }`;

  it('provider { plans { plan { issuer } } } : same statements for 2 and 20 plans', async () => {
    // A process's first lookup runs twice: it learns the published versions it then keeps (PublishedVersions).
    await run(PROVIDER, { npi: small.npis[1] });
    const two = await run(PROVIDER, { npi: small.npis[0] });
    const twenty = await run(PROVIDER, { npi: large.npis[0] });

    expect(two.data.provider.plans).toHaveLength(2);
    expect(twenty.data.provider.plans).toHaveLength(20);
    expect(twenty.data.provider.plans.map((p: { planId: string }) => p.planId).sort()).toEqual([...large.planIds].sort());
    for (const entry of twenty.data.provider.plans) {
      expect(entry.plan.marketingName).toContain(large.issuerName);
      expect(entry.plan.issuer.name).toBe(large.issuerName);
      expect(entry.plan.drugTiers).toHaveLength(3);
    }
    expect(twenty.sql.length).toBe(two.sql.length);
    expect(twenty.sql.length).toBeLessThanOrEqual(8);
  });

  const GRID = `query($npis: [String!]!, $planIds: [String!]!, $rxcuis: [String!]!) {
    networkCoverage(npis: $npis, planIds: $planIds) {
      status plan { planId issuer { name } drugTiers { costSharing { description } } } provider { displayName addresses { city } }
    }
    drugCoverage(rxnormIds: $rxcuis, planIds: $planIds) {
      status drugTier costSharing { description } plan { planId issuer { name } } drug { drugName }
    }
  }`;

  it('networkCoverage/drugCoverage grids with nested plan fields: same statements for 2×2 and 20×20', async () => {
    const two = await run(GRID, { npis: small.npis, planIds: small.planIds, rxcuis: small.rxcuis });
    const twenty = await run(GRID, { npis: large.npis, planIds: large.planIds, rxcuis: large.rxcuis });

    expect(two.data.networkCoverage).toHaveLength(4);
    expect(twenty.data.networkCoverage).toHaveLength(400);
    expect(twenty.data.drugCoverage).toHaveLength(400);
    for (const answer of twenty.data.networkCoverage) {
      expect(answer.status).toBe('IN_NETWORK');
      expect(answer.plan.issuer.name).toBe(large.issuerName);
      expect(answer.plan.drugTiers).toHaveLength(3);
      expect(answer.provider.addresses[0].city).toBe('Columbus');
    }
    for (const answer of twenty.data.drugCoverage) {
      expect(answer.status).toBe('COVERED');
      expect(answer.plan.issuer.name).toBe(large.issuerName);
      expect(answer.drug.drugName).toMatch(/^Testamycin 97002-/);
    }
    expect(twenty.sql.length).toBe(two.sql.length);
    expect(twenty.sql.length).toBeLessThanOrEqual(14);
  });
});
