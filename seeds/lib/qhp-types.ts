/** Shapes of the CMS QHP machine-readable files, as the demo generator writes them. */

import type { Accepting, CostSharingOption, DrugTier, Gender, PharmacyType, PlanIdType } from '../../src/qhp/vocabulary';

export type { Accepting, DrugTier, Gender, PharmacyType, PlanIdType };
export { PHARMACY_TYPES } from '../../src/qhp/vocabulary';

export type CopayOption = CostSharingOption;
/** The schema documents the first three; the official example also uses BEFORE-DEDUCTIBLE and null. */
export type CoinsuranceOption = CostSharingOption | null;

export type NetworkTier = 'PREFERRED' | 'NON-PREFERRED';

export interface QhpCostSharing {
  pharmacy_type: PharmacyType;
  copay_amount: number;
  copay_opt: CopayOption;
  coinsurance_rate: number;
  coinsurance_opt: CoinsuranceOption;
}

export interface QhpFormularyTier {
  drug_tier: DrugTier;
  mail_order: boolean;
  cost_sharing: QhpCostSharing[];
}

export interface QhpPlan {
  plan_id_type: PlanIdType;
  plan_id: string;
  marketing_name: string;
  summary_url: string;
  marketing_url: string;
  plan_contact: string;
  formulary_url: string;
  years: number[];
  network: Array<{ network_tier: NetworkTier }>;
  /** Either form is valid QHP; the demo uses the single-object form for Platinum plans. */
  formulary: QhpFormularyTier | QhpFormularyTier[];
  last_updated_on: string;
}

export interface QhpProviderPlan {
  plan_id_type: PlanIdType;
  plan_id: string;
  network_tier: NetworkTier;
  years: number[];
}

export interface QhpAddress {
  address: string;
  address_2?: string;
  city: string;
  state: string;
  zip: string;
  phone?: string;
}

export interface QhpPersonName {
  prefix?: string;
  first: string;
  middle?: string;
  last: string;
  suffix?: string;
}

export interface QhpIndividualProvider {
  npi: string;
  type: 'INDIVIDUAL';
  name: QhpPersonName;
  addresses: QhpAddress[];
  /** The schema spells it "speciality", the official example data "specialty": a record uses one of them. */
  specialty?: string[];
  speciality?: string[];
  accepting?: Accepting;
  gender?: Gender;
  languages?: string[];
  plans: QhpProviderPlan[];
  last_updated_on: string;
}

export interface QhpFacilityProvider {
  npi: string;
  type: 'FACILITY';
  facility_name: string;
  facility_type: string[];
  addresses: QhpAddress[];
  plans: QhpProviderPlan[];
  last_updated_on: string;
}

export type QhpProvider = QhpIndividualProvider | QhpFacilityProvider;

export interface QhpDrugPlan {
  plan_id_type: PlanIdType;
  plan_id: string;
  drug_tier: DrugTier;
  prior_authorization: boolean;
  step_therapy: boolean;
  quantity_limit: boolean;
  years: number[];
}

export interface QhpDrug {
  rxnorm_id: string;
  drug_name: string;
  plans: QhpDrugPlan[];
}

export interface QhpIndex {
  plan_urls: string[];
  provider_urls: string[];
  formulary_urls: string[];
}
