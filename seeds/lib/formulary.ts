/**
 * Which catalogue drug each plan covers, on which tier, with which utilization management —
 * i.e. the content of an issuer's drugs.json. Decisions are hash-based (seeded), except for the
 * fixture drugs, whose coverage is pinned so DEMO_FIXTURES holds for every seed.
 */

import { DEMO_FIXTURES, FIXTURE_DRUG_IDS } from '../fixtures';
import { DRUG_CATALOGUE, findEquivalents, type CatalogueDrug, type DrugClass } from '../reference/drugs';
import type { DemoPlanInfo, IssuerDefinition } from './issuers';
import { hashString, percentile } from './prng';
import type { DrugTier, QhpDrug, QhpDrugPlan } from './qhp-types';

export interface Coverage {
  tier: DrugTier;
  priorAuthorization: boolean;
  stepTherapy: boolean;
  quantityLimit: boolean;
}

/** Salts keep the independent per-drug decisions uncorrelated. */
const Salt = {
  DemoteBrand: 1,
  PromoteBrand: 2,
  IssuerExclusion: 3,
  BronzeExclusion: 4,
  PriorAuth: 5,
  BronzePriorAuth: 6,
  StepTherapy: 7,
  Glp1StepTherapy: 8,
  SpecialtyQuantityLimit: 9,
} as const;
type Salt = (typeof Salt)[keyof typeof Salt];

const QUANTITY_LIMIT_CLASSES: ReadonlySet<DrugClass> = new Set(['opioid', 'sedative', 'adhd', 'glp1', 'substance-use']);

/** Generics this cheap land on PREFERRED-GENERIC for issuers that have that tier. */
const PREFERRED_GENERIC_MAX_PRICE = 6.5;

function roll(seed: number, issuer: IssuerDefinition, drug: CatalogueDrug, salt: Salt, extra = 0): number {
  return percentile(seed, Number(issuer.issuerId), hashString(drug.rxnormId), salt, extra);
}

/** Tier an issuer assigns on its array formularies (before plan-level narrowing). */
function issuerTier(drug: CatalogueDrug, issuer: IssuerDefinition, seed: number): DrugTier {
  switch (drug.tierHint) {
    case 'GENERIC':
      return issuer.costVariant.hasPreferredGenericTier && drug.pricePer30Days <= PREFERRED_GENERIC_MAX_PRICE ? 'PREFERRED-GENERIC' : 'GENERIC';
    case 'PREFERRED-BRAND':
      return roll(seed, issuer, drug, Salt.DemoteBrand) < 15 ? 'NON-PREFERRED-BRAND' : 'PREFERRED-BRAND';
    case 'NON-PREFERRED-BRAND':
      return roll(seed, issuer, drug, Salt.PromoteBrand) < 15 ? 'PREFERRED-BRAND' : 'NON-PREFERRED-BRAND';
    default:
      return drug.tierHint;
  }
}

/** ~12% of the catalogue is off an issuer's formulary; ACA preventive drugs never are. */
function excludedByIssuer(drug: CatalogueDrug, issuer: IssuerDefinition, seed: number): boolean {
  if (drug.tierHint === 'ZERO-COST-SHARE-PREVENTIVE') return false;
  return roll(seed, issuer, drug, Salt.IssuerExclusion) < 12;
}

const isBronzeLevel = (plan: DemoPlanInfo): boolean => plan.metal === 'Bronze' || plan.metal === 'Expanded Bronze';

function utilizationManagement(drug: CatalogueDrug, issuer: IssuerDefinition, plan: DemoPlanInfo, tier: DrugTier, seed: number): Omit<Coverage, 'tier'> {
  const planSalt = hashString(plan.planId);
  const brandTier = tier === 'PREFERRED-BRAND' || tier === 'NON-PREFERRED-BRAND';
  const priorAuthorization =
    tier === 'SPECIALTY' ||
    drug.drugClass === 'glp1' ||
    (brandTier && (roll(seed, issuer, drug, Salt.PriorAuth) < 25 || (isBronzeLevel(plan) && roll(seed, issuer, drug, Salt.BronzePriorAuth, planSalt) < 15)));
  // Step therapy: try the cheaper generic first, when the catalogue has one.
  const hasGenericEquivalent = drug.isBrand && findEquivalents(drug).some((other) => !other.isBrand);
  const stepTherapy =
    (tier === 'NON-PREFERRED-BRAND' && hasGenericEquivalent && roll(seed, issuer, drug, Salt.StepTherapy) < 60) ||
    (drug.drugClass === 'glp1' && roll(seed, issuer, drug, Salt.Glp1StepTherapy) < 50);
  const quantityLimit = QUANTITY_LIMIT_CLASSES.has(drug.drugClass) || (tier === 'SPECIALTY' && roll(seed, issuer, drug, Salt.SpecialtyQuantityLimit) < 50);
  return { priorAuthorization, stepTherapy, quantityLimit };
}

const covered = (tier: DrugTier, priorAuthorization: boolean, stepTherapy: boolean, quantityLimit: boolean): Coverage => ({
  tier,
  priorAuthorization,
  stepTherapy,
  quantityLimit,
});

/** Pinned coverage for fixture drugs: undefined = not a fixture, null = not covered. */
function fixtureCoverage(drug: CatalogueDrug, plan: DemoPlanInfo): Coverage | null | undefined {
  const singleTierPlan = plan.formularyForm === 'object';
  switch (drug.rxnormId) {
    case FIXTURE_DRUG_IDS.atorvastatin20:
      return covered('GENERIC', false, false, false);
    case FIXTURE_DRUG_IDS.lipitor20:
      return singleTierPlan || plan.planId === DEMO_FIXTURES.plans.buckeyeBronze ? null : covered('NON-PREFERRED-BRAND', false, true, false);
    case FIXTURE_DRUG_IDS.eliquis5:
      return singleTierPlan ? null : covered('PREFERRED-BRAND', isBronzeLevel(plan), false, false);
    case FIXTURE_DRUG_IDS.humira:
      return singleTierPlan ? null : covered('SPECIALTY', true, false, true);
    case FIXTURE_DRUG_IDS.uncovered:
      return null;
    default:
      return undefined;
  }
}

/** Coverage of one drug on one plan, or null when the plan does not cover it. */
export function coverageFor(drug: CatalogueDrug, issuer: IssuerDefinition, plan: DemoPlanInfo, seed: number): Coverage | null {
  const pinned = fixtureCoverage(drug, plan);
  if (pinned !== undefined) return pinned;
  if (excludedByIssuer(drug, issuer, seed)) return null;

  let tier = issuerTier(drug, issuer, seed);
  if (plan.formularyForm === 'object') {
    // The single-object formulary only defines GENERIC: generic-tier drugs only.
    if (tier !== 'GENERIC' && tier !== 'PREFERRED-GENERIC') return null;
    tier = 'GENERIC';
  } else if (isBronzeLevel(plan) && tier === 'NON-PREFERRED-BRAND' && roll(seed, issuer, drug, Salt.BronzeExclusion, hashString(plan.planId)) < 30) {
    return null; // Bronze formularies are narrower for non-preferred brands.
  }
  if (!plan.tiers.includes(tier)) throw new Error(`Tier ${tier} is not defined on plan ${plan.planId}`);
  return { tier, ...utilizationManagement(drug, issuer, plan, tier, seed) };
}

/** drugs.json content for one issuer: every catalogue drug covered by at least one of its plans. */
export function buildIssuerDrugs(issuer: IssuerDefinition, plans: readonly DemoPlanInfo[], seed: number, year: number): QhpDrug[] {
  const drugs: QhpDrug[] = [];
  for (const drug of DRUG_CATALOGUE) {
    const planEntries: QhpDrugPlan[] = [];
    for (const plan of plans) {
      const coverage = coverageFor(drug, issuer, plan, seed);
      if (!coverage) continue;
      planEntries.push({
        plan_id_type: 'HIOS-PLAN-ID',
        plan_id: plan.planId,
        drug_tier: coverage.tier,
        prior_authorization: coverage.priorAuthorization,
        step_therapy: coverage.stepTherapy,
        quantity_limit: coverage.quantityLimit,
        years: [year],
      });
    }
    if (planEntries.length > 0) drugs.push({ rxnorm_id: drug.rxnormId, drug_name: drug.drugName, plans: planEntries });
  }
  return drugs;
}
