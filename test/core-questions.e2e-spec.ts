import { ensureDemoData } from './helpers/demo-data';
import { startTestApp, TestApp } from './helpers/test-app';

/**
 * The two questions, answered from the seeded demo carriers (seeds/fixtures.ts documents the cases).
 * Expected values are written out literally: they are what a shopper should see.
 */
const JOHN_SMITH = '1483666727';
const PRIYA_RAMAN = '1023265162';
const RIVERSIDE_HOSPITAL = '2233825258';
const ELENA_VASQUEZ = '1226565079';
const UNLISTED_NPI = '1234567893'; // valid check digit, in no directory

const BUCKEYE_BRONZE = '10001OH0010001';
const BUCKEYE_EXPANDED_BRONZE = '10001OH0010002';
const BUCKEYE_SILVER = '10001OH0010003';
const BUCKEYE_GOLD = '10001OH0020001';
const UNLOADED_PLAN = '99999OH0010001';

const ATORVASTATIN_20 = '617310';
const LIPITOR_20 = '617318';
const HUMIRA = '1872980';
const PHENTERMINE = '803353'; // on no formulary

const NETWORK_QUERY = `
  query Network($npis: [String!]!, $planIds: [String!]!, $year: Int) {
    networkCoverage(npis: $npis, planIds: $planIds, year: $year) {
      npi planId year status reason message networkTiers accepting acceptingNewPatients
      addresses { address city state zip phone }
      provider { displayName specialties issuerId }
      plan { marketingName }
    }
  }`;

const DRUG_QUERY = `
  query Drugs($rxnormIds: [String!]!, $planIds: [String!]!, $year: Int) {
    drugCoverage(rxnormIds: $rxnormIds, planIds: $planIds, year: $year) {
      rxnormId planId status reason message drugTier priorAuthorization stepTherapy quantityLimit mailOrder
      costSummary drug { rxnormId drugName }
      costSharing { pharmacyType copayAmount copayOpt coinsuranceRate coinsuranceOpt description }
    }
  }`;

describe('the two questions on the demo data (GraphQL over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await ensureDemoData(t.db);
  });
  afterAll(() => t.close());

  const cell = (rows: any[], key: string, planId: string) => rows.find((r) => (r.npi ?? r.rxnormId) === key && r.planId === planId);

  describe('is my doctor in network?', () => {
    it('answers a doctors × plans grid in one request, one answer per pair', async () => {
      const res = await t.gql(NETWORK_QUERY, {
        npis: [JOHN_SMITH, PRIYA_RAMAN, UNLISTED_NPI],
        planIds: [BUCKEYE_BRONZE, BUCKEYE_SILVER, BUCKEYE_GOLD, UNLOADED_PLAN],
        year: 2026,
      });
      expect(res.errors).toBeUndefined();
      const grid = res.data.networkCoverage;
      expect(grid).toHaveLength(12);
      const statuses = Object.fromEntries(grid.map((r: any) => [`${r.npi}/${r.planId}`, `${r.status}${r.reason ? ':' + r.reason : ''}`]));
      expect(statuses).toEqual({
        [`${JOHN_SMITH}/${BUCKEYE_BRONZE}`]: 'OUT_OF_NETWORK',
        [`${JOHN_SMITH}/${BUCKEYE_SILVER}`]: 'IN_NETWORK',
        [`${JOHN_SMITH}/${BUCKEYE_GOLD}`]: 'IN_NETWORK',
        [`${JOHN_SMITH}/${UNLOADED_PLAN}`]: 'UNKNOWN:PLAN_NOT_LOADED',
        [`${PRIYA_RAMAN}/${BUCKEYE_BRONZE}`]: 'OUT_OF_NETWORK',
        [`${PRIYA_RAMAN}/${BUCKEYE_SILVER}`]: 'IN_NETWORK',
        [`${PRIYA_RAMAN}/${BUCKEYE_GOLD}`]: 'OUT_OF_NETWORK',
        [`${PRIYA_RAMAN}/${UNLOADED_PLAN}`]: 'UNKNOWN:PLAN_NOT_LOADED',
        [`${UNLISTED_NPI}/${BUCKEYE_BRONZE}`]: 'UNKNOWN:PROVIDER_NOT_FOUND',
        [`${UNLISTED_NPI}/${BUCKEYE_SILVER}`]: 'UNKNOWN:PROVIDER_NOT_FOUND',
        [`${UNLISTED_NPI}/${BUCKEYE_GOLD}`]: 'UNKNOWN:PROVIDER_NOT_FOUND',
        [`${UNLISTED_NPI}/${UNLOADED_PLAN}`]: 'UNKNOWN:PLAN_NOT_LOADED',
      });
    });

    it('gives the tier, accepting status and the addresses for an in-network doctor', async () => {
      const res = await t.gql(NETWORK_QUERY, { npis: [JOHN_SMITH], planIds: [BUCKEYE_GOLD], year: 2026 });
      const answer = res.data.networkCoverage[0];
      expect(answer).toMatchObject({
        status: 'IN_NETWORK',
        reason: null,
        networkTiers: ['PREFERRED'],
        accepting: 'accepting',
        acceptingNewPatients: true,
        provider: { displayName: 'John Smith', specialties: ['Family Medicine'], issuerId: '10001' },
        plan: { marketingName: expect.stringContaining('Gold') },
      });
      expect(answer.addresses.length).toBeGreaterThanOrEqual(1);
      expect(answer.addresses[0]).toMatchObject({ city: 'Columbus', state: 'OH', zip: '43215' });
      expect(answer.message).toMatch(/^John Smith is in network for .*Gold.* for 2026 \(PREFERRED tier\)\.$/);
    });

    it('says "some locations" as neither yes nor no for accepting new patients', async () => {
      const res = await t.gql(NETWORK_QUERY, { npis: [ELENA_VASQUEZ], planIds: [BUCKEYE_SILVER] });
      expect(res.data.networkCoverage[0]).toMatchObject({ status: 'IN_NETWORK', accepting: 'accepting in some locations', acceptingNewPatients: null });
      expect(res.data.networkCoverage[0].addresses.map((a: any) => a.zip).sort()).toEqual(['43017', '43210']);
    });

    it('reports a year the plan has not published as UNKNOWN, not as out of network', async () => {
      const res = await t.gql(NETWORK_QUERY, { npis: [RIVERSIDE_HOSPITAL], planIds: [BUCKEYE_EXPANDED_BRONZE], year: 2031 });
      expect(res.data.networkCoverage[0]).toMatchObject({ status: 'UNKNOWN', reason: 'YEAR_NOT_REPORTED' });
    });

    it('looks a provider up by NPI with the plans it is in', async () => {
      const res = await t.gql(
        `{ provider(npi: "${JOHN_SMITH}") { npi type displayName specialties plans { planId networkTier plan { marketingName issuer { issuerId name } } } } }`,
      );
      expect(res.errors).toBeUndefined();
      const provider = res.data.provider;
      expect(provider).toMatchObject({ npi: JOHN_SMITH, type: 'INDIVIDUAL', displayName: 'John Smith', specialties: ['Family Medicine'] });
      expect(provider.plans.map((p: any) => `${p.planId}:${p.networkTier}`)).toEqual([
        `${BUCKEYE_SILVER}:PREFERRED`,
        `${BUCKEYE_GOLD}:PREFERRED`,
        '10001OH0020002:NON-PREFERRED',
      ]);
      expect(provider.plans[0].plan.issuer.issuerId).toBe('10001');
    });

    it('returns null for an NPI no directory lists', async () => {
      const res = await t.gql(`{ provider(npi: "${UNLISTED_NPI}") { npi } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.provider).toBeNull();
    });
  });

  describe('what does my drug cost?', () => {
    it('gives tier, restrictions and a copay in plain language', async () => {
      const res = await t.gql(DRUG_QUERY, { rxnormIds: [ATORVASTATIN_20], planIds: [BUCKEYE_GOLD, BUCKEYE_EXPANDED_BRONZE] });
      expect(res.errors).toBeUndefined();
      const gold = cell(res.data.drugCoverage, ATORVASTATIN_20, BUCKEYE_GOLD);
      expect(gold).toMatchObject({
        status: 'COVERED',
        drugTier: 'GENERIC',
        priorAuthorization: false,
        stepTherapy: false,
        quantityLimit: false,
        costSummary: '$10 copay before deductible, 30-day retail',
        drug: { rxnormId: ATORVASTATIN_20, drugName: expect.stringMatching(/^atorvastatin 20 MG/i) },
      });
      expect(gold.costSharing).toHaveLength(8);
      expect(gold.costSharing.find((c: any) => c.pharmacyType === '3-MONTH-IN-MAIL')).toMatchObject({
        copayAmount: 25,
        description: '$25 copay before deductible, 90-day mail order',
      });
      expect(cell(res.data.drugCoverage, ATORVASTATIN_20, BUCKEYE_EXPANDED_BRONZE).costSummary).toBe('$10 copay after deductible, 30-day retail');
    });

    it('words a coinsurance tier as a percentage, with the deductible rule', async () => {
      const res = await t.gql(DRUG_QUERY, { rxnormIds: [HUMIRA], planIds: [BUCKEYE_GOLD, BUCKEYE_BRONZE] });
      const gold = cell(res.data.drugCoverage, HUMIRA, BUCKEYE_GOLD);
      expect(gold).toMatchObject({ status: 'COVERED', drugTier: 'SPECIALTY', priorAuthorization: true, quantityLimit: true });
      expect(gold.costSummary).toBe('20% coinsurance before deductible, 30-day retail');
      expect(gold.message).toContain('requires prior authorization, a quantity limit');
      expect(cell(res.data.drugCoverage, HUMIRA, BUCKEYE_BRONZE).costSummary).toBe('50% coinsurance after deductible, 30-day retail');
    });

    it('says NOT_COVERED for a drug the plan leaves off its formulary, and UNKNOWN for an unloaded plan', async () => {
      const res = await t.gql(DRUG_QUERY, { rxnormIds: [LIPITOR_20, PHENTERMINE], planIds: [BUCKEYE_BRONZE, UNLOADED_PLAN] });
      expect(res.errors).toBeUndefined();
      expect(cell(res.data.drugCoverage, LIPITOR_20, BUCKEYE_BRONZE)).toMatchObject({
        status: 'NOT_COVERED',
        reason: 'NOT_ON_FORMULARY',
        drugTier: null,
        costSharing: [],
      });
      expect(cell(res.data.drugCoverage, PHENTERMINE, BUCKEYE_BRONZE)).toMatchObject({ status: 'NOT_COVERED', reason: 'NOT_ON_FORMULARY' });
      expect(cell(res.data.drugCoverage, LIPITOR_20, UNLOADED_PLAN)).toMatchObject({ status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED' });
    });

    it('looks a drug up by RXCUI', async () => {
      const res = await t.gql(`{ drug(rxnormId: "${LIPITOR_20}") { rxnormId drugName } missing: drug(rxnormId: "1") { rxnormId } }`);
      expect(res.data.drug).toEqual({ rxnormId: LIPITOR_20, drugName: 'Lipitor 20 MG Oral Tablet' });
      expect(res.data.missing).toBeNull();
    });
  });

  describe('plans', () => {
    it('looks a plan up with its issuer and drug tiers', async () => {
      const res = await t.gql(`{ plan(planId: "${BUCKEYE_GOLD}") { planId state metalLevel years networkTiers issuer { issuerId state }
        drugTiers { drugTier mailOrder costSharing { pharmacyType description } } } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.plan).toMatchObject({
        planId: BUCKEYE_GOLD,
        state: 'OH',
        metalLevel: 'Gold',
        years: [2026],
        networkTiers: ['PREFERRED', 'NON-PREFERRED'],
        issuer: { issuerId: '10001', state: 'OH' },
      });
      const generic = res.data.plan.drugTiers.find((tier: any) => tier.drugTier === 'GENERIC');
      expect(generic.costSharing.find((c: any) => c.pharmacyType === '1-MONTH-IN-RETAIL').description).toBe('$10 copay before deductible, 30-day retail');
    });

    it('pages through plans filtered by issuer, state and year with stable cursors', async () => {
      const page = (after?: string) =>
        t.gql(
          `query($after: String) { plans(issuerId: "10001", state: "OH", year: 2026, first: 2, after: $after) {
          edges { cursor node { planId } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
      const first = await page();
      const second = await page(first.data.plans.pageInfo.endCursor);
      const third = await page(second.data.plans.pageInfo.endCursor);
      const ids = [first, second, third].flatMap((p) => p.data.plans.edges.map((e: any) => e.node.planId));
      // Buckeye Mutual publishes five Ohio plans: pages of 2, 2 and 1, in plan id order, no repeats.
      expect(ids).toEqual([BUCKEYE_BRONZE, BUCKEYE_EXPANDED_BRONZE, BUCKEYE_SILVER, BUCKEYE_GOLD, '10001OH0020002']);
      expect(first.data.plans.pageInfo.hasNextPage).toBe(true);
      expect(third.data.plans.pageInfo.hasNextPage).toBe(false);
    });

    it('refuses a page larger than the cap', async () => {
      const res = await t.gql(`{ plans(first: 1000) { edges { node { planId } } } }`);
      expect(res.errors?.[0]).toMatchObject({ message: 'first must be between 1 and 100 (got 1000)', extensions: { code: 'BAD_USER_INPUT' } });
    });
  });
});
