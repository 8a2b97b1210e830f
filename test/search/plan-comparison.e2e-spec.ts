import { startTestApp, TestApp } from '../helpers/test-app';
import { loadSearchFixtures, NPI, PLAN, RXCUI, YEAR } from './search-fixtures';

const COMPARE = `
  query Compare($npis: [String!], $rxnormIds: [String!], $planIds: [String!], $state: String, $year: Int) {
    comparePlans(npis: $npis, rxnormIds: $rxnormIds, planIds: $planIds, state: $state, year: $year) {
      plans {
        planId plan { marketingName }
        doctorsInNetwork doctorsTotal doctorsUnknown
        drugsCovered drugsTotal drugsWithCoinsurance monthlyCopayTotal estimatedMonthlyDrugCost costNotes
      }
      doctors { npi planId status }
      drugs { rxnormId planId status drugTier costSummary }
    }
  }`;

describe('comparePlans (GraphQL over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadSearchFixtures(t.db);
  });
  afterAll(() => t.close());

  it('summarises doctors and drug costs per plan, next to the full grids', async () => {
    const res = await t.gql(COMPARE, {
      npis: [NPI.johnSmith, NPI.janeSmith, NPI.maryJones],
      rxnormIds: [RXCUI.zentorvastatin, RXCUI.zentorvix, RXCUI.humbolimab],
      planIds: [PLAN.silver, PLAN.bronze, PLAN.gold],
    });
    expect(res.errors).toBeUndefined();
    const { plans, doctors, drugs } = res.data.comparePlans;
    expect(doctors).toHaveLength(9);
    expect(drugs).toHaveLength(9);

    const summary = Object.fromEntries(plans.map(({ planId, plan, costNotes, ...numbers }: any) => [planId, numbers]));
    expect(summary).toEqual({
      // John and Jane in network; GENERIC $10 + PREFERRED-BRAND $40 copays; the specialty drug is 30% coinsurance.
      [PLAN.silver]: {
        doctorsInNetwork: 2,
        doctorsTotal: 3,
        doctorsUnknown: 0,
        drugsCovered: 3,
        drugsTotal: 3,
        drugsWithCoinsurance: 1,
        monthlyCopayTotal: 50,
        estimatedMonthlyDrugCost: null,
      },
      // John and Mary; Zentorvix not covered; GENERIC $25 after deductible; specialty 50% coinsurance.
      [PLAN.bronze]: {
        doctorsInNetwork: 2,
        doctorsTotal: 3,
        doctorsUnknown: 0,
        drugsCovered: 2,
        drugsTotal: 3,
        drugsWithCoinsurance: 1,
        monthlyCopayTotal: 25,
        estimatedMonthlyDrugCost: null,
      },
      // John only (66667 lists Jane in Narrow Silver only); copays $7 (v2) + $20 + $100, all known.
      [PLAN.gold]: {
        doctorsInNetwork: 1,
        doctorsTotal: 3,
        doctorsUnknown: 0,
        drugsCovered: 3,
        drugsTotal: 3,
        drugsWithCoinsurance: 0,
        monthlyCopayTotal: 127,
        estimatedMonthlyDrugCost: 127,
      },
    });
    const notes = Object.fromEntries(plans.map((p: any) => [p.planId, p.costNotes]));
    expect(notes[PLAN.gold]).toBe('3 covered drugs: $127 in copays per 30-day in-network retail fill.');
    expect(notes[PLAN.bronze]).toMatch(/coinsurance .* of 1 drug, which needs a drug price/);
    expect(notes[PLAN.bronze]).toMatch(/1 drug at full price until the deductible is met/);
    expect(notes[PLAN.bronze]).toMatch(/1 drug not covered/);

    const cell = (rxnormId: string, planId: string) => drugs.find((d: any) => d.rxnormId === rxnormId && d.planId === planId);
    expect(cell(RXCUI.zentorvix, PLAN.bronze).status).toBe('NOT_COVERED');
    expect(cell(RXCUI.zentorvastatin, PLAN.gold).costSummary).toBe('$7 copay before deductible, 30-day retail');
    expect(doctors.find((d: any) => d.npi === NPI.janeSmith && d.planId === PLAN.gold).status).toBe('OUT_OF_NETWORK');
  });

  it('compares every plan of a state and year', async () => {
    const res = await t.gql(COMPARE, { npis: [NPI.johnnySmithson], rxnormIds: [], state: 'OH', year: YEAR });
    expect(res.errors).toBeUndefined();
    const plans = res.data.comparePlans.plans;
    expect(plans.map((p: any) => p.planId)).toEqual([PLAN.silver, PLAN.bronze, PLAN.gold, PLAN.narrow]);
    expect(plans.map((p: any) => p.doctorsInNetwork)).toEqual([1, 1, 0, 0]);
    expect(plans[0].estimatedMonthlyDrugCost).toBeNull();
    expect(plans[0].costNotes).toBe('No drugs were asked about.');
  });

  it('answers an unloaded plan as unknown instead of failing', async () => {
    const res = await t.gql(COMPARE, { npis: [NPI.johnSmith], rxnormIds: [RXCUI.zentorvix], planIds: [PLAN.unloaded] });
    expect(res.errors).toBeUndefined();
    expect(res.data.comparePlans.plans).toEqual([
      expect.objectContaining({
        planId: PLAN.unloaded,
        plan: null,
        doctorsInNetwork: 0,
        doctorsUnknown: 1,
        drugsCovered: 0,
        estimatedMonthlyDrugCost: null,
      }),
    ]);
  });

  it('refuses more than 50 plans, however they are chosen', async () => {
    // Issuer 66668 publishes 51 plans in Ohio for 2032.
    const byState = await t.gql(COMPARE, { npis: [NPI.johnSmith], state: 'OH', year: 2032 });
    expect(byState.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(byState.errors?.[0].message).toMatch(/more than 50 published plans in OH for 2032/);

    const planIds = Array.from({ length: 51 }, (_, i) => `66668OH001${String(i + 1).padStart(4, '0')}`);
    const byList = await t.gql(COMPARE, { npis: [NPI.johnSmith], planIds });
    expect(byList.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const neither = await t.gql(COMPARE, { npis: [NPI.johnSmith] });
    expect(neither.errors?.[0].message).toMatch(/pass planIds, or state and year/);
  });
});
