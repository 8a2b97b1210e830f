/** Shapes of the CMS QHP machine-readable files, as the demo generator writes them. */

export type PlanIdType = 'HIOS-PLAN-ID';

export type PharmacyType =
  | '1-MONTH-IN-RETAIL'
  | '1-MONTH-OUT-RETAIL'
  | '1-MONTH-IN-MAIL'
  | '1-MONTH-OUT-MAIL'
  | '3-MONTH-IN-RETAIL'
  | '3-MONTH-OUT-RETAIL'
  | '3-MONTH-IN-MAIL'
  | '3-MONTH-OUT-MAIL';

export const PHARMACY_TYPES: readonly PharmacyType[] = [
  '1-MONTH-IN-RETAIL',
  '1-MONTH-OUT-RETAIL',
  '1-MONTH-IN-MAIL',
  '1-MONTH-OUT-MAIL',
  '3-MONTH-IN-RETAIL',
  '3-MONTH-OUT-RETAIL',
  '3-MONTH-IN-MAIL',
  '3-MONTH-OUT-MAIL',
];

export type CopayOption = 'AFTER-DEDUCTIBLE' | 'BEFORE-DEDUCTIBLE' | 'NO-CHARGE' | 'NO-CHARGE-AFTER-DEDUCTIBLE';
/** The schema documents the first three; the official example also uses BEFORE-DEDUCTIBLE and null. */
export type CoinsuranceOption = 'AFTER-DEDUCTIBLE' | 'BEFORE-DEDUCTIBLE' | 'NO-CHARGE' | 'NO-CHARGE-AFTER-DEDUCTIBLE' | null;

export type DrugTier =
  | 'PREFERRED-GENERIC'
  | 'GENERIC'
  | 'PREFERRED-BRAND'
  | 'NON-PREFERRED-BRAND'
  | 'SPECIALTY'
  | 'ZERO-COST-SHARE-PREVENTIVE';

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

export type Accepting = 'accepting' | 'not accepting' | 'accepting in some locations';
export type Gender = 'Male' | 'Female' | 'Other';

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
