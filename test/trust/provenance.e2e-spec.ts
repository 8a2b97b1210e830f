import { DataQualityService } from '../../src/quality/data-quality.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import { expectedDaysSince, ISSUER, ISSUER_NAME, loadTrustFixtures, NPI, PLAN, RXCUI, SOURCE_FILE } from './trust-fixtures';

/** What the importer keeps and rejects of issuer 44444's fixture files (see its validation report). */
// 2 plans + 4 providers + 6 drugs kept, the bad-NPI provider rejected: 1 / 13.
const EXPECTED_LOAD = { recordsLoaded: 12, recordsRejected: 1, rejectedShare: 0.0769, entriesRejected: 0 };

const PROVENANCE = `provenance { issuerId issuerName datasetVersionId recordType sourceFile lastUpdatedOn loadedAt daysSinceLoad dataAgeDays }`;

describe('trustworthy answers: outcome, provenance and freshness (GraphQL over HTTP)', () => {
  let t: TestApp;
  let versions: Record<string, number>;
  let loadedAt: Record<string, string>;

  /** The provenance block an answer read from `issuerId`'s published version should carry. */
  const provenance = (issuerId: string, recordType: string, sourceFile: string, lastUpdatedOn: string) => ({
    issuerId,
    issuerName: issuerId === ISSUER.main ? ISSUER_NAME.main : ISSUER_NAME.second,
    datasetVersionId: versions[issuerId],
    recordType,
    sourceFile,
    lastUpdatedOn,
    loadedAt: loadedAt[issuerId],
    daysSinceLoad: expectedDaysSince(new Date(loadedAt[issuerId])),
    dataAgeDays: expectedDaysSince(lastUpdatedOn),
  });

  beforeAll(async () => {
    t = await startTestApp();
    versions = (await loadTrustFixtures(t.db)).versionIds;
    const rows: Array<{ issuerId: string; loadedAt: Date }> = await t.db.query(
      `SELECT issuer_id AS "issuerId", COALESCE(published_at, started_at) AS "loadedAt" FROM dataset_version WHERE id = ANY($1::bigint[])`,
      [Object.values(versions)],
    );
    loadedAt = Object.fromEntries(rows.map((r) => [r.issuerId, r.loadedAt.toISOString()]));
  });
  afterAll(() => t.close());

  describe('networkCoverage', () => {
    it('tells covered, not covered and not reported apart, each with the record it was read from', async () => {
      const res = await t.gql(
        `query($npis: [String!]!, $plans: [String!]!) {
           networkCoverage(npis: $npis, planIds: $plans, year: 2026) { npi planId status reason outcome ${PROVENANCE} }
         }`,
        { npis: [NPI.ada, NPI.ben, NPI.nobody], plans: [PLAN.silver, PLAN.unknown] },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.networkCoverage).toEqual([
        {
          npi: NPI.ada,
          planId: PLAN.silver,
          status: 'IN_NETWORK',
          reason: null,
          outcome: 'COVERED',
          provenance: provenance(ISSUER.main, 'PROVIDER_LISTING', SOURCE_FILE.providers, '2025-11-15'),
        },
        { npi: NPI.ada, planId: PLAN.unknown, status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED', outcome: 'NOT_REPORTED', provenance: null },
        {
          // The issuer lists Ben for its Gold plan only: its directory is the record that omits him from Silver.
          npi: NPI.ben,
          planId: PLAN.silver,
          status: 'OUT_OF_NETWORK',
          reason: null,
          outcome: 'NOT_COVERED',
          provenance: provenance(ISSUER.main, 'PROVIDER_LISTING', SOURCE_FILE.providers, '2025-10-01'),
        },
        { npi: NPI.ben, planId: PLAN.unknown, status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED', outcome: 'NOT_REPORTED', provenance: null },
        {
          // Not in any directory, but Silver's directory is loaded for 2026: the plan omits this NPI.
          npi: NPI.nobody,
          planId: PLAN.silver,
          status: 'UNKNOWN',
          reason: 'PROVIDER_NOT_FOUND',
          outcome: 'NOT_COVERED',
          provenance: provenance(ISSUER.main, 'PLAN', SOURCE_FILE.plans, '2025-12-01'),
        },
        { npi: NPI.nobody, planId: PLAN.unknown, status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED', outcome: 'NOT_REPORTED', provenance: null },
      ]);
    });

    it('answers NOT_REPORTED for a year the plan is not loaded for, citing the plan record', async () => {
      const res = await t.gql(`{ networkCoverage(npis: ["${NPI.ada}"], planIds: ["${PLAN.silver}"], year: 2027) { status reason outcome ${PROVENANCE} } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.networkCoverage).toEqual([
        {
          status: 'UNKNOWN',
          reason: 'YEAR_NOT_REPORTED',
          outcome: 'NOT_REPORTED',
          provenance: provenance(ISSUER.main, 'PLAN', SOURCE_FILE.plans, '2025-12-01'),
        },
      ]);
    });

    it('gives every provider listing its own provenance', async () => {
      const res = await t.gql(`{ provider(npi: "${NPI.ada}") { listings { issuerId ${PROVENANCE} } } }`);
      expect(res.errors).toBeUndefined();
      // Newest listing first: 44445 updated it on 2025-12-05, 44444 on 2025-11-15.
      expect(res.data.provider.listings).toEqual([
        { issuerId: ISSUER.second, provenance: provenance(ISSUER.second, 'PROVIDER_LISTING', SOURCE_FILE.providers, '2025-12-05') },
        { issuerId: ISSUER.main, provenance: provenance(ISSUER.main, 'PROVIDER_LISTING', SOURCE_FILE.providers, '2025-11-15') },
      ]);
    });
  });

  describe('drugCoverage', () => {
    it('tells covered, not covered and not reported apart, each with the record it was read from', async () => {
      const res = await t.gql(
        `query($drugs: [String!]!, $plans: [String!]!) {
           drugCoverage(rxnormIds: $drugs, planIds: $plans, year: 2026) { rxnormId planId status reason outcome ${PROVENANCE} }
         }`,
        { drugs: [RXCUI.atorvastatin20, RXCUI.lipitor20], plans: [PLAN.silver, PLAN.bronze, PLAN.unknown] },
      );
      expect(res.errors).toBeUndefined();
      // Drug records carry no date: drug answers cite the plan's last_updated_on (it defines tiers and cost sharing).
      const silverDrug = provenance(ISSUER.main, 'DRUG', SOURCE_FILE.drugs, '2025-12-01');
      const silverPlan = provenance(ISSUER.main, 'PLAN', SOURCE_FILE.plans, '2025-12-01');
      const bronzePlan = provenance(ISSUER.second, 'PLAN', SOURCE_FILE.plans, '2025-12-10');
      expect(res.data.drugCoverage).toEqual([
        { rxnormId: RXCUI.atorvastatin20, planId: PLAN.silver, status: 'COVERED', reason: null, outcome: 'COVERED', provenance: silverDrug },
        {
          rxnormId: RXCUI.atorvastatin20,
          planId: PLAN.bronze,
          status: 'UNKNOWN',
          reason: 'FORMULARY_NOT_REPORTED',
          outcome: 'NOT_REPORTED',
          provenance: bronzePlan,
        },
        { rxnormId: RXCUI.atorvastatin20, planId: PLAN.unknown, status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED', outcome: 'NOT_REPORTED', provenance: null },
        { rxnormId: RXCUI.lipitor20, planId: PLAN.silver, status: 'NOT_COVERED', reason: 'NOT_ON_FORMULARY', outcome: 'NOT_COVERED', provenance: silverPlan },
        {
          rxnormId: RXCUI.lipitor20,
          planId: PLAN.bronze,
          status: 'UNKNOWN',
          reason: 'FORMULARY_NOT_REPORTED',
          outcome: 'NOT_REPORTED',
          provenance: bronzePlan,
        },
        { rxnormId: RXCUI.lipitor20, planId: PLAN.unknown, status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED', outcome: 'NOT_REPORTED', provenance: null },
      ]);
    });

    it('answers NOT_REPORTED for a year the plan is not loaded for', async () => {
      const res = await t.gql(`{ drugCoverage(rxnormIds: ["${RXCUI.atorvastatin20}"], planIds: ["${PLAN.silver}"], year: 2027) { status reason outcome } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.drugCoverage).toEqual([{ status: 'UNKNOWN', reason: 'YEAR_NOT_REPORTED', outcome: 'NOT_REPORTED' }]);
    });
  });

  describe('data quality', () => {
    const QUALITY = `issuerId datasetVersionId lastLoadedAt daysSinceLoad recordsLoaded recordsRejected rejectedShare entriesRejected
      listings listingsWithoutPhone shareWithoutPhone individualListings listingsWithoutAcceptingStatus shareWithoutAcceptingStatus
      listingsWithoutLastUpdatedOn medianLastUpdatedOn oldestLastUpdatedOn medianAgeDays oldestAgeDays`;

    it("measures an issuer's published directory: rejects, missing phones and accepting status, ages", async () => {
      const res = await t.gql(`{ dataQuality(issuerId: "${ISSUER.main}") { ${QUALITY} } }`);
      expect(res.errors).toBeUndefined();
      // 4 listings kept (the bad-NPI record was rejected): Clinic and Dina have no phone; of the 3
      // individuals, Dina states no accepting status. Dates 06-01, 09-01, 10-01, 11-15: median 09-01.
      expect(res.data.dataQuality).toEqual({
        issuerId: ISSUER.main,
        datasetVersionId: versions[ISSUER.main],
        lastLoadedAt: loadedAt[ISSUER.main],
        daysSinceLoad: expectedDaysSince(new Date(loadedAt[ISSUER.main])),
        recordsLoaded: EXPECTED_LOAD.recordsLoaded,
        recordsRejected: EXPECTED_LOAD.recordsRejected,
        rejectedShare: EXPECTED_LOAD.rejectedShare,
        entriesRejected: EXPECTED_LOAD.entriesRejected,
        listings: 4,
        listingsWithoutPhone: 2,
        shareWithoutPhone: 0.5,
        individualListings: 3,
        listingsWithoutAcceptingStatus: 1,
        shareWithoutAcceptingStatus: 0.3333,
        listingsWithoutLastUpdatedOn: 0,
        medianLastUpdatedOn: '2025-09-01',
        oldestLastUpdatedOn: '2025-06-01',
        medianAgeDays: expectedDaysSince('2025-09-01'),
        oldestAgeDays: expectedDaysSince('2025-06-01'),
      });
    });

    it("measures one plan's directory", async () => {
      const res = await t.gql(`{ planDataQuality(planId: "${PLAN.silver}") { planId planLastUpdatedOn planAgeDays ${QUALITY} } }`);
      expect(res.errors).toBeUndefined();
      // Silver lists Ada, the Clinic and Dina: 2 of 3 without phone, Dina of 2 individuals without status.
      expect(res.data.planDataQuality).toMatchObject({
        planId: PLAN.silver,
        planLastUpdatedOn: '2025-12-01',
        planAgeDays: expectedDaysSince('2025-12-01'),
        datasetVersionId: versions[ISSUER.main],
        recordsRejected: EXPECTED_LOAD.recordsRejected,
        listings: 3,
        listingsWithoutPhone: 2,
        shareWithoutPhone: 0.6667,
        individualListings: 2,
        listingsWithoutAcceptingStatus: 1,
        shareWithoutAcceptingStatus: 0.5,
        medianLastUpdatedOn: '2025-09-01',
        oldestLastUpdatedOn: '2025-06-01',
      });
    });

    it('returns null for an issuer or plan with nothing published', async () => {
      const res = await t.gql(`{ dataQuality(issuerId: "99999") { listings } planDataQuality(planId: "${PLAN.unknown}") { listings } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ dataQuality: null, planDataQuality: null });
    });

    it('resolves Plan.dataQuality and Issuer.dataQuality in one batch per request', async () => {
      const quality = t.app.get(DataQualityService);
      const forPlans = jest.spyOn(quality, 'forPlans');
      const forVersions = jest.spyOn(quality, 'forVersions');
      try {
        const res = await t.gql(
          `{ plans(issuerId: "${ISSUER.main}") { edges { node { planId dataQuality { listings } issuer { dataQuality { listings } } } } } }`,
        );
        expect(res.errors).toBeUndefined();
        expect(res.data.plans.edges.map((e: any) => e.node)).toEqual([
          { planId: PLAN.silver, dataQuality: { listings: 3 }, issuer: { dataQuality: { listings: 4 } } },
          { planId: PLAN.gold, dataQuality: { listings: 2 }, issuer: { dataQuality: { listings: 4 } } },
        ]);
        expect(forPlans).toHaveBeenCalledTimes(1);
        expect(forPlans.mock.calls[0][0]).toHaveLength(2);
        expect(forVersions).toHaveBeenCalledTimes(1);
      } finally {
        forPlans.mockRestore();
        forVersions.mockRestore();
      }
    });

    it('computes a version once and keeps it (figures only change on publish)', async () => {
      const before: Array<{ computedAt: Date }> = await t.db.query(`SELECT computed_at AS "computedAt" FROM issuer_quality WHERE version_id = $1`, [
        versions[ISSUER.main],
      ]);
      expect(before).toHaveLength(1);
      const res = await t.gql(`{ dataQuality(issuerId: "${ISSUER.main}") { computedAt } }`);
      expect(res.data.dataQuality.computedAt).toBe(before[0].computedAt.toISOString());
    });
  });
});
