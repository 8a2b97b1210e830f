/**
 * Demo issuers, their plan line-up and the plans.json content (network tiers, formulary tiers
 * and cost sharing). Cost sharing is a fixed table (not random) so tests can assert exact values.
 */

import type { DemoState } from '../reference/places';
import {
  PHARMACY_TYPES,
  type CoinsuranceOption,
  type CopayOption,
  type DrugTier,
  type PharmacyType,
  type QhpCostSharing,
  type QhpFormularyTier,
  type QhpPlan,
} from './qhp-types';

export type Metal = 'Bronze' | 'Expanded Bronze' | 'Silver' | 'Gold' | 'Platinum';

/** Per-issuer tweaks so the five issuers do not publish identical benefits. */
export interface CostVariant {
  /** Added to brand-tier copays. */
  brandCopayDelta: number;
  /** Added to generic-tier copays (never below $0). */
  genericCopayDelta: number;
  /** Added to specialty coinsurance (capped at 50%). */
  specialtyCoinsuranceDelta: number;
  /** Whether the issuer's array formularies add a PREFERRED-GENERIC tier (6 tiers instead of 5). */
  hasPreferredGenericTier: boolean;
  /** coinsurance_opt written on copay-only rows: most issuers say NO-CHARGE, one writes null (as CMS' own example does). */
  unusedCoinsuranceOpt: 'NO-CHARGE' | null;
}

export interface IssuerDefinition {
  issuerId: string;
  name: string;
  /** Brand used in marketing names ("Buckeye Mutual Gold PPO 1500"). */
  shortName: string;
  state: DemoState;
  /** Reserved .example domain, so demo URLs and e-mails can never reach a real party. */
  domain: string;
  /** Share of the requested provider count this issuer gets. */
  providerWeight: number;
  costVariant: CostVariant;
}

export const ISSUERS: readonly IssuerDefinition[] = [
  {
    issuerId: '10001',
    name: 'Buckeye Mutual Health',
    shortName: 'Buckeye Mutual',
    state: 'OH',
    domain: 'buckeyemutualhealth.example',
    providerWeight: 0.24,
    costVariant: { brandCopayDelta: 0, genericCopayDelta: 0, specialtyCoinsuranceDelta: 0, hasPreferredGenericTier: false, unusedCoinsuranceOpt: 'NO-CHARGE' },
  },
  {
    issuerId: '10002',
    name: 'Lone Star Health Partners',
    shortName: 'Lone Star',
    state: 'TX',
    domain: 'lonestarhealthpartners.example',
    providerWeight: 0.24,
    costVariant: {
      brandCopayDelta: 10,
      genericCopayDelta: 0,
      specialtyCoinsuranceDelta: 0.05,
      hasPreferredGenericTier: false,
      unusedCoinsuranceOpt: 'NO-CHARGE',
    },
  },
  {
    issuerId: '10003',
    name: 'Sunshine Coast Health',
    shortName: 'Sunshine Coast',
    state: 'FL',
    domain: 'sunshinecoasthealth.example',
    providerWeight: 0.2,
    costVariant: { brandCopayDelta: 0, genericCopayDelta: -5, specialtyCoinsuranceDelta: 0, hasPreferredGenericTier: true, unusedCoinsuranceOpt: 'NO-CHARGE' },
  },
  {
    issuerId: '10004',
    name: 'Empire Community Health',
    shortName: 'Empire Community',
    state: 'NY',
    domain: 'empirecommunityhealth.example',
    providerWeight: 0.2,
    costVariant: { brandCopayDelta: 5, genericCopayDelta: 0, specialtyCoinsuranceDelta: 0, hasPreferredGenericTier: false, unusedCoinsuranceOpt: null },
  },
  {
    issuerId: '10005',
    name: 'Lakeshore Health Plans',
    shortName: 'Lakeshore',
    state: 'OH',
    domain: 'lakeshorehealthplans.example',
    providerWeight: 0.12,
    costVariant: {
      brandCopayDelta: 20,
      genericCopayDelta: 0,
      specialtyCoinsuranceDelta: 0.1,
      hasPreferredGenericTier: true,
      unusedCoinsuranceOpt: 'NO-CHARGE',
    },
  },
];

interface PlanDefinition {
  metal: Metal;
  product: string;
  component: string;
  networkType: 'HMO' | 'PPO';
  deductible: number;
}

/** Same line-up for every issuer; HIOS id = issuer + state + product + component. */
const PLAN_LINEUP: readonly PlanDefinition[] = [
  { metal: 'Bronze', product: '001', component: '0001', networkType: 'HMO', deductible: 7500 },
  { metal: 'Expanded Bronze', product: '001', component: '0002', networkType: 'HMO', deductible: 6500 },
  { metal: 'Silver', product: '001', component: '0003', networkType: 'HMO', deductible: 4500 },
  { metal: 'Gold', product: '002', component: '0001', networkType: 'PPO', deductible: 1500 },
  { metal: 'Platinum', product: '002', component: '0002', networkType: 'PPO', deductible: 500 },
];

/** What the rest of the generator needs to know about a plan besides its JSON. */
export interface DemoPlanInfo {
  planId: string;
  metal: Metal;
  /** Platinum plans publish the single-object formulary form, which can only define one tier. */
  formularyForm: 'array' | 'object';
  tiers: DrugTier[];
}

export function planIdFor(issuer: IssuerDefinition, metal: Metal): string {
  const definition = PLAN_LINEUP.find((plan) => plan.metal === metal);
  if (!definition) throw new Error(`Unknown metal level ${metal}`);
  return `${issuer.issuerId}${issuer.state}${definition.product}${definition.component}`;
}

function tiersFor(issuer: IssuerDefinition, metal: Metal): DrugTier[] {
  if (metal === 'Platinum') return ['GENERIC'];
  const brandAndUp: DrugTier[] = ['PREFERRED-BRAND', 'NON-PREFERRED-BRAND', 'SPECIALTY', 'ZERO-COST-SHARE-PREVENTIVE'];
  return issuer.costVariant.hasPreferredGenericTier ? ['PREFERRED-GENERIC', 'GENERIC', ...brandAndUp] : ['GENERIC', ...brandAndUp];
}

export function planInfosFor(issuer: IssuerDefinition): DemoPlanInfo[] {
  return PLAN_LINEUP.map((plan) => ({
    planId: planIdFor(issuer, plan.metal),
    metal: plan.metal,
    formularyForm: plan.metal === 'Platinum' ? 'object' : 'array',
    tiers: tiersFor(issuer, plan.metal),
  }));
}

// ---------------------------------------------------------------------------------------------
// Cost sharing

/** Member terms for a 30-day in-network retail fill. */
interface Terms {
  copay: number;
  copayOpt: CopayOption;
  coinsurance: number;
  coinsuranceOpt: CoinsuranceOption;
}

const copay = (amount: number, copayOpt: CopayOption): Terms => ({ copay: amount, copayOpt, coinsurance: 0, coinsuranceOpt: 'NO-CHARGE' });
const coinsurance = (rate: number, coinsuranceOpt: CoinsuranceOption): Terms => ({ copay: 0, copayOpt: 'NO-CHARGE', coinsurance: rate, coinsuranceOpt });
const NO_CHARGE: Terms = { copay: 0, copayOpt: 'NO-CHARGE', coinsurance: 0, coinsuranceOpt: 'NO-CHARGE' };

/**
 * Baseline (issuer 10001) terms. Bronze leans on coinsurance after the deductible, Gold on
 * copays that apply before it; preventive drugs are always $0 in network (ACA).
 */
const BASE_TERMS: Readonly<Record<Metal, Partial<Record<DrugTier, Terms>>>> = {
  Bronze: {
    'PREFERRED-GENERIC': copay(10, 'AFTER-DEDUCTIBLE'),
    GENERIC: copay(20, 'AFTER-DEDUCTIBLE'),
    'PREFERRED-BRAND': coinsurance(0.4, 'AFTER-DEDUCTIBLE'),
    'NON-PREFERRED-BRAND': coinsurance(0.5, 'AFTER-DEDUCTIBLE'),
    SPECIALTY: coinsurance(0.5, 'AFTER-DEDUCTIBLE'),
    'ZERO-COST-SHARE-PREVENTIVE': NO_CHARGE,
  },
  'Expanded Bronze': {
    'PREFERRED-GENERIC': copay(5, 'AFTER-DEDUCTIBLE'),
    GENERIC: copay(10, 'AFTER-DEDUCTIBLE'),
    'PREFERRED-BRAND': coinsurance(0.4, 'AFTER-DEDUCTIBLE'),
    'NON-PREFERRED-BRAND': coinsurance(0.5, 'AFTER-DEDUCTIBLE'),
    SPECIALTY: coinsurance(0.45, 'AFTER-DEDUCTIBLE'),
    'ZERO-COST-SHARE-PREVENTIVE': NO_CHARGE,
  },
  Silver: {
    'PREFERRED-GENERIC': copay(3, 'BEFORE-DEDUCTIBLE'),
    GENERIC: copay(15, 'BEFORE-DEDUCTIBLE'),
    'PREFERRED-BRAND': copay(60, 'AFTER-DEDUCTIBLE'),
    'NON-PREFERRED-BRAND': coinsurance(0.4, 'AFTER-DEDUCTIBLE'),
    SPECIALTY: coinsurance(0.3, 'AFTER-DEDUCTIBLE'),
    'ZERO-COST-SHARE-PREVENTIVE': NO_CHARGE,
  },
  Gold: {
    'PREFERRED-GENERIC': copay(2, 'BEFORE-DEDUCTIBLE'),
    GENERIC: copay(10, 'BEFORE-DEDUCTIBLE'),
    'PREFERRED-BRAND': copay(40, 'BEFORE-DEDUCTIBLE'),
    'NON-PREFERRED-BRAND': copay(80, 'BEFORE-DEDUCTIBLE'),
    SPECIALTY: coinsurance(0.2, 'BEFORE-DEDUCTIBLE'),
    'ZERO-COST-SHARE-PREVENTIVE': NO_CHARGE,
  },
  Platinum: {
    GENERIC: copay(5, 'BEFORE-DEDUCTIBLE'),
  },
};

const isGenericTier = (tier: DrugTier): boolean => tier === 'GENERIC' || tier === 'PREFERRED-GENERIC';
const isBrandTier = (tier: DrugTier): boolean => tier === 'PREFERRED-BRAND' || tier === 'NON-PREFERRED-BRAND';

function issuerTerms(variant: CostVariant, metal: Metal, tier: DrugTier): Terms {
  const base = BASE_TERMS[metal][tier];
  if (!base) throw new Error(`No cost sharing defined for ${metal} / ${tier}`);
  if (base === NO_CHARGE) return base;
  const terms = { ...base };
  if (terms.copay > 0) {
    if (isBrandTier(tier)) terms.copay += variant.brandCopayDelta;
    if (isGenericTier(tier)) terms.copay = Math.max(0, terms.copay + variant.genericCopayDelta);
    if (terms.copay === 0) terms.copayOpt = 'NO-CHARGE';
    terms.coinsuranceOpt = variant.unusedCoinsuranceOpt;
  }
  if (tier === 'SPECIALTY' && terms.coinsurance > 0) {
    // Rounded to hundredths so floating point noise never reaches the JSON.
    terms.coinsurance = Math.round(Math.min(0.5, terms.coinsurance + variant.specialtyCoinsuranceDelta) * 100) / 100;
  }
  return terms;
}

/** Out-of-network pharmacies: HMOs pay less than PPOs, always as coinsurance after the deductible. */
function outOfNetworkRate(metal: Metal): number {
  return metal === 'Gold' || metal === 'Platinum' ? 0.4 : 0.5;
}

function costSharingRow(pharmacyType: PharmacyType, terms: Terms, metal: Metal): QhpCostSharing {
  if (pharmacyType.includes('-OUT-')) {
    return {
      pharmacy_type: pharmacyType,
      copay_amount: 0,
      copay_opt: 'NO-CHARGE',
      coinsurance_rate: outOfNetworkRate(metal),
      coinsurance_opt: 'AFTER-DEDUCTIBLE',
    };
  }
  // A 90-day supply costs 3 copays at retail and 2.5 by mail; coinsurance scales with price by itself.
  const multiplier = pharmacyType === '3-MONTH-IN-RETAIL' ? 3 : pharmacyType === '3-MONTH-IN-MAIL' ? 2.5 : 1;
  return {
    pharmacy_type: pharmacyType,
    copay_amount: Math.round(terms.copay * multiplier * 100) / 100,
    copay_opt: terms.copayOpt,
    coinsurance_rate: terms.coinsurance,
    coinsurance_opt: terms.coinsuranceOpt,
  };
}

export function formularyTier(issuer: IssuerDefinition, metal: Metal, tier: DrugTier): QhpFormularyTier {
  const terms = issuerTerms(issuer.costVariant, metal, tier);
  return {
    drug_tier: tier,
    mail_order: true,
    cost_sharing: PHARMACY_TYPES.map((pharmacyType) => costSharingRow(pharmacyType, terms, metal)),
  };
}

/** The 1-MONTH-IN-RETAIL cost-sharing row of a tier (handy for fixtures and tests). */
export function retailCostSharing(issuer: IssuerDefinition, metal: Metal, tier: DrugTier): QhpCostSharing {
  const row = formularyTier(issuer, metal, tier).cost_sharing.find((entry) => entry.pharmacy_type === '1-MONTH-IN-RETAIL');
  if (!row) throw new Error('1-MONTH-IN-RETAIL row missing');
  return row;
}

// ---------------------------------------------------------------------------------------------
// plans.json

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function buildPlan(issuer: IssuerDefinition, definition: PlanDefinition, info: DemoPlanInfo, year: number, issuerIndex: number): QhpPlan {
  const marketingName = `${issuer.shortName} ${definition.metal} ${definition.networkType} ${definition.deductible}`;
  const tiers = info.tiers.map((tier) => formularyTier(issuer, definition.metal, tier));
  const site = `https://www.${issuer.domain}`;
  return {
    plan_id_type: 'HIOS-PLAN-ID',
    plan_id: info.planId,
    marketing_name: marketingName,
    summary_url: `${site}/plans/${year}/${info.planId}/summary-of-benefits.pdf`,
    marketing_url: `${site}/plans/${year}/${slug(marketingName)}`,
    plan_contact: `plans@${issuer.domain}`,
    formulary_url: `${site}/formulary/${year}/${slug(definition.metal)}-drug-list.pdf`,
    years: [year],
    network: [{ network_tier: 'PREFERRED' }, { network_tier: 'NON-PREFERRED' }],
    formulary: info.formularyForm === 'object' ? (tiers[0] as QhpFormularyTier) : tiers,
    // Files are refreshed each autumn before open enrollment; issuers publish on different days.
    last_updated_on: `${year - 1}-11-${String(1 + issuerIndex * 3).padStart(2, '0')}`,
  };
}

export function buildPlans(issuer: IssuerDefinition, year: number, issuerIndex: number): QhpPlan[] {
  const infos = planInfosFor(issuer);
  return PLAN_LINEUP.map((definition, index) => buildPlan(issuer, definition, infos[index] as DemoPlanInfo, year, issuerIndex));
}
