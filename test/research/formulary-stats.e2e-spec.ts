import { startTestApp, TestApp } from '../helpers/test-app';
import { loadSearchFixtures, PLAN, RXCUI } from '../search/search-fixtures';

const STATS = `
  query Stats($rxnormId: String!, $year: Int) {
    drugCoverageStats(rxnormId: $rxnormId, year: $year) {
      rxnormId drug { drugName } plansWithFormulary plansCovering coverageShare priorAuthorizationPlans
      tiers { drugTier plans }
      byIssuer { issuerId issuerName state plansWithFormulary plansCovering coverageShare priorAuthorizationPlans tiers { drugTier plans } }
    }
  }`;

const COMPARE = `
  query Compare($planA: String!, $planB: String!, $first: Int, $after: String) {
    compareFormularies(planA: $planA, planB: $planB, first: $first, after: $after) {
      planA { planId } planB { planId } inBoth onlyInA onlyInB tierDifferences
      differences {
        edges { node { rxnormId drugName difference planATier planBTier planACost planBCost planAPriorAuthorization planBPriorAuthorization } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

const PA_RATES = `
  query Rates($state: String!) {
    priorAuthorizationRates(state: $state) {
      issuerId issuerName plans formularyEntries priorAuthorizationEntries priorAuthorizationRate stepTherapyRate quantityLimitRate
    }
  }`;

describe('formulary research queries (GraphQL over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadSearchFixtures(t.db);
  });
  afterAll(() => t.close());

  it('drugCoverageStats: coverage share and tiers per issuer, totals equal to direct SQL counts', async () => {
    const res = await t.gql(STATS, { rxnormId: RXCUI.humbolimab });
    expect(res.errors).toBeUndefined();
    const stats = res.data.drugCoverageStats;
    const mine = stats.byIssuer.filter((g: any) => g.issuerId.startsWith('6666'));
    expect(mine).toEqual([
      {
        issuerId: '66666',
        issuerName: 'Search Test Health',
        state: 'OH',
        plansWithFormulary: 2,
        plansCovering: 2,
        coverageShare: 1,
        priorAuthorizationPlans: 2,
        tiers: [{ drugTier: 'SPECIALTY', plans: 2 }],
      },
      {
        issuerId: '66667',
        issuerName: 'Research Test Health',
        state: 'OH',
        plansWithFormulary: 2,
        plansCovering: 1,
        coverageShare: 0.5,
        priorAuthorizationPlans: 1,
        tiers: [{ drugTier: 'SPECIALTY', plans: 1 }],
      },
    ]);
    expect(stats.drug.drugName).toBe('humbolimab 40 MG/0.4ML Pen Injector [Humbolix]');

    // Published plans whose issuer published a formulary (66668 has none), and those covering the drug.
    const [sql] = await t.db.query(
      `SELECT count(*)::int AS plans, count(f.plan_id)::int AS covering
         FROM plan p
         JOIN issuer i ON i.current_version_id = p.version_id
         JOIN dataset_version v ON v.id = p.version_id AND v.has_formulary_files
         LEFT JOIN formulary_entry f ON f.version_id = p.version_id AND f.plan_id = p.plan_id AND f.rxnorm_id = $1`,
      [RXCUI.humbolimab],
    );
    expect(stats.plansWithFormulary).toBe(sql.plans);
    expect(stats.plansCovering).toBe(sql.covering);
    expect(stats.plansCovering).toBe(3);
    expect(stats.coverageShare).toBeCloseTo(sql.covering / sql.plans, 4);
  });

  it('compareFormularies: drugs only one plan covers and tier differences, with costs, in RXCUI order', async () => {
    const res = await t.gql(COMPARE, { planA: PLAN.silver, planB: PLAN.bronze });
    expect(res.errors).toBeUndefined();
    const comparison = res.data.compareFormularies;
    expect([comparison.inBoth, comparison.onlyInA, comparison.onlyInB, comparison.tierDifferences]).toEqual([5, 1, 1, 1]);
    expect(comparison.differences.edges.map((e: any) => e.node)).toEqual([
      {
        rxnormId: RXCUI.zentorvix,
        drugName: 'Zentorvix 20 MG Oral Tablet',
        difference: 'ONLY_IN_A',
        planATier: 'PREFERRED-BRAND',
        planBTier: null,
        planACost: '$40 copay before deductible, 30-day retail',
        planBCost: null,
        planAPriorAuthorization: false,
        planBPriorAuthorization: null,
      },
      {
        rxnormId: RXCUI.quellamol,
        drugName: 'quellamol 500 MG Oral Tablet [Quellanol]',
        difference: 'TIER_DIFFERS',
        planATier: 'GENERIC',
        planBTier: 'PREFERRED-BRAND',
        planACost: '$10 copay before deductible, 30-day retail',
        planBCost: '40% coinsurance after deductible, 30-day retail',
        planAPriorAuthorization: false,
        planBPriorAuthorization: false,
      },
      {
        rxnormId: RXCUI.crestrix,
        drugName: 'Crestrix 20 MG Oral Tablet',
        difference: 'ONLY_IN_B',
        planATier: null,
        planBTier: 'PREFERRED-BRAND',
        planACost: null,
        planBCost: '40% coinsurance after deductible, 30-day retail',
        planAPriorAuthorization: null,
        planBPriorAuthorization: false,
      },
    ]);
  });

  it('compareFormularies pages through the differences', async () => {
    const first = await t.gql(COMPARE, { planA: PLAN.silver, planB: PLAN.bronze, first: 2 });
    const rest = await t.gql(COMPARE, {
      planA: PLAN.silver,
      planB: PLAN.bronze,
      first: 2,
      after: first.data.compareFormularies.differences.pageInfo.endCursor,
    });
    const ids = (res: any) => res.data.compareFormularies.differences.edges.map((e: any) => e.node.rxnormId);
    expect(ids(first)).toEqual([RXCUI.zentorvix, RXCUI.quellamol]);
    expect(first.data.compareFormularies.differences.pageInfo.hasNextPage).toBe(true);
    expect(ids(rest)).toEqual([RXCUI.crestrix]);
    expect(rest.data.compareFormularies.differences.pageInfo.hasNextPage).toBe(false);

    const unknown = await t.gql(COMPARE, { planA: PLAN.silver, planB: PLAN.unloaded });
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].message).toMatch(/Plan 99999OH0010001 is not loaded/);
  });

  it('priorAuthorizationRates: per issuer share of formulary entries needing PA, equal to direct SQL', async () => {
    const res = await t.gql(PA_RATES, { state: 'OH' });
    expect(res.errors).toBeUndefined();
    const rates = res.data.priorAuthorizationRates;
    const byIssuer = Object.fromEntries(rates.map((r: any) => [r.issuerId, r]));
    // 66666: 12 entries (6 per plan), 4 with PA, 1 step therapy, 1 quantity limit.
    expect(byIssuer['66666']).toEqual({
      issuerId: '66666',
      issuerName: 'Search Test Health',
      plans: 2,
      formularyEntries: 12,
      priorAuthorizationEntries: 4,
      priorAuthorizationRate: 0.3333,
      stepTherapyRate: 0.0833,
      quantityLimitRate: 0.0833,
    });
    // 66667 v2: Gold 6 entries + Narrow 3; humbolimab on Gold has PA and (since v2) a quantity limit.
    expect(byIssuer['66667']).toEqual({
      issuerId: '66667',
      issuerName: 'Research Test Health',
      plans: 2,
      formularyEntries: 9,
      priorAuthorizationEntries: 1,
      priorAuthorizationRate: 0.1111,
      stepTherapyRate: 0,
      quantityLimitRate: 0.1111,
    });
    expect(byIssuer['66668']).toBeUndefined(); // no formulary published

    const sql: Array<{ issuer_id: string; entries: number; pa: number }> = await t.db.query(
      `SELECT p.issuer_id, count(*)::int AS entries, count(*) FILTER (WHERE f.prior_authorization)::int AS pa
         FROM plan p JOIN issuer i ON i.current_version_id = p.version_id
         JOIN formulary_entry f ON f.version_id = p.version_id AND f.plan_id = p.plan_id
        WHERE p.state = 'OH' GROUP BY p.issuer_id`,
    );
    expect(rates).toHaveLength(sql.length);
    for (const row of sql) {
      expect(byIssuer[row.issuer_id].formularyEntries).toBe(row.entries);
      expect(byIssuer[row.issuer_id].priorAuthorizationEntries).toBe(row.pa);
    }
    const ordered = rates.map((r: any) => r.priorAuthorizationRate);
    expect([...ordered].sort((a, b) => b - a)).toEqual(ordered);
  });
});
