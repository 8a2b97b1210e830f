import { withNpiCheckDigit } from '../../src/common/identifiers';
import { ensureDemoData } from '../helpers/demo-data';
import { startTestApp, TestApp } from '../helpers/test-app';
import { NPI, PLAN, RXCUI } from './demo';
import { DIRECTORY_ONLY, FORMULARY_ONLY, loadPartialIssuers } from './rest-fixtures';

/**
 * The Marketplace API v1 coverage endpoints over HTTP, on the demo data: status codes, field names and
 * enum values as HealthCare.gov's Marketplace API documents them, and the answers the demo data implies.
 */

const COVERAGE = ['Covered', 'NotCovered', 'DataNotProvided', 'GenericCovered'];
const ACCEPTING = ['accepting', 'not accepting', 'accepting in some locations', 'unknown'];
const ERROR_KEYS = ['code', 'error', 'message', 'status'];

const keys = (value: object) => Object.keys(value).sort();

describe('Marketplace API v1 (REST over HTTP)', () => {
  let t: TestApp;
  const get = (url: string) => t.http().get(url);

  beforeAll(async () => {
    t = await startTestApp();
    await ensureDemoData(t.db);
    await loadPartialIssuers(t.db);
  });
  afterAll(() => t.close());

  function expectError(res: { status: number; body: any }, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(keys(res.body)).toEqual(ERROR_KEYS);
    expect(res.body).toMatchObject({ code, status: String(status) });
    expect(typeof res.body.message).toBe('string');
    expect(typeof res.body.error).toBe('string');
  }

  describe('GET /api/v1/providers/covered', () => {
    const cell = (body: any, npi: string, planId: string) => body.coverage.find((c: any) => c.npi === npi && c.plan_id === planId);

    it('answers an NPIs × plans grid with the Marketplace fields and values', async () => {
      const res = await get(
        `/api/v1/providers/covered?providerids=${NPI.johnSmith},${NPI.priyaRaman},${NPI.unlisted}` +
          `&planids=${PLAN.bronze},${PLAN.silver},${PLAN.gold},${PLAN.unloaded}&year=2026`,
      );
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=600');
      expect(keys(res.body)).toEqual(['coverage']);
      expect(res.body.coverage).toHaveLength(12);
      for (const answer of res.body.coverage) {
        expect(keys(answer)).toEqual(['accepting', 'addresses', 'coverage', 'npi', 'plan_id']);
        expect(COVERAGE).toContain(answer.coverage);
        expect(ACCEPTING).toContain(answer.accepting);
      }
      const grid = Object.fromEntries(res.body.coverage.map((c: any) => [`${c.npi}/${c.plan_id}`, c.coverage]));
      expect(grid).toEqual({
        [`${NPI.johnSmith}/${PLAN.bronze}`]: 'NotCovered',
        [`${NPI.johnSmith}/${PLAN.silver}`]: 'Covered',
        [`${NPI.johnSmith}/${PLAN.gold}`]: 'Covered',
        [`${NPI.johnSmith}/${PLAN.unloaded}`]: 'DataNotProvided',
        [`${NPI.priyaRaman}/${PLAN.bronze}`]: 'NotCovered',
        [`${NPI.priyaRaman}/${PLAN.silver}`]: 'Covered',
        [`${NPI.priyaRaman}/${PLAN.gold}`]: 'NotCovered',
        [`${NPI.priyaRaman}/${PLAN.unloaded}`]: 'DataNotProvided',
        // The plans' directories are loaded and omit this NPI: not covered (GraphQL: NOT_COVERED, PROVIDER_NOT_FOUND).
        [`${NPI.unlisted}/${PLAN.bronze}`]: 'NotCovered',
        [`${NPI.unlisted}/${PLAN.silver}`]: 'NotCovered',
        [`${NPI.unlisted}/${PLAN.gold}`]: 'NotCovered',
        [`${NPI.unlisted}/${PLAN.unloaded}`]: 'DataNotProvided',
      });
    });

    it('gives the covered addresses and accepting status, and none where not covered', async () => {
      const res = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=${PLAN.gold},${PLAN.bronze}`);
      const gold = cell(res.body, NPI.johnSmith, PLAN.gold);
      expect(gold).toMatchObject({ coverage: 'Covered', accepting: 'accepting' });
      expect(gold.addresses.length).toBeGreaterThanOrEqual(1);
      expect(gold.addresses[0]).toMatchObject({ city: 'Columbus', state: 'OH', zipcode: '43215' });
      expect(typeof gold.addresses[0].street_1).toBe('string');
      for (const address of gold.addresses) expect(['city', 'state', 'street_1', 'street_2', 'zipcode']).toEqual(expect.arrayContaining(keys(address)));
      expect(cell(res.body, NPI.johnSmith, PLAN.bronze)).toEqual({
        npi: NPI.johnSmith,
        plan_id: PLAN.bronze,
        coverage: 'NotCovered',
        addresses: [],
        accepting: 'unknown',
      });
    });

    it('says "accepting in some locations", and "unknown" where the directory does not say', async () => {
      const some = await get(`/api/v1/providers/covered?providerids=${NPI.elenaVasquez}&planids=${PLAN.silver}`);
      expect(some.body.coverage[0]).toMatchObject({ coverage: 'Covered', accepting: 'accepting in some locations' });
      expect(some.body.coverage[0].addresses.map((a: any) => a.zipcode).sort()).toEqual(['43017', '43210']);
      const unsaid = await get(`/api/v1/providers/covered?providerids=${NPI.anaMorales}&planids=${PLAN.loneStarBronze}`);
      expect(unsaid.body.coverage[0]).toMatchObject({ coverage: 'Covered', accepting: 'unknown' });
    });

    it('takes list parameters comma-separated, repeated, or both, with the same answer', async () => {
      const comma = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith},${NPI.priyaRaman}&planids=${PLAN.silver},${PLAN.gold}`);
      const repeated = await get(
        `/api/v1/providers/covered?providerids=${NPI.johnSmith}&providerids=${NPI.priyaRaman}&planids=${PLAN.silver}&planids=${PLAN.gold}`,
      );
      const mixed = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&providerids=${NPI.priyaRaman}&planids=${PLAN.silver},${PLAN.gold}`);
      expect(comma.status).toBe(200);
      expect(comma.body.coverage).toHaveLength(4);
      expect(repeated.body).toEqual(comma.body);
      expect(mixed.body).toEqual(comma.body);
    });

    it('answers DataNotProvided for a plan whose issuer published no directory, and for a year not published', async () => {
      const noDirectory = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=${FORMULARY_ONLY.planId}`);
      expect(noDirectory.status).toBe(200);
      expect(noDirectory.body.coverage).toEqual([
        { npi: NPI.johnSmith, plan_id: FORMULARY_ONLY.planId, coverage: 'DataNotProvided', addresses: [], accepting: 'unknown' },
      ]);
      // The issuer with a directory but no formulary answers for its own doctor.
      const ownDoctor = await get(`/api/v1/providers/covered?providerids=${DIRECTORY_ONLY.npi}&planids=${DIRECTORY_ONLY.planId}`);
      expect(ownDoctor.body.coverage[0]).toMatchObject({ coverage: 'Covered', accepting: 'accepting' });
      const otherYear = await get(`/api/v1/providers/covered?providerids=${NPI.riversideHospital}&planids=${PLAN.expandedBronze}&year=2031`);
      expect(otherYear.body.coverage[0].coverage).toBe('DataNotProvided');
    });

    it('adds a details object only when asked, leaving the Marketplace fields as they were', async () => {
      const url = `/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=${PLAN.gold},${FORMULARY_ONLY.planId}`;
      const plain = await get(url);
      const detailed = await get(`${url}&details=true`);
      expect(detailed.status).toBe(200);
      expect(plain.body.coverage.every((c: any) => !('details' in c))).toBe(true);
      expect(detailed.body.coverage.map(({ details, ...rest }: any) => rest)).toEqual(plain.body.coverage);
      const gold = cell(detailed.body, NPI.johnSmith, PLAN.gold).details;
      expect(gold).toMatchObject({
        status: 'IN_NETWORK',
        outcome: 'COVERED',
        reason: null,
        network_tiers: ['PREFERRED'],
        accepting_new_patients: true,
        provider_name: 'John Smith',
        provenance: { issuer_id: '10001', record_type: 'PROVIDER_LISTING' },
      });
      expect(gold.addresses[0]).toHaveProperty('phone');
      expect(cell(detailed.body, NPI.johnSmith, FORMULARY_ONLY.planId).details).toMatchObject({ outcome: 'NOT_REPORTED', reason: 'NETWORK_NOT_REPORTED' });
      expect((await get(`${url}&details=false`)).body).toEqual(plain.body);
    });

    it('refuses a bad NPI with 400 and code 1003, naming the parameter', async () => {
      const res = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith},1234567890&planids=${PLAN.gold}`);
      expectError(res, 400, '1003');
      expect(res.body.message).toBe('invalid providers/covered request');
      expect(res.body.error).toBe('providerids[1]: NPI "1234567890" fails the NPI check digit (Luhn)');
      const short = await get(`/api/v1/providers/covered?providerids=123&planids=${PLAN.gold}`);
      expectError(short, 400, '1003');
      expect(short.body.error).toContain('providerids');
    });

    it('refuses a bad or missing plan id, a bad year, a bad details flag and more than 50 NPIs, naming the parameter', async () => {
      const badPlan = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=GOLD`);
      expectError(badPlan, 400, '1003');
      expect(badPlan.body.error).toMatch(/^planids\[0\]: plan id "GOLD" is not a 14-character HIOS plan id/);
      const noPlans = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}`);
      expectError(noPlans, 400, '1003');
      expect(noPlans.body.error).toContain('planids is required');
      const badYear = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=${PLAN.gold}&year=next`);
      expectError(badYear, 400, '1003');
      expect(badYear.body.error).toContain('year');
      const badFlag = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=${PLAN.gold}&details=yes`);
      expectError(badFlag, 400, '1003');
      expect(badFlag.body.error).toContain('details');
      const tooMany = await get(`/api/v1/providers/covered?providerids=${Array(51).fill(NPI.johnSmith).join(',')}&planids=${PLAN.gold}`);
      expectError(tooMany, 400, '1003');
      expect(tooMany.body.error).toContain('providerids takes at most 50 NPIs');
    });

    it('answers a full 50 × 50 grid, one answer per pair', async () => {
      const plans = [PLAN.gold, ...Array.from({ length: 49 }, (_, i) => `99999OH${String(i).padStart(7, '0')}`)];
      const npis = [NPI.johnSmith, ...Array.from({ length: 49 }, (_, i) => withNpiCheckDigit(990000000 + i))];
      const res = await get(`/api/v1/providers/covered?providerids=${npis.join(',')}&planids=${plans.join(',')}`);
      expect(res.status).toBe(200);
      expect(res.body.coverage).toHaveLength(50 * 50);
      expect(cell(res.body, NPI.johnSmith, PLAN.gold).coverage).toBe('Covered');
    });

    it('answers a repeated NPI once, as GraphQL does', async () => {
      const res = await get(`/api/v1/providers/covered?providerids=${NPI.johnSmith},${NPI.johnSmith}&planids=${PLAN.gold}`);
      expect(res.body.coverage).toHaveLength(1);
    });
  });

  describe('GET /api/v1/drugs/covered', () => {
    const cell = (body: any, rxcui: string, planId: string) => body.coverage.find((c: any) => c.rxcui === rxcui && c.plan_id === planId);

    it("answers Lipitor not covered on Bronze as GenericCovered with atorvastatin's RxCUI", async () => {
      const res = await get(`/api/v1/drugs/covered?drugs=${RXCUI.lipitor20}&planids=${PLAN.bronze}&year=2026`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=60, stale-while-revalidate=600');
      expect(res.body).toEqual({
        coverage: [{ rxcui: RXCUI.lipitor20, plan_id: PLAN.bronze, coverage: 'GenericCovered', generic_rxcui: RXCUI.atorvastatin20 }],
      });
    });

    it('answers a drugs × plans grid with the Marketplace fields and values', async () => {
      const res = await get(
        `/api/v1/drugs/covered?drugs=${RXCUI.lipitor20},${RXCUI.phentermine},${RXCUI.atorvastatin20}` +
          `&planids=${PLAN.bronze},${PLAN.gold},${PLAN.unloaded},${DIRECTORY_ONLY.planId}`,
      );
      expect(res.status).toBe(200);
      expect(keys(res.body)).toEqual(['coverage']);
      expect(res.body.coverage).toHaveLength(12);
      for (const answer of res.body.coverage) {
        const expected = answer.coverage === 'GenericCovered' ? ['coverage', 'generic_rxcui', 'plan_id', 'rxcui'] : ['coverage', 'plan_id', 'rxcui'];
        expect(keys(answer)).toEqual(expected);
        expect(COVERAGE).toContain(answer.coverage);
      }
      const grid = Object.fromEntries(res.body.coverage.map((c: any) => [`${c.rxcui}/${c.plan_id}`, c.coverage]));
      expect(grid).toEqual({
        [`${RXCUI.lipitor20}/${PLAN.bronze}`]: 'GenericCovered',
        [`${RXCUI.lipitor20}/${PLAN.gold}`]: 'Covered',
        [`${RXCUI.lipitor20}/${PLAN.unloaded}`]: 'DataNotProvided',
        [`${RXCUI.lipitor20}/${DIRECTORY_ONLY.planId}`]: 'DataNotProvided',
        // On no formulary and a generic itself: plainly not covered where a formulary is loaded.
        [`${RXCUI.phentermine}/${PLAN.bronze}`]: 'NotCovered',
        [`${RXCUI.phentermine}/${PLAN.gold}`]: 'NotCovered',
        [`${RXCUI.phentermine}/${PLAN.unloaded}`]: 'DataNotProvided',
        [`${RXCUI.phentermine}/${DIRECTORY_ONLY.planId}`]: 'DataNotProvided',
        [`${RXCUI.atorvastatin20}/${PLAN.bronze}`]: 'Covered',
        [`${RXCUI.atorvastatin20}/${PLAN.gold}`]: 'Covered',
        [`${RXCUI.atorvastatin20}/${PLAN.unloaded}`]: 'DataNotProvided',
        [`${RXCUI.atorvastatin20}/${DIRECTORY_ONLY.planId}`]: 'DataNotProvided',
      });
    });

    it('takes drugs and planids comma-separated or repeated', async () => {
      const comma = await get(`/api/v1/drugs/covered?drugs=${RXCUI.lipitor20},${RXCUI.humira}&planids=${PLAN.bronze},${PLAN.gold}`);
      const repeated = await get(`/api/v1/drugs/covered?drugs=${RXCUI.lipitor20}&drugs=${RXCUI.humira}&planids=${PLAN.bronze}&planids=${PLAN.gold}`);
      expect(comma.body.coverage).toHaveLength(4);
      expect(repeated.body).toEqual(comma.body);
    });

    it('adds tier, restrictions, cost sharing and the cost in words under details only', async () => {
      const url = `/api/v1/drugs/covered?drugs=${RXCUI.atorvastatin20},${RXCUI.humira},${RXCUI.lipitor20}&planids=${PLAN.gold},${PLAN.bronze}`;
      const plain = await get(url);
      const detailed = await get(`${url}&details=true`);
      expect(detailed.body.coverage.map(({ details, ...rest }: any) => rest)).toEqual(plain.body.coverage);
      expect(cell(detailed.body, RXCUI.atorvastatin20, PLAN.gold).details).toMatchObject({
        status: 'COVERED',
        outcome: 'COVERED',
        drug_tier: 'GENERIC',
        prior_authorization: false,
        step_therapy: false,
        quantity_limit: false,
        cost_summary: '$10 copay before deductible, 30-day retail',
        generic: null,
        provenance: { issuer_id: '10001', record_type: 'DRUG' },
      });
      const atorvastatinCosts = cell(detailed.body, RXCUI.atorvastatin20, PLAN.gold).details.cost_sharing;
      expect(atorvastatinCosts.find((c: any) => c.pharmacy_type === '3-MONTH-IN-MAIL')).toEqual({
        pharmacy_type: '3-MONTH-IN-MAIL',
        copay_amount: 25,
        copay_opt: 'BEFORE-DEDUCTIBLE',
        coinsurance_rate: 0,
        coinsurance_opt: 'NO-CHARGE',
        display_string: '$25 copay before deductible, 90-day mail order',
      });
      expect(cell(detailed.body, RXCUI.humira, PLAN.gold).details).toMatchObject({
        drug_tier: 'SPECIALTY',
        prior_authorization: true,
        quantity_limit: true,
        cost_summary: '20% coinsurance before deductible, 30-day retail',
      });
      expect(cell(detailed.body, RXCUI.lipitor20, PLAN.gold).details).toMatchObject({ drug_tier: 'NON-PREFERRED-BRAND', step_therapy: true });
      const generic = cell(detailed.body, RXCUI.lipitor20, PLAN.bronze).details;
      expect(generic).toMatchObject({
        outcome: 'NOT_COVERED',
        reason: 'NOT_ON_FORMULARY',
        drug_tier: null,
        generic: { rxcui: RXCUI.atorvastatin20, drug_tier: 'GENERIC' },
      });
      expect(generic.generic.cost_summary).toMatch(/30-day retail$/);
    });

    it('refuses a bad RxCUI with 1003 naming the parameter', async () => {
      const res = await get(`/api/v1/drugs/covered?drugs=lipitor&planids=${PLAN.gold}`);
      expectError(res, 400, '1003');
      expect(res.body).toMatchObject({
        message: 'invalid drugs/covered request',
        error: 'drugs[0]: RXCUI "lipitor" must be 1 to 10 digits (an RxNorm concept id)',
      });
    });
  });

  describe('drug autocomplete and search', () => {
    it('autocompletes drug names with Drug objects', async () => {
      const res = await get('/api/v1/drugs/autocomplete?q=lipitor&year=2026');
      expect(res.status).toBe(200);
      expect(keys(res.body)).toEqual(['drugs']);
      const lipitor = res.body.drugs.find((d: any) => d.rxcui === RXCUI.lipitor20);
      expect(lipitor).toEqual({
        id: RXCUI.lipitor20,
        name: 'Lipitor 20 MG Oral Tablet',
        rxcui: RXCUI.lipitor20,
        strength: '20 MG',
        full_name: 'Lipitor 20 MG Oral Tablet',
        rxnorm_dose_form: 'Oral Tablet',
      });
      expect(res.body.drugs.length).toBeLessThanOrEqual(10);
    });

    it('needs 3 characters', async () => {
      const res = await get('/api/v1/drugs/autocomplete?q=li');
      expectError(res, 400, '1003');
      expect(res.body.error).toContain('q needs at least 3 characters');
      expectError(await get('/api/v1/drugs/autocomplete'), 400, '1003');
    });

    it('searches by name (typos tolerated) or RxCUI', async () => {
      const byName = await get('/api/v1/drugs/search?q=atorvastatn');
      expect(byName.status).toBe(200);
      expect(byName.body.drugs.map((d: any) => d.rxcui)).toContain(RXCUI.atorvastatin20);
      expect(byName.body.next).toBeUndefined();
      const byId = await get(`/api/v1/drugs/search?q=${RXCUI.humira}`);
      expect(byId.body.drugs).toHaveLength(1);
      expect(byId.body.drugs[0]).toMatchObject({ id: RXCUI.humira, rxcui: RXCUI.humira });
    });

    it('links the next page when there is one', async () => {
      const first = await get('/api/v1/drugs/search?q=tablet');
      expect(first.status).toBe(200);
      expect(first.body.drugs).toHaveLength(20);
      expect(first.body.next).toMatch(/^\/api\/v1\/drugs\/search\?q=tablet&cursor=/);
      const second = await get(first.body.next);
      expect(second.status).toBe(200);
      const firstIds = new Set(first.body.drugs.map((d: any) => d.rxcui));
      expect(second.body.drugs.length).toBeGreaterThan(0);
      expect(second.body.drugs.some((d: any) => firstIds.has(d.rxcui))).toBe(false);
    });
  });

  describe('provider autocomplete and search', () => {
    const PROVIDER_KEYS = ['accepting', 'facility_types', 'languages', 'name', 'npi', 'specialties', 'type'];

    it('autocompletes nearby providers as NearbyProvider objects', async () => {
      const res = await get('/api/v1/providers/autocomplete?q=riverside&zipcode=43215&type=Facility');
      expect(res.status).toBe(200);
      expect(keys(res.body)).toEqual(['providers']);
      const hospital = res.body.providers.find((p: any) => p.provider.npi === NPI.riversideHospital);
      expect(keys(hospital)).toEqual(['address', 'distance', 'provider']);
      expect(keys(hospital.provider)).toEqual(PROVIDER_KEYS);
      expect(hospital.provider).toMatchObject({ name: 'Columbus Riverside General Hospital', type: 'Facility', facility_types: ['Hospital'] });
      expect(ACCEPTING).toContain(hospital.provider.accepting);
      expect(hospital.address).toMatchObject({ city: 'Columbus', state: 'OH', zipcode: '43215' });
      expect(hospital.distance).toBeGreaterThanOrEqual(0);
    });

    it('filters by type, comma-separated or repeated', async () => {
      const individuals = await get('/api/v1/providers/autocomplete?q=riverside&zipcode=43215&type=Individual');
      expect(individuals.status).toBe(200);
      expect(individuals.body.providers.some((p: any) => p.provider.npi === NPI.riversideHospital)).toBe(false);
      const both = await get('/api/v1/providers/autocomplete?q=riverside&zipcode=43215&type=Individual,Facility');
      const repeated = await get('/api/v1/providers/autocomplete?q=riverside&zipcode=43215&type=Individual&type=Facility');
      expect(both.body.providers.some((p: any) => p.provider.npi === NPI.riversideHospital)).toBe(true);
      expect(repeated.body).toEqual(both.body);
      const bad = await get('/api/v1/providers/autocomplete?q=riverside&zipcode=43215&type=Doctor');
      expectError(bad, 400, '1003');
      expect(bad.body.error).toContain('type must be Individual, Facility, Group');
    });

    it('searches providers near a ZIP code by name and specialty', async () => {
      const res = await get('/api/v1/providers/search?q=john%20smith&zipcode=43215&type=Individual&specialty=Family%20Medicine&year=2026');
      expect(res.status).toBe(200);
      const [first] = res.body.providers;
      expect(first.provider).toMatchObject({
        npi: NPI.johnSmith,
        name: 'John Smith',
        type: 'Individual',
        gender: 'Male',
        specialties: ['Family Medicine'],
        accepting: 'accepting',
      });
      expect(first.address.zipcode).toBe('43215');
      const otherSpecialty = await get('/api/v1/providers/search?q=john%20smith&zipcode=43215&specialty=Dermatology');
      expect(otherSpecialty.body.providers.some((p: any) => p.provider.npi === NPI.johnSmith)).toBe(false);
    });

    it('refuses a missing or bad ZIP code and a missing query with 1003', async () => {
      const noZip = await get('/api/v1/providers/search?q=smith');
      expectError(noZip, 400, '1003');
      expect(noZip.body.error).toContain('zipcode');
      const badZip = await get('/api/v1/providers/autocomplete?q=smith&zipcode=4321');
      expectError(badZip, 400, '1003');
      expect(badZip.body.error).toContain('zipcode must be 5 digits');
      expectError(await get('/api/v1/providers/search?zipcode=43215'), 400, '1003');
    });
  });

  describe('coverage stats and search', () => {
    it('gives the coverage statistics with the Marketplace fields', async () => {
      const res = await get('/api/v1/coverage/stats');
      expect(res.status).toBe(200);
      expect(keys(res.body)).toEqual(['drugs', 'drugs_plans', 'issuers', 'last_refreshed_at', 'providers', 'providers_plans']);
      expect(res.body.issuers).toBeGreaterThanOrEqual(6);
      for (const field of ['drugs', 'providers', 'providers_plans', 'drugs_plans']) expect(res.body[field]).toBeGreaterThan(0);
      expect(new Date(res.body.last_refreshed_at).toISOString()).toBe(res.body.last_refreshed_at);
    });

    it('searches providers and drugs at once', async () => {
      const res = await get('/api/v1/coverage/search?q=atorvastatin&zipcode=43215');
      expect(res.status).toBe(200);
      expect(keys(res.body)).toEqual(['drugs', 'providers']);
      expect(res.body.drugs.map((d: any) => d.rxcui)).toContain(RXCUI.atorvastatin20);
      const hospital = await get('/api/v1/coverage/search?q=riverside%20general&zipcode=43215');
      expect(hospital.body.providers.map((p: any) => p.provider.npi)).toContain(NPI.riversideHospital);
      expectError(await get('/api/v1/coverage/search?q=atorvastatin'), 400, '1003');
    });
  });

  describe('GET /api/v1/plans/{planid}', () => {
    it('gives what the QHP files hold about the plan', async () => {
      const res = await get(`/api/v1/plans/${PLAN.gold}?year=2026`);
      expect(res.status).toBe(200);
      expect(keys(res.body)).toEqual(['plan']);
      expect(res.body.plan).toMatchObject({
        id: PLAN.gold,
        name: expect.stringContaining('Gold'),
        metal_level: 'Gold',
        state: 'OH',
        issuer: { id: '10001', name: 'Buckeye Mutual Health', state: 'OH' },
        formulary_url: expect.stringMatching(/^https:\/\//),
      });
      expect(res.body.plan).not.toHaveProperty('details');
    });

    it('adds years, network tiers and drug tiers with details=true', async () => {
      const res = await get(`/api/v1/plans/${PLAN.gold}?details=true`);
      expect(res.body.plan.details).toMatchObject({
        years: [2026],
        network_tiers: ['PREFERRED', 'NON-PREFERRED'],
        provenance: { issuer_id: '10001', record_type: 'PLAN' },
      });
      const generic = res.body.plan.details.drug_tiers.find((tier: any) => tier.drug_tier === 'GENERIC');
      expect(generic.cost_sharing.find((c: any) => c.pharmacy_type === '1-MONTH-IN-RETAIL').display_string).toBe('$10 copay before deductible, 30-day retail');
    });

    it('answers 1006 for a plan not loaded or not published for the year, 1003 for a malformed id', async () => {
      const missing = await get(`/api/v1/plans/${PLAN.unloaded}`);
      expectError(missing, 404, '1006');
      expect(missing.body.message).toBe('Plan not found');
      expectError(await get(`/api/v1/plans/${PLAN.gold}?year=2031`), 404, '1006');
      const bad = await get('/api/v1/plans/gold');
      expectError(bad, 400, '1003');
      expect(bad.body.error).toMatch(/^planid: /);
    });
  });

  describe('lookups by NPI and RxCUI', () => {
    it('gives a provider, with its plans under details, or 1013', async () => {
      const res = await get(`/api/v1/providers/${NPI.johnSmith}?details=true`);
      expect(res.status).toBe(200);
      expect(res.body.provider).toMatchObject({ npi: NPI.johnSmith, name: 'John Smith', type: 'Individual' });
      expect(res.body.details.plans.map((p: any) => p.plan_id)).toEqual([PLAN.silver, PLAN.gold, PLAN.platinum]);
      expectError(await get(`/api/v1/providers/${NPI.unlisted}`), 404, '1013');
      expectError(await get('/api/v1/providers/12345'), 400, '1003');
    });

    it('gives a drug, or 1014', async () => {
      const res = await get(`/api/v1/drugs/${RXCUI.lipitor20}`);
      expect(res.status).toBe(200);
      expect(res.body.drug).toMatchObject({ id: RXCUI.lipitor20, rxcui: RXCUI.lipitor20, name: 'Lipitor 20 MG Oral Tablet' });
      expectError(await get(`/api/v1/drugs/${RXCUI.phentermine}`), 404, '1014');
      expectError(await get('/api/v1/drugs/abc'), 400, '1003');
    });
  });

  it('accepts the apikey parameter', async () => {
    const res = await get(`/api/v1/drugs/covered?drugs=${RXCUI.lipitor20}&planids=${PLAN.bronze}&apikey=d687412e7b53146b2631dc01974ad0a4`);
    expect(res.status).toBe(200);
    expect(res.body.coverage[0].coverage).toBe('GenericCovered');
  });
});
