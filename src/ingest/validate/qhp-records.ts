import { ProviderType } from '../../qhp/vocabulary';

/** Records as validated and normalized from the QHP files, ready to be written as table rows. */

export interface CostSharingRecord {
  pharmacyType: string;
  copayAmount: number | null;
  copayOpt: string | null;
  coinsuranceRate: number | null;
  coinsuranceOpt: string | null;
}

export interface DrugTierRecord {
  drugTier: string;
  mailOrder: boolean;
  costSharing: CostSharingRecord[];
}

export interface PlanRecord {
  planId: string;
  issuerId: string;
  state: string;
  planIdType: string;
  marketingName: string;
  metalLevel: string | null;
  summaryUrl: string | null;
  marketingUrl: string | null;
  formularyUrl: string | null;
  planContact: string | null;
  years: number[];
  networkTiers: string[];
  drugTiers: DrugTierRecord[];
  /** The `benefits` value as JSON text (free shape). */
  benefitsJson: string | null;
  lastUpdatedOn: string | null;
  sourceFile: string;
  recordIndex: number;
}

export interface AddressRecord {
  address: string;
  address2: string | null;
  city: string;
  state: string;
  zip: string;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface NetworkEntryRecord {
  planId: string;
  networkTier: string;
  years: number[];
}

export interface ProviderRecord {
  npi: string | null;
  type: ProviderType;
  prefix: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  suffix: string | null;
  /** FACILITY: facility_name; GROUP: group_name (or facility_name in files that used it). */
  facilityName: string | null;
  displayName: string;
  specialties: string[];
  facilityTypes: string[];
  accepting: string | null;
  gender: string | null;
  languages: string[];
  lastUpdatedOn: string | null;
  addresses: AddressRecord[];
  networks: NetworkEntryRecord[];
}

export interface FormularyEntryRecord {
  planId: string;
  drugTier: string;
  priorAuthorization: boolean;
  stepTherapy: boolean;
  quantityLimit: boolean;
  years: number[];
}

export interface DrugRecord {
  rxnormId: string;
  drugName: string;
  /** False when an earlier record already loaded this RXCUI: only its new plan entries are written. */
  isFirstOccurrence: boolean;
  entries: FormularyEntryRecord[];
}

/** What provider and drug validation needs to know about each loaded plan. */
export interface CatalogPlan {
  planId: string;
  /** Dense 0-based number, used to index per-drug bitsets of plans. */
  ordinal: number;
  networkTiers: ReadonlySet<string>;
  drugTiers: ReadonlySet<string>;
}

/** A catalog plan as plain data (sent to worker threads). */
export interface CatalogPlanData {
  planId: string;
  networkTiers: string[];
  drugTiers: string[];
}

/** The valid plans of the load (plans files are read before providers and drugs). */
export class PlanCatalog {
  private readonly plans = new Map<string, CatalogPlan>();

  static fromData(data: readonly CatalogPlanData[]): PlanCatalog {
    const catalog = new PlanCatalog();
    for (const plan of data) catalog.addPlan(plan);
    return catalog;
  }

  add(plan: PlanRecord): void {
    this.addPlan({ planId: plan.planId, networkTiers: plan.networkTiers, drugTiers: plan.drugTiers.map((t) => t.drugTier) });
  }

  private addPlan({ planId, networkTiers, drugTiers }: CatalogPlanData): void {
    this.plans.set(planId, { planId, ordinal: this.plans.size, networkTiers: new Set(networkTiers), drugTiers: new Set(drugTiers) });
  }

  /** Every plan in catalog order (rebuilt by fromData with the same ordinals). */
  toData(): CatalogPlanData[] {
    return [...this.plans.values()].map((p) => ({ planId: p.planId, networkTiers: [...p.networkTiers], drugTiers: [...p.drugTiers] }));
  }

  get(planId: string): CatalogPlan | undefined {
    return this.plans.get(planId);
  }

  has(planId: string): boolean {
    return this.plans.has(planId);
  }

  get size(): number {
    return this.plans.size;
  }
}
