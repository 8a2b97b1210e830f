import { startTestApp, TestApp } from '../helpers/test-app';
import { loadSearchFixtures, PLAN, RXCUI, YEAR } from './search-fixtures';

const SEARCH_DRUGS = `
  query Drugs($query: String!, $first: Int, $after: String) {
    searchDrugs(query: $query, first: $first, after: $after) {
      edges { cursor node { rxnormId drugName otherNames } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const PLANS_COVERING = `
  query Covering($rxnormId: String!, $state: String, $year: Int, $first: Int, $after: String) {
    plansCovering(rxnormId: $rxnormId, state: $state, year: $year, first: $first, after: $after) {
      edges { node { planId status drugTier priorAuthorization costSummary plan { marketingName } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('searchDrugs and plansCovering (GraphQL over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadSearchFixtures(t.db);
  });
  afterAll(() => t.close());

  async function searchDrugs(query: string, first?: number, after?: string | null) {
    const res = await t.gql(SEARCH_DRUGS, { query, first, after });
    expect(res.errors).toBeUndefined();
    return res.data.searchDrugs as { edges: Array<{ node: { rxnormId: string; drugName: string; otherNames: string[] } }>; pageInfo: any };
  }
  const ids = (result: { edges: Array<{ node: { rxnormId: string } }> }) => result.edges.map((e) => e.node.rxnormId);

  it('autocompletes a generic and a brand by name prefix, one result per RXCUI across issuers', async () => {
    const result = await searchDrugs('zentorv');
    // Both names start with the query; the shorter completion (closer whole word) comes first.
    expect(ids(result)).toEqual([RXCUI.zentorvix, RXCUI.zentorvastatin]);
    // 66666 and 66667 name the RXCUI differently: one result, the other name kept.
    expect(result.edges[1].node).toEqual({
      rxnormId: RXCUI.zentorvastatin,
      drugName: 'Zentorvastatin Calcium 20 MG Oral Tablet',
      otherNames: ['zentorvastatin 20 MG Oral Tablet'],
    });
  });

  it('finds a brand named in brackets, tolerates typos, and looks up an RXCUI given as digits', async () => {
    expect(ids(await searchDrugs('Quellanol'))).toEqual([RXCUI.quellamol]);
    expect(ids(await searchDrugs('zentorvx'))).toEqual([RXCUI.zentorvix, RXCUI.zentorvastatin]);
    expect(ids(await searchDrugs('zentorvastatn'))[0]).toBe(RXCUI.zentorvastatin);
    expect(ids(await searchDrugs('humbolimb'))).toEqual([RXCUI.humbolimab]);
    expect(ids(await searchDrugs(RXCUI.crestrix))).toEqual([RXCUI.crestrix]);
    expect(ids(await searchDrugs('nonexistentdrugname'))).toEqual([]);
  });

  it('pages through the matches without repeating one', async () => {
    const all = ids(await searchDrugs('zentorv', 100));
    const first = await searchDrugs('zentorv', 1);
    const second = await searchDrugs('zentorv', 1, first.pageInfo.endCursor);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...ids(first), ...ids(second)]).toEqual(all);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('asks for at least 3 letters of a name', async () => {
    const res = await t.gql(SEARCH_DRUGS, { query: 'ze' });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/at least 3 characters/);
  });

  it('lists the plans covering a drug with tier and cost, in plan id order', async () => {
    const res = await t.gql(PLANS_COVERING, { rxnormId: RXCUI.zentorvix, state: 'OH', year: YEAR });
    expect(res.errors).toBeUndefined();
    expect(res.data.plansCovering.edges.map((e: any) => e.node)).toEqual([
      {
        planId: PLAN.silver,
        status: 'COVERED',
        drugTier: 'PREFERRED-BRAND',
        priorAuthorization: false,
        costSummary: '$40 copay before deductible, 30-day retail',
        plan: { marketingName: 'Search Test Silver' },
      },
      {
        planId: PLAN.gold,
        status: 'COVERED',
        drugTier: 'PREFERRED-BRAND',
        priorAuthorization: false,
        costSummary: '$20 copay before deductible, 30-day retail',
        plan: { marketingName: 'Research Test Gold' },
      },
    ]);
  });

  it('pages plansCovering and filters by year', async () => {
    const first = await t.gql(PLANS_COVERING, { rxnormId: RXCUI.zentorvastatin, state: 'OH', year: YEAR, first: 3 });
    expect(first.data.plansCovering.edges.map((e: any) => e.node.planId)).toEqual([PLAN.silver, PLAN.bronze, PLAN.gold]);
    expect(first.data.plansCovering.pageInfo.hasNextPage).toBe(true);
    const rest = await t.gql(PLANS_COVERING, {
      rxnormId: RXCUI.zentorvastatin,
      state: 'OH',
      year: YEAR,
      first: 3,
      after: first.data.plansCovering.pageInfo.endCursor,
    });
    expect(rest.data.plansCovering.edges.map((e: any) => e.node.planId)).toEqual([PLAN.narrow]);
    expect(rest.data.plansCovering.edges[0].node.costSummary).toBe('$15 copay before deductible, 30-day retail');

    const otherYear = await t.gql(PLANS_COVERING, { rxnormId: RXCUI.zentorvastatin, state: 'OH', year: YEAR - 1 });
    expect(otherYear.data.plansCovering.edges).toEqual([]);
  });
});
