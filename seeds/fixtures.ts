/**
 * Well-known records that every generated data set contains, whatever the seed or provider count
 * (N >= 20), so tests can assert exact facts. DEMO_FIXTURES documents them; the generator builds
 * the fixture providers from the same data (fixtureProviderRecords) and enforces the fixture drug
 * rules in the formulary builder.
 *
 * Fixture NPIs come from a reserved index range (99,000,000+) of the same NPI scrambler the random
 * providers use, so they can never collide with a generated NPI.
 */

import type { QhpCostSharing, QhpProvider, QhpProviderPlan, NetworkTier } from './lib/qhp-types';

const ISSUERS = {
  buckeye: '10001',
  loneStar: '10002',
  sunshineCoast: '10003',
  empireCommunity: '10004',
  lakeshore: '10005',
} as const;

const PLANS = {
  buckeyeBronze: '10001OH0010001',
  buckeyeExpandedBronze: '10001OH0010002',
  buckeyeSilver: '10001OH0010003',
  buckeyeGold: '10001OH0020001',
  buckeyePlatinum: '10001OH0020002',
  loneStarBronze: '10002TX0010001',
  loneStarGold: '10002TX0020001',
  lakeshoreSilver: '10005OH0010003',
  lakeshoreGold: '10005OH0020001',
} as const;

const ALL_ISSUER_IDS = Object.values(ISSUERS);
const planOf = (issuerId: string, productComponent: string, state: string): string => `${issuerId}${state}${productComponent}`;
const STATE_OF: Record<string, string> = { '10001': 'OH', '10002': 'TX', '10003': 'FL', '10004': 'NY', '10005': 'OH' };
const plansWith = (productComponent: string): string[] => ALL_ISSUER_IDS.map((id) => planOf(id, productComponent, STATE_OF[id] as string));

/** Every Bronze and Expanded Bronze plan of every issuer. */
const BRONZE_PLANS = [...plansWith('0010001'), ...plansWith('0010002')];
const SILVER_AND_GOLD_PLANS = [...plansWith('0010003'), ...plansWith('0020001')];
const PLATINUM_PLANS = plansWith('0020002');
/** The 20 plans that publish an array formulary (all but Platinum). */
const ARRAY_FORMULARY_PLANS = [...BRONZE_PLANS, ...SILVER_AND_GOLD_PLANS];

const retail = (
  copay_amount: number,
  copay_opt: QhpCostSharing['copay_opt'],
  coinsurance_rate: number,
  coinsurance_opt: QhpCostSharing['coinsurance_opt'],
): QhpCostSharing => ({
  pharmacy_type: '1-MONTH-IN-RETAIL',
  copay_amount,
  copay_opt,
  coinsurance_rate,
  coinsurance_opt,
});

export const DEMO_FIXTURES = {
  defaultYear: 2026,
  issuers: ISSUERS,
  plans: PLANS,
  conventions: {
    planIdPattern:
      'issuerId(5) + state(2) + product(3) + component(4): Bronze 001-0001, Expanded Bronze 001-0002, Silver 001-0003, Gold 002-0001, Platinum 002-0002',
    platinumPlans: PLATINUM_PLANS,
    platinumFormulary:
      'Platinum plans publish the single-object formulary form, which defines only the GENERIC tier ($5 copay before deductible); they therefore cover generic-tier drugs only.',
    preferredGenericTierIssuers: ['10003', '10005'],
    nullCoinsuranceOptIssuer: '10004',
  },
  providers: {
    /** Family doctor in Buckeye Gold (PREFERRED) but not in Buckeye Bronze. */
    johnSmith: {
      npi: '1483666727',
      issuerIds: ['10001'],
      type: 'INDIVIDUAL',
      name: { prefix: 'Dr.', first: 'John', last: 'Smith' },
      specialty: ['Family Medicine'],
      accepting: 'accepting',
      zip: '43215',
      city: 'Columbus',
      inNetwork: [
        { planId: PLANS.buckeyeSilver, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyeGold, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyePlatinum, networkTier: 'NON-PREFERRED' },
      ],
      notInNetwork: [PLANS.buckeyeBronze, PLANS.buckeyeExpandedBronze],
    },
    /** In the network of exactly one plan. */
    priyaRaman: {
      npi: '1023265162',
      issuerIds: ['10001'],
      type: 'INDIVIDUAL',
      name: { prefix: 'Dr.', first: 'Priya', last: 'Raman' },
      specialty: ['Dermatology'],
      accepting: 'accepting',
      zip: '43214',
      city: 'Columbus',
      inNetwork: [{ planId: PLANS.buckeyeSilver, networkTier: 'PREFERRED' }],
      notInNetwork: [PLANS.buckeyeBronze, PLANS.buckeyeExpandedBronze, PLANS.buckeyeGold, PLANS.buckeyePlatinum],
    },
    /** Hospital in Columbus, OH, in every Buckeye plan. */
    riversideHospital: {
      npi: '2233825258',
      issuerIds: ['10001'],
      type: 'FACILITY',
      facilityName: 'Columbus Riverside General Hospital',
      facilityType: ['Hospital'],
      zip: '43215',
      city: 'Columbus',
      inNetwork: [
        { planId: PLANS.buckeyeBronze, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyeExpandedBronze, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyeSilver, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyeGold, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyePlatinum, networkTier: 'PREFERRED' },
      ],
    },
    /** Psychiatrist with two offices, accepting new patients at only one of them. */
    elenaVasquez: {
      npi: '1226565079',
      issuerIds: ['10001'],
      type: 'INDIVIDUAL',
      name: { prefix: 'Dr.', first: 'Elena', middle: 'M', last: 'Vasquez' },
      specialty: ['Psychiatry'],
      accepting: 'accepting in some locations',
      languages: ['English', 'Spanish'],
      zips: ['43210', '43017'],
      inNetwork: [
        { planId: PLANS.buckeyeBronze, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyeSilver, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyeGold, networkTier: 'PREFERRED' },
      ],
    },
    /** Cardiologist contracted with both Ohio issuers: the same NPI appears in two directories. */
    robertJohnson: {
      npi: '1298707153',
      issuerIds: ['10001', '10005'],
      type: 'INDIVIDUAL',
      name: { prefix: 'Dr.', first: 'Robert', last: 'Johnson', suffix: 'Jr.' },
      specialty: ['Cardiology', 'Internal Medicine'],
      accepting: 'accepting',
      zip: '44106',
      city: 'Cleveland',
      inNetwork: [
        { planId: PLANS.buckeyeGold, networkTier: 'PREFERRED' },
        { planId: PLANS.buckeyePlatinum, networkTier: 'PREFERRED' },
        { planId: PLANS.lakeshoreSilver, networkTier: 'PREFERRED' },
        { planId: PLANS.lakeshoreGold, networkTier: 'NON-PREFERRED' },
      ],
    },
    /** Data-quality case: the "speciality" spelling, no phone on the address, no accepting field. */
    anaMorales: {
      npi: '1965894474',
      issuerIds: ['10002'],
      type: 'INDIVIDUAL',
      name: { prefix: 'Dr.', first: 'Ana', last: 'Morales' },
      speciality: ['Pediatrics'],
      zip: '77030',
      city: 'Houston',
      hasPhone: false,
      hasAccepting: false,
      inNetwork: [
        { planId: PLANS.loneStarBronze, networkTier: 'PREFERRED' },
        { planId: PLANS.loneStarGold, networkTier: 'PREFERRED' },
      ],
    },
  },
  drugs: {
    /** Covered by all 25 plans at the GENERIC tier, with no utilization management. */
    atorvastatin20: {
      rxnormId: '617310',
      drugName: 'atorvastatin 20 MG Oral Tablet',
      tier: 'GENERIC',
      coveredOn: 'all plans',
      priorAuthorization: false,
      stepTherapy: false,
      quantityLimit: false,
      retailCostSharing: {
        [PLANS.buckeyeGold]: retail(10, 'BEFORE-DEDUCTIBLE', 0, 'NO-CHARGE'),
        [PLANS.buckeyeExpandedBronze]: retail(10, 'AFTER-DEDUCTIBLE', 0, 'NO-CHARGE'),
        [PLANS.buckeyePlatinum]: retail(5, 'BEFORE-DEDUCTIBLE', 0, 'NO-CHARGE'),
      },
      /** Buckeye Gold, 3-MONTH-IN-MAIL: 2.5 x the $10 copay. */
      buckeyeGoldThreeMonthMailCopay: 25,
    },
    /** Brand of atorvastatin 20 MG: excluded from Buckeye Bronze although its generic is covered there. */
    lipitor20: {
      rxnormId: '617318',
      drugName: 'Lipitor 20 MG Oral Tablet',
      genericRxnormId: '617310',
      tier: 'NON-PREFERRED-BRAND',
      notCoveredOn: [PLANS.buckeyeBronze, ...PLATINUM_PLANS],
      coveredOn: ARRAY_FORMULARY_PLANS.filter((planId) => planId !== PLANS.buckeyeBronze),
      priorAuthorization: false,
      stepTherapy: true,
      quantityLimit: false,
      retailCostSharing: {
        [PLANS.buckeyeGold]: retail(80, 'BEFORE-DEDUCTIBLE', 0, 'NO-CHARGE'),
      },
    },
    /** Brand with no generic in the catalogue; prior authorization on Bronze-level plans only. */
    eliquis5: {
      rxnormId: '1364447',
      drugName: 'Eliquis 5 MG Oral Tablet',
      tier: 'PREFERRED-BRAND',
      coveredOn: ARRAY_FORMULARY_PLANS,
      notCoveredOn: PLATINUM_PLANS,
      priorAuthorizationOn: BRONZE_PLANS,
      noPriorAuthorizationOn: SILVER_AND_GOLD_PLANS,
      stepTherapy: false,
      quantityLimit: false,
      retailCostSharing: {
        [PLANS.buckeyeGold]: retail(40, 'BEFORE-DEDUCTIBLE', 0, 'NO-CHARGE'),
        [PLANS.buckeyeBronze]: retail(0, 'NO-CHARGE', 0.4, 'AFTER-DEDUCTIBLE'),
      },
    },
    /** Specialty biologic: coinsurance, prior authorization and quantity limit on every array-formulary plan. */
    humira: {
      rxnormId: '1872980',
      drugName: 'Humira 0.4 ML 100 MG/ML Auto-Injector',
      tier: 'SPECIALTY',
      coveredOn: ARRAY_FORMULARY_PLANS,
      notCoveredOn: PLATINUM_PLANS,
      priorAuthorization: true,
      stepTherapy: false,
      quantityLimit: true,
      retailCostSharing: {
        [PLANS.buckeyeGold]: retail(0, 'NO-CHARGE', 0.2, 'BEFORE-DEDUCTIBLE'),
        [PLANS.buckeyeBronze]: retail(0, 'NO-CHARGE', 0.5, 'AFTER-DEDUCTIBLE'),
      },
    },
    /** In the catalogue (and the CSV crosswalk) but covered by no plan, so it is in no drugs.json. */
    uncovered: {
      rxnormId: '803353',
      drugName: 'phentermine hydrochloride 37.5 MG Oral Tablet',
    },
  },
  /** Out-of-network pharmacies: coinsurance after the deductible (40% on PPO Gold/Platinum, 50% on HMOs). */
  outOfNetworkRetail: {
    [PLANS.buckeyeGold]: {
      pharmacy_type: '1-MONTH-OUT-RETAIL',
      copay_amount: 0,
      copay_opt: 'NO-CHARGE',
      coinsurance_rate: 0.4,
      coinsurance_opt: 'AFTER-DEDUCTIBLE',
    },
  },
} as const;

export type DemoFixtures = typeof DEMO_FIXTURES;

/** RxCUIs whose coverage the formulary builder pins down. */
export const FIXTURE_DRUG_IDS = {
  atorvastatin20: DEMO_FIXTURES.drugs.atorvastatin20.rxnormId,
  lipitor20: DEMO_FIXTURES.drugs.lipitor20.rxnormId,
  eliquis5: DEMO_FIXTURES.drugs.eliquis5.rxnormId,
  humira: DEMO_FIXTURES.drugs.humira.rxnormId,
  uncovered: DEMO_FIXTURES.drugs.uncovered.rxnormId,
} as const;

// ---------------------------------------------------------------------------------------------
// Fixture provider records

function providerPlans(entries: ReadonlyArray<{ planId: string; networkTier: NetworkTier }>, issuerId: string, year: number): QhpProviderPlan[] {
  return entries
    .filter((entry) => entry.planId.startsWith(issuerId))
    .map((entry) => ({ plan_id_type: 'HIOS-PLAN-ID', plan_id: entry.planId, network_tier: entry.networkTier, years: [year] }));
}

/**
 * The fixture providers that belong at the top of an issuer's directory, in a stable order.
 * Identity fields are identical in every directory that lists the provider; plans differ.
 */
export function fixtureProviderRecords(issuerId: string, year: number): QhpProvider[] {
  const updated = `${year - 1}-12-01`;
  const p = DEMO_FIXTURES.providers;
  const records: QhpProvider[] = [];
  if (issuerId === ISSUERS.buckeye) {
    records.push(
      {
        npi: p.johnSmith.npi,
        type: 'INDIVIDUAL',
        name: { prefix: 'Dr.', first: 'John', last: 'Smith' },
        addresses: [{ address: '480 N High St', address_2: 'Suite 120', city: 'Columbus', state: 'OH', zip: '43215', phone: '6145550142' }],
        specialty: ['Family Medicine'],
        accepting: 'accepting',
        gender: 'Male',
        languages: ['English'],
        plans: providerPlans(p.johnSmith.inNetwork, issuerId, year),
        last_updated_on: updated,
      },
      {
        npi: p.priyaRaman.npi,
        type: 'INDIVIDUAL',
        name: { prefix: 'Dr.', first: 'Priya', last: 'Raman' },
        addresses: [{ address: '3900 N High St', city: 'Columbus', state: 'OH', zip: '43214', phone: '6145550178' }],
        specialty: ['Dermatology'],
        accepting: 'accepting',
        gender: 'Female',
        languages: ['English', 'Hindi'],
        plans: providerPlans(p.priyaRaman.inNetwork, issuerId, year),
        last_updated_on: updated,
      },
      {
        npi: p.riversideHospital.npi,
        type: 'FACILITY',
        facility_name: p.riversideHospital.facilityName,
        facility_type: ['Hospital'],
        addresses: [{ address: '1200 Riverside Medical Pkwy', city: 'Columbus', state: 'OH', zip: '43215', phone: '6145550100' }],
        plans: providerPlans(p.riversideHospital.inNetwork, issuerId, year),
        last_updated_on: updated,
      },
      {
        npi: p.elenaVasquez.npi,
        type: 'INDIVIDUAL',
        name: { prefix: 'Dr.', first: 'Elena', middle: 'M', last: 'Vasquez' },
        addresses: [
          { address: '1650 Wellness Way', address_2: 'Suite 300', city: 'Columbus', state: 'OH', zip: '43210', phone: '6145550191' },
          { address: '6100 Professional Plz', city: 'Dublin', state: 'OH', zip: '43017', phone: '6145550192' },
        ],
        specialty: ['Psychiatry'],
        accepting: 'accepting in some locations',
        gender: 'Female',
        languages: ['English', 'Spanish'],
        plans: providerPlans(p.elenaVasquez.inNetwork, issuerId, year),
        last_updated_on: updated,
      },
    );
  }
  if (issuerId === ISSUERS.buckeye || issuerId === ISSUERS.lakeshore) {
    records.push({
      npi: p.robertJohnson.npi,
      type: 'INDIVIDUAL',
      name: { prefix: 'Dr.', first: 'Robert', last: 'Johnson', suffix: 'Jr.' },
      addresses: [{ address: '2500 Medical Center Dr', address_2: 'Suite 210', city: 'Cleveland', state: 'OH', zip: '44106', phone: '2165550133' }],
      specialty: ['Cardiology', 'Internal Medicine'],
      accepting: 'accepting',
      gender: 'Male',
      languages: ['English'],
      plans: providerPlans(p.robertJohnson.inNetwork, issuerId, year),
      last_updated_on: updated,
    });
  }
  if (issuerId === ISSUERS.loneStar) {
    records.push({
      npi: p.anaMorales.npi,
      type: 'INDIVIDUAL',
      name: { prefix: 'Dr.', first: 'Ana', last: 'Morales' },
      addresses: [{ address: '6600 Health Pkwy', city: 'Houston', state: 'TX', zip: '77030' }],
      speciality: ['Pediatrics'],
      gender: 'Female',
      languages: ['English', 'Spanish'],
      plans: providerPlans(p.anaMorales.inNetwork, issuerId, year),
      last_updated_on: updated,
    });
  }
  return records;
}
