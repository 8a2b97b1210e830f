import { ensureDemoData } from '../helpers/demo-data';
import { startTestApp, TestApp } from '../helpers/test-app';
import { NPI, PLAN, RXCUI } from './demo';
import { DIRECTORY_ONLY, FORMULARY_ONLY, loadPartialIssuers } from './rest-fixtures';

/**
 * One answer, two doors: the Marketplace REST API and GraphQL answer the demo grid alike, pair by pair.
 * GraphQL's outcome maps to the Marketplace's coverage (COVERED → Covered, NOT_COVERED → NotCovered,
 * NOT_REPORTED → DataNotProvided), and a brand GraphQL reports NOT_COVERED with a genericCovered is
 * GenericCovered with that generic's RxCUI.
 */

const NPIS = [NPI.johnSmith, NPI.priyaRaman, NPI.riversideHospital, NPI.elenaVasquez, NPI.anaMorales, NPI.unlisted, DIRECTORY_ONLY.npi];
const RXCUIS = [RXCUI.atorvastatin20, RXCUI.lipitor20, RXCUI.eliquis5, RXCUI.humira, RXCUI.phentermine];
const PLANS = [
  PLAN.bronze,
  PLAN.expandedBronze,
  PLAN.silver,
  PLAN.gold,
  PLAN.platinum,
  PLAN.loneStarBronze,
  PLAN.unloaded,
  FORMULARY_ONLY.planId,
  DIRECTORY_ONLY.planId,
];

const OUTCOME_TO_COVERAGE: Record<string, string> = { COVERED: 'Covered', NOT_COVERED: 'NotCovered', NOT_REPORTED: 'DataNotProvided' };
const ACCEPTING = new Set(['accepting', 'not accepting', 'accepting in some locations']);

describe('one answer, two doors: REST and GraphQL on the demo grid', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await ensureDemoData(t.db);
    await loadPartialIssuers(t.db);
  });
  afterAll(() => t.close());

  for (const year of [undefined, 2026, 2031]) {
    const yearText = year ? ` for ${year}` : ' for any year';

    it(`answers "is my doctor in network?" alike${yearText}`, async () => {
      const graphql = await t.gql(
        `query ($npis: [String!]!, $planIds: [String!]!, $year: Int) {
           networkCoverage(npis: $npis, planIds: $planIds, year: $year) {
             npi planId outcome accepting addresses { address address2 city state zip }
           }
         }`,
        { npis: NPIS, planIds: PLANS, year },
      );
      expect(graphql.errors).toBeUndefined();
      const rest = await t.http().get(`/api/v1/providers/covered?providerids=${NPIS.join(',')}&planids=${PLANS.join(',')}${year ? `&year=${year}` : ''}`);
      expect(rest.status).toBe(200);

      const expected = graphql.data.networkCoverage.map((answer: any) => {
        const coverage = OUTCOME_TO_COVERAGE[answer.outcome];
        return {
          npi: answer.npi,
          plan_id: answer.planId,
          coverage,
          addresses:
            coverage === 'Covered'
              ? answer.addresses.map((a: any) => ({
                  street_1: a.address,
                  ...(a.address2 ? { street_2: a.address2 } : {}),
                  city: a.city,
                  state: a.state,
                  zipcode: a.zip,
                }))
              : [],
          accepting: coverage === 'Covered' && ACCEPTING.has(answer.accepting) ? answer.accepting : 'unknown',
        };
      });
      expect(rest.body.coverage).toEqual(expected);
      expect(rest.body.coverage).toHaveLength(NPIS.length * PLANS.length);
      // The grid holds every outcome, so the comparison covers each mapping.
      expect(new Set(rest.body.coverage.map((c: any) => c.coverage))).toEqual(
        year === 2031 ? new Set(['DataNotProvided']) : new Set(['Covered', 'NotCovered', 'DataNotProvided']),
      );
    });

    it(`answers "is my drug covered?" alike${yearText}`, async () => {
      const graphql = await t.gql(
        `query ($rxnormIds: [String!]!, $planIds: [String!]!, $year: Int) {
           drugCoverage(rxnormIds: $rxnormIds, planIds: $planIds, year: $year) { rxnormId planId outcome genericCovered { rxnormId } }
         }`,
        { rxnormIds: RXCUIS, planIds: PLANS, year },
      );
      expect(graphql.errors).toBeUndefined();
      const rest = await t.http().get(`/api/v1/drugs/covered?drugs=${RXCUIS.join(',')}&planids=${PLANS.join(',')}${year ? `&year=${year}` : ''}`);
      expect(rest.status).toBe(200);

      const expected = graphql.data.drugCoverage.map((answer: any) =>
        answer.genericCovered
          ? { rxcui: answer.rxnormId, plan_id: answer.planId, coverage: 'GenericCovered', generic_rxcui: answer.genericCovered.rxnormId }
          : { rxcui: answer.rxnormId, plan_id: answer.planId, coverage: OUTCOME_TO_COVERAGE[answer.outcome] },
      );
      expect(rest.body.coverage).toEqual(expected);
      expect(new Set(rest.body.coverage.map((c: any) => c.coverage))).toEqual(
        year === 2031 ? new Set(['DataNotProvided']) : new Set(['Covered', 'NotCovered', 'DataNotProvided', 'GenericCovered']),
      );
    });
  }

  it("gives the same details as GraphQL's answer fields", async () => {
    const graphql = await t.gql(
      `query ($rxnormIds: [String!]!, $planIds: [String!]!) {
         drugCoverage(rxnormIds: $rxnormIds, planIds: $planIds) {
           rxnormId planId status outcome reason message drugTier priorAuthorization stepTherapy quantityLimit mailOrder costSummary
         }
       }`,
      { rxnormIds: RXCUIS, planIds: [PLAN.gold, PLAN.bronze] },
    );
    const rest = await t.http().get(`/api/v1/drugs/covered?drugs=${RXCUIS.join(',')}&planids=${PLAN.gold},${PLAN.bronze}&details=true`);
    expect(
      rest.body.coverage.map((c: any) => ({
        rxnormId: c.rxcui,
        planId: c.plan_id,
        status: c.details.status,
        outcome: c.details.outcome,
        reason: c.details.reason,
        message: c.details.message,
        drugTier: c.details.drug_tier,
        priorAuthorization: c.details.prior_authorization,
        stepTherapy: c.details.step_therapy,
        quantityLimit: c.details.quantity_limit,
        mailOrder: c.details.mail_order,
        costSummary: c.details.cost_summary,
      })),
    ).toEqual(graphql.data.drugCoverage);
  });
});
