import { DEMO_FIXTURES } from '../../seeds/fixtures';
import { ensureDemoData } from '../helpers/demo-data';
import { startTestApp, TestApp } from '../helpers/test-app';

const FIND = `
  query Find($state: String, $zip: String, $countyFips: String, $year: Int!, $npis: [String!], $rxnormIds: [String!],
             $metalLevels: [String!], $issuerId: String, $coveringAll: Boolean, $first: Int) {
    findPlans(state: $state, zip: $zip, countyFips: $countyFips, year: $year, npis: $npis, rxnormIds: $rxnormIds,
              metalLevels: $metalLevels, issuerId: $issuerId, coveringAll: $coveringAll, first: $first) {
      state plansConsidered plansCoveringAll note
      plans {
        rank planId plan { marketingName metalLevel issuer { name } }
        coversAll doctorsInNetwork doctorsUnknown doctorsTotal npisNotInNetwork
        drugsCovered drugsTotal rxnormIdsNotCovered estimatedMonthlyDrugCost monthlyCopayTotal costNotes
      }
    }
  }`;

const { plans: PLAN, providers } = DEMO_FIXTURES;
const JOHN_SMITH = providers.johnSmith.npi;
const LIPITOR_20 = '617318';
const ATORVASTATIN_20 = '617310';

describe('findPlans (GraphQL over HTTP, demo data)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await ensureDemoData(t.db);
  });
  afterAll(() => t.close());

  const find = async (variables: Record<string, unknown>) => {
    const res = await t.gql(FIND, { year: 2026, ...variables });
    expect(res.errors).toBeUndefined();
    return res.data.findPlans;
  };
  const errorOf = async (variables: Record<string, unknown>): Promise<any> => {
    const res = await t.gql(FIND, { year: 2026, ...variables });
    expect(res.data).toBeNull();
    return res.errors?.[0];
  };

  // Other test files add Ohio plans of their own to the shared database: the demo plans are asserted among them.
  it("ranks the plans of a ZIP's state by doctors and drugs covered, then by the monthly drug estimate", async () => {
    const found = await find({ zip: '43215', npis: [JOHN_SMITH], rxnormIds: [LIPITOR_20], first: 100 });
    // Buckeye Mutual's five Ohio plans and Lakeshore's five, at least; only Buckeye's Gold and Silver have both.
    expect(found).toMatchObject({ state: 'OH', plansCoveringAll: 2 });
    expect(found.plansConsidered).toBeGreaterThanOrEqual(10);
    expect(found.plans).toHaveLength(found.plansConsidered);
    expect(found.note).toMatch(/^\d+ published plans in OH for 2026; 2 cover every chosen doctor and drug\. .*service areas/);
    expect(found.plans.slice(0, 3).map((p: any) => [p.rank, p.planId, p.coversAll, p.estimatedMonthlyDrugCost])).toEqual([
      // John Smith in network and Lipitor at an $80 copay: a known monthly cost ranks before...
      [1, PLAN.buckeyeGold, true, 80],
      // ...the Silver plan, which covers both too but prices Lipitor by coinsurance (no dollar estimate).
      [2, PLAN.buckeyeSilver, true, null],
      // John Smith in network, Lipitor not on the (generic-only) Platinum formulary.
      [3, PLAN.buckeyePlatinum, false, 0],
    ]);
    const gold = found.plans[0];
    expect(gold).toMatchObject({
      plan: { marketingName: 'Buckeye Mutual Gold PPO 1500', metalLevel: 'Gold', issuer: { name: 'Buckeye Mutual Health' } },
      doctorsInNetwork: 1,
      doctorsTotal: 1,
      npisNotInNetwork: [],
      drugsCovered: 1,
      drugsTotal: 1,
      rxnormIdsNotCovered: [],
      monthlyCopayTotal: 80,
      costNotes: '1 covered drug: $80 in copays per 30-day in-network retail fill.',
    });
    expect(found.plans[2].rxnormIdsNotCovered).toEqual([LIPITOR_20]);
    const byId = (planId: string) => found.plans.find((p: any) => p.planId === planId);
    // Lipitor covered at $100, John Smith not in Lakeshore's network: after every plan that has him.
    expect(byId(PLAN.lakeshoreGold)).toMatchObject({ coversAll: false, estimatedMonthlyDrugCost: 100, npisNotInNetwork: [JOHN_SMITH], drugsCovered: 1 });
    expect(byId(PLAN.lakeshoreGold).rank).toBeGreaterThan(3);
    // Buckeye Bronze misses John Smith and prices Lipitor by coinsurance: below Lakeshore Gold's known $100.
    expect(byId(PLAN.buckeyeBronze)).toMatchObject({ coversAll: false, doctorsInNetwork: 0 });
    expect(found.plans.indexOf(byId(PLAN.buckeyeBronze))).toBeGreaterThan(found.plans.indexOf(byId(PLAN.lakeshoreGold)));
  });

  it('keeps only the plans covering everything, or some metal levels, or one issuer', async () => {
    const all = await find({ state: 'OH', npis: [JOHN_SMITH], rxnormIds: [LIPITOR_20], coveringAll: true });
    expect(all.plans.map((p: any) => p.planId)).toEqual([PLAN.buckeyeGold, PLAN.buckeyeSilver]);
    expect(all.plansCoveringAll).toBe(2);

    const gold = await find({ countyFips: '39049', rxnormIds: [ATORVASTATIN_20], metalLevels: ['gold'], first: 100 });
    expect(gold.state).toBe('OH');
    expect(new Set(gold.plans.map((p: any) => p.plan.metalLevel))).toEqual(new Set(['Gold']));
    expect(gold.plans.map((p: any) => p.planId)).toEqual(expect.arrayContaining([PLAN.buckeyeGold, PLAN.lakeshoreGold]));

    const buckeye = await find({ state: 'OH', issuerId: '10001', first: 2 });
    expect(buckeye.plansConsidered).toBe(5);
    expect(buckeye.plans).toHaveLength(2);
    // Nothing asked about: every plan covers "everything", ranks tie.
    expect(buckeye.plans.map((p: any) => [p.rank, p.coversAll])).toEqual([
      [1, true],
      [1, true],
    ]);
  });

  it('says in words what is wrong with the place asked about', async () => {
    expect(await errorOf({ zip: '00000' })).toMatchObject({
      message: 'Unknown ZIP code 00000: it has no known location',
      extensions: { code: 'BAD_USER_INPUT', field: 'zip' },
    });
    expect((await errorOf({ zip: '4321' })).message).toBe('zip must be a 5-digit US ZIP code (got "4321")');
    expect((await errorOf({ state: 'TX', zip: '43215' })).message).toBe('ZIP code 43215 is in OH, not TX');
    expect((await errorOf({ countyFips: '99001' })).message).toBe('Unknown county FIPS code 99001: its first two digits name no state');
    expect((await errorOf({ state: 'TX', countyFips: '39049' })).message).toBe('County 39049 is in OH, not TX');
    expect((await errorOf({})).message).toBe('Give a state, a zip or a countyFips to say where the plans are sold');
    expect((await errorOf({ state: 'OH', metalLevels: ['Titanium'] })).message).toMatch(
      /metalLevels: each must be one of Catastrophic, Bronze, Silver, Gold, Platinum/,
    );
    expect((await errorOf({ state: 'OH', npis: ['1234567890'] })).message).toMatch(/npis\[0\].*check digit/);
  });

  it('finds nothing, without an error, for a year no plan is offered', async () => {
    const none = await find({ state: 'OH', year: 2099 });
    expect(none).toMatchObject({ state: 'OH', plansConsidered: 0, plansCoveringAll: 0, plans: [] });
    expect(none.note).toBe('0 published plans in OH for 2099; 0 cover every chosen doctor and drug.');
  });
});
