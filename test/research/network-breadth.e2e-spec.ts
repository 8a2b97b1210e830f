import { startTestApp, TestApp } from '../helpers/test-app';
import { loadSearchFixtures, PLAN, YEAR } from '../search/search-fixtures';

const BREADTH = `
  query Breadth($planIds: [String!], $state: String, $year: Int, $specialty: String, $groupBy: BreadthGroupBy) {
    networkBreadth(planIds: $planIds, state: $state, year: $year, specialty: $specialty, groupBy: $groupBy) {
      planId networkReported providers hospitals plan { marketingName }
      groups { key name providers hospitals }
    }
  }`;

const RANK = `
  query Rank($state: String!, $specialty: String, $year: Int, $order: SortDirection, $first: Int) {
    rankPlansByBreadth(state: $state, specialty: $specialty, year: $year, order: $order, first: $first) {
      rank planId providers plan { marketingName }
    }
  }`;

const ALL_PLANS = [PLAN.silver, PLAN.bronze, PLAN.gold, PLAN.narrow];

describe('networkBreadth and rankPlansByBreadth (GraphQL over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadSearchFixtures(t.db);
  });
  afterAll(() => t.close());

  /** Distinct published in-network NPIs of a plan, counted directly. */
  async function sqlCount(planId: string, where = 'true'): Promise<number> {
    const [row] = await t.db.query(
      `SELECT count(DISTINCT m.npi)::int AS n
         FROM network_membership m
         JOIN issuer i ON i.current_version_id = m.version_id
         JOIN provider p ON p.version_id = m.version_id AND p.record_no = m.record_no
         LEFT JOIN provider_address a ON a.version_id = p.version_id AND a.record_no = p.record_no
        WHERE m.plan_id = $1 AND (${where})`,
      [planId],
    );
    return row.n;
  }

  async function breadth(variables: Record<string, unknown>) {
    const res = await t.gql(BREADTH, variables);
    expect(res.errors).toBeUndefined();
    return res.data.networkBreadth as Array<{
      planId: string;
      providers: number;
      hospitals: number;
      networkReported: boolean;
      groups: Array<{ key: string; name: string | null; providers: number; hospitals: number }>;
    }>;
  }

  it('counts distinct in-network NPIs and hospitals per plan, equal to a direct SQL count', async () => {
    const plans = await breadth({ planIds: ALL_PLANS });
    expect(plans.map((p) => [p.planId, p.providers, p.hospitals, p.networkReported])).toEqual([
      [PLAN.silver, 9, 1, true],
      [PLAN.bronze, 7, 1, true],
      [PLAN.gold, 5, 1, true], // "General Acute Care Hospital" counts as a hospital
      [PLAN.narrow, 2, 0, true],
    ]);
    for (const plan of plans) {
      expect(plan.providers).toBe(await sqlCount(plan.planId));
      expect(plan.hospitals).toBe(await sqlCount(plan.planId, `EXISTS (SELECT 1 FROM unnest(p.facility_types) f WHERE f ILIKE '%hospital%')`));
    }
  });

  it('counts one specialty, case-insensitively, and groups by specialty', async () => {
    const plans = await breadth({ planIds: ALL_PLANS, specialty: 'psychiatry', groupBy: 'SPECIALTY' });
    expect(plans.map((p) => p.providers)).toEqual([3, 2, 2, 1]);
    // Bronze: Johnny Smithson ("Psychiatry") and Sarah Miller ("psychiatry") fall in one group.
    const bronze = plans.find((p) => p.planId === PLAN.bronze)!;
    expect(bronze.groups.find((g) => g.key === 'psychiatry')).toEqual({ key: 'psychiatry', name: null, providers: 2, hospitals: 0 });
    for (const plan of plans) {
      expect(plan.providers).toBe(await sqlCount(plan.planId, `EXISTS (SELECT 1 FROM unnest(p.specialties) s WHERE lower(s) = 'psychiatry')`));
    }
  });

  it('groups by 3-digit ZIP and by state; an NPI with addresses in two areas counts in both', async () => {
    const [silver] = await breadth({ planIds: [PLAN.silver], groupBy: 'ZIP3' });
    expect(Object.fromEntries(silver.groups.map((g) => [g.key, g.providers]))).toEqual({ '457': 7, '456': 1, '431': 1, '437': 1 });
    for (const group of silver.groups) {
      expect(group.providers).toBe(await sqlCount(PLAN.silver, `left(a.zip, 3) = '${group.key}'`));
    }
    const [byState] = await breadth({ planIds: [PLAN.silver], groupBy: 'STATE' });
    expect(byState.groups).toEqual([{ key: 'OH', name: null, providers: 9, hospitals: 1 }]);
  });

  it('groups by county (FIPS code and name) through the county of each address ZIP code', async () => {
    const [silver] = await breadth({ planIds: [PLAN.silver], groupBy: 'COUNTY' });
    // The ZIP3 groups above, by county: the 7 NPIs in 457xx are in Athens (45701, 45710, 45735, 45764,
    // 45780) or Washington (45750); 456xx (45662) is Scioto, 431xx Hocking, 437xx Muskingum.
    expect(silver.groups.map((g) => [g.key, g.name, g.providers, g.hospitals])).toEqual([
      ['39009', 'Athens, OH', 6, 1],
      ['39073', 'Hocking, OH', 1, 0],
      ['39119', 'Muskingum, OH', 1, 0],
      ['39145', 'Scioto, OH', 1, 0],
      ['39167', 'Washington, OH', 1, 0],
    ]);
    for (const group of silver.groups) {
      expect(group.providers).toBe(await sqlCount(PLAN.silver, `left(a.zip, 5) IN (SELECT zip FROM zip_county WHERE county_fips = '${group.key}')`));
    }
  });

  it('takes every plan of a state and year, with the same counts', async () => {
    const plans = await breadth({ state: 'OH', year: YEAR, specialty: 'Psychiatry' });
    expect(plans.map((p) => [p.planId, p.providers])).toEqual([
      [PLAN.silver, 3],
      [PLAN.bronze, 2],
      [PLAN.gold, 2],
      [PLAN.narrow, 1],
    ]);
    const tooMany = await t.gql(BREADTH, { state: 'OH', year: 2032 });
    expect(tooMany.errors?.[0].message).toMatch(/more than 50 published plans/);
  });

  it('ranks the plans of a state by in-network psychiatrists, fewest first, ties sharing a rank', async () => {
    const res = await t.gql(RANK, { state: 'OH', specialty: 'Psychiatry', year: YEAR });
    expect(res.errors).toBeUndefined();
    expect(res.data.rankPlansByBreadth.map((r: any) => [r.rank, r.planId, r.providers])).toEqual([
      [1, PLAN.narrow, 1],
      [2, PLAN.bronze, 2],
      [2, PLAN.gold, 2],
      [4, PLAN.silver, 3],
    ]);
    const most = await t.gql(RANK, { state: 'OH', specialty: 'Psychiatry', year: YEAR, order: 'DESC', first: 1 });
    expect(most.data.rankPlansByBreadth).toEqual([{ rank: 1, planId: PLAN.silver, providers: 3, plan: { marketingName: 'Search Test Silver' } }]);
  });
});
