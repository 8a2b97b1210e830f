/**
 * The words of the CMS QHP machine-readable format (plans.json, providers.json, drugs.json) that the
 * importer checks, the answers explain and the exports write back. Every other module takes them from
 * here, so a spelling lives in one place.
 */

/** "A, B or C": the words a field takes, as descriptions and messages list them. */
export function oneOf(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Plan years (`years` of plans, network and formulary entries): the marketplaces opened for 2014; later than 2100 is a typo. */
export const MIN_PLAN_YEAR = 2014;
export const MAX_PLAN_YEAR = 2100;

/** plan_id_type: the only identifier scheme the format defines. */
export const PLAN_ID_TYPE = 'HIOS-PLAN-ID';
export type PlanIdType = typeof PLAN_ID_TYPE;

/** cost_sharing.pharmacy_type: supply (1 or 3 months), network (IN/OUT) and channel (RETAIL/MAIL). */
export const PHARMACY_TYPES = [
  '1-MONTH-IN-RETAIL',
  '1-MONTH-OUT-RETAIL',
  '1-MONTH-IN-MAIL',
  '1-MONTH-OUT-MAIL',
  '3-MONTH-IN-RETAIL',
  '3-MONTH-OUT-RETAIL',
  '3-MONTH-IN-MAIL',
  '3-MONTH-OUT-MAIL',
] as const;
export type PharmacyType = (typeof PHARMACY_TYPES)[number];

/** The pharmacy type prices are quoted for and summaries lead with: a 30-day fill at an in-network retail pharmacy. */
export const RETAIL_30_DAY: PharmacyType = '1-MONTH-IN-RETAIL';

/** cost_sharing.copay_opt and coinsurance_opt. The schema documents the first three; the official example also uses BEFORE-DEDUCTIBLE. */
export const COST_SHARING_OPTS = ['AFTER-DEDUCTIBLE', 'BEFORE-DEDUCTIBLE', 'NO-CHARGE', 'NO-CHARGE-AFTER-DEDUCTIBLE'] as const;
export type CostSharingOption = (typeof COST_SHARING_OPTS)[number];
/** Options under which the member pays nothing (at once, or once the deductible is met). */
export const NO_CHARGE_OPTS: ReadonlySet<string> = new Set<CostSharingOption>(['NO-CHARGE', 'NO-CHARGE-AFTER-DEDUCTIBLE']);
/** Options that apply only once the deductible is met. */
export const AFTER_DEDUCTIBLE_OPTS: ReadonlySet<string> = new Set<CostSharingOption>(['AFTER-DEDUCTIBLE', 'NO-CHARGE-AFTER-DEDUCTIBLE']);

/** formulary.drug_tier values the schema names; a plan may define others, so the importer takes any text. */
export const DRUG_TIERS = ['PREFERRED-GENERIC', 'GENERIC', 'PREFERRED-BRAND', 'NON-PREFERRED-BRAND', 'SPECIALTY', 'ZERO-COST-SHARE-PREVENTIVE'] as const;
export type DrugTier = (typeof DRUG_TIERS)[number];

/** A formulary entry's utilization management flags, as an answer names them. */
export interface DrugRestrictions {
  priorAuthorization: boolean;
  stepTherapy: boolean;
  quantityLimit: boolean;
}

/** "prior authorization", "step therapy", "a quantity limit": the restrictions that apply, in that order. */
export function restrictionWords(entry: DrugRestrictions): string[] {
  const words: string[] = [];
  if (entry.priorAuthorization) words.push('prior authorization');
  if (entry.stepTherapy) words.push('step therapy');
  if (entry.quantityLimit) words.push('a quantity limit');
  return words;
}

/**
 * provider.type. Declared as an enum so GraphQL can expose it (ProviderKind); the values are the
 * format's spellings.
 */
export enum ProviderType {
  INDIVIDUAL = 'INDIVIDUAL',
  FACILITY = 'FACILITY',
  GROUP = 'GROUP',
}
export const PROVIDER_TYPES = [ProviderType.INDIVIDUAL, ProviderType.FACILITY, ProviderType.GROUP] as const;

/** provider.accepting (INDIVIDUAL records only). */
export const ACCEPTING = 'accepting';
export const NOT_ACCEPTING = 'not accepting';
export const ACCEPTING_IN_SOME_LOCATIONS = 'accepting in some locations';
export const ACCEPTING_WORDS = [ACCEPTING, NOT_ACCEPTING, ACCEPTING_IN_SOME_LOCATIONS] as const;
export type Accepting = (typeof ACCEPTING_WORDS)[number];

/** provider.gender (INDIVIDUAL records only). */
export const GENDERS = ['Male', 'Female', 'Other'] as const;
export type Gender = (typeof GENDERS)[number];

/**
 * The longest text (in characters) each kind of QHP field may hold. Longer values are a broken
 * generator, not data: names and addresses are indexed, and an index entry holds at most 2,704 bytes.
 * A record whose required text is too long is rejected; a descriptive one is dropped with a warning.
 */
export const TEXT_LIMITS = {
  /** Person name parts, facility and group names, plan marketing names. */
  name: 200,
  /** An individual's display name ("first middle last suffix"): indexed whole, at up to 4 bytes a character. */
  displayName: 600,
  /** address, address_2, city. */
  address: 200,
  phone: 100,
  /** Specialties, languages, facility types, network and drug tier names, plan_id_type. */
  term: 200,
  /** drug_name: RxNorm names of combination packs run long. */
  drugName: 1_000,
  /** summary_url, marketing_url, formulary_url. */
  url: 2_000,
  /** plan_contact and other free text. */
  freeText: 2_000,
} as const;
export type TextKind = keyof typeof TEXT_LIMITS;

/**
 * How deeply a record's values may nest (the record itself is level 1). QHP records need 5 (a plan's
 * formulary → tier → cost_sharing → entry); deeper is refused before anything walks the value
 * recursively.
 */
export const MAX_NESTING_DEPTH = 32;
