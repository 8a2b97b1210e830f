import { issuerIdOfPlan, isValidNpi, npiProblem, planIdProblem, rxcuiProblem, RXCUI_PATTERN, stateOfPlan } from '../../common/identifiers';
import {
  ACCEPTING_WORDS,
  COST_SHARING_OPTS,
  GENDERS,
  MAX_NESTING_DEPTH,
  oneOf,
  PHARMACY_TYPES,
  PLAN_ID_TYPE,
  PROVIDER_TYPES,
  ProviderType,
  TEXT_LIMITS,
} from '../../qhp/vocabulary';
import { asList, choices, describeValue, FieldReader, isJsonObject, JsonObject, tooDeeplyNested } from './field-rules';
import {
  AddressRecord,
  CatalogPlan,
  CostSharingRecord,
  DrugRecord,
  DrugTierRecord,
  FormularyEntryRecord,
  NetworkEntryRecord,
  PlanCatalog,
  PlanRecord,
  ProviderRecord,
} from './qhp-records';
import { Rejection, Warning } from './reasons';
import { FieldPath, IssueSink, RecordLocation } from './validation-report';
import { ZipGeocoder } from './zip-geocoder';

const PROVIDER_TYPE_CHOICES = choices(PROVIDER_TYPES);
const ACCEPTING_CHOICES = choices(ACCEPTING_WORDS);
const GENDER_CHOICES = choices(GENDERS);
const PHARMACY_TYPE_CHOICES = choices(PHARMACY_TYPES);
const COST_SHARING_OPT_CHOICES = choices(COST_SHARING_OPTS);
const METAL_LEVEL = /\b(bronze|silver|gold|platinum|catastrophic)\b/i;
/** provider_address.address_no is a smallint. */
const MAX_ADDRESSES = 32_767;

/** What validating records of one file needs: where to report, and the plans of the load. */
export interface ValidationContext {
  issues: IssueSink;
  issuerId: string;
  catalog: PlanCatalog;
}

export interface ProviderValidationContext extends ValidationContext {
  geocoder: ZipGeocoder;
}

export interface DrugValidationContext extends ValidationContext {
  drugs: DrugRegistry;
}

/** "Bronze", "Silver", ... from a marketing name such as "Vandelay Gold Health Plan"; null when none is named. */
export function metalLevelOf(marketingName: string): string | null {
  const match = METAL_LEVEL.exec(marketingName);
  return match ? match[1][0].toUpperCase() + match[1].slice(1).toLowerCase() : null;
}

/** "Martin Van Nostrand Jr." */
export function personDisplayName(first: string, middle: string | null, last: string, suffix: string | null): string {
  let name = first;
  if (middle) name += ` ${middle}`;
  name += ` ${last}`;
  if (suffix) name += ` ${suffix}`;
  return name;
}

function rejectRecord(reader: FieldReader, kind: string, field: FieldPath, reason: string, message: string): null {
  reader.reject(field, reason, message);
  reader.issues.countRejected(kind);
  return null;
}

/**
 * Rejects a record holding a value nested deeper than MAX_NESTING_DEPTH, before anything (a message's
 * JSON.stringify, benefits) walks it recursively; true when rejected.
 */
function rejectedAsTooDeep(reader: FieldReader, kind: string, raw: JsonObject): boolean {
  const path = tooDeeplyNested(raw);
  if (!path) return false;
  rejectRecord(reader, kind, path, Rejection.TOO_DEEPLY_NESTED, `a value is nested more than ${MAX_NESTING_DEPTH} levels deep`);
  return true;
}

// ---------------------------------------------------------------- plans

/**
 * The issuers owning the plans of plans.json when none of them is `issuerId` (a whole file uploaded
 * for the wrong issuer), else null.
 */
export function foreignIssuersOnly(rawPlans: readonly unknown[], issuerId: string): string[] | null {
  const issuers = new Set<string>();
  for (const raw of rawPlans) {
    const planId = isJsonObject(raw) ? raw.plan_id : undefined;
    if (planIdProblem(planId) === null) issuers.add(issuerIdOfPlan(planId as string));
  }
  return issuers.size && !issuers.has(issuerId) ? [...issuers].sort() : null;
}

function readCostSharing(reader: FieldReader, raw: unknown, field: FieldPath): CostSharingRecord | undefined {
  if (!isJsonObject(raw)) return reader.reject(field, Rejection.INVALID_FIELD, `cost sharing must be an object, got ${describeValue(raw)}`);
  const pharmacyType = reader.choice(raw.pharmacy_type, PHARMACY_TYPE_CHOICES, [...field, 'pharmacy_type'], 'reject');
  if (pharmacyType === null) return reader.reject([...field, 'pharmacy_type'], Rejection.MISSING_FIELD, 'pharmacy_type is required');
  const copayAmount = reader.amount(raw.copay_amount, [...field, 'copay_amount']);
  const copayOpt = reader.choice(raw.copay_opt, COST_SHARING_OPT_CHOICES, [...field, 'copay_opt'], 'reject');
  const coinsuranceRate = reader.rate(raw.coinsurance_rate, [...field, 'coinsurance_rate']);
  const coinsuranceOpt = reader.choice(raw.coinsurance_opt, COST_SHARING_OPT_CHOICES, [...field, 'coinsurance_opt'], 'reject');
  if (pharmacyType === undefined || copayAmount === undefined || copayOpt === undefined || coinsuranceRate === undefined || coinsuranceOpt === undefined) {
    return undefined;
  }
  return { pharmacyType, copayAmount, copayOpt, coinsuranceRate, coinsuranceOpt };
}

function readDrugTier(reader: FieldReader, raw: unknown, field: FieldPath): DrugTierRecord | undefined {
  if (!isJsonObject(raw)) return reader.reject(field, Rejection.INVALID_FIELD, `formulary entry must be an object, got ${describeValue(raw)}`);
  const drugTier = reader.requiredText(raw.drug_tier, [...field, 'drug_tier'], 'drug_tier', 'term');
  const mailOrder = reader.flag(raw.mail_order, [...field, 'mail_order']);
  if (drugTier === undefined || mailOrder === undefined) return undefined;

  const costSharing: CostSharingRecord[] = [];
  const rawCostSharing = asList(raw.cost_sharing);
  for (let i = 0; i < rawCostSharing.length; i++) {
    const entryField = Array.isArray(raw.cost_sharing) ? [...field, 'cost_sharing', i] : [...field, 'cost_sharing'];
    const entry = readCostSharing(reader, rawCostSharing[i], entryField);
    if (!entry) {
      reader.issues.countRejected('costSharing');
    } else if (costSharing.some((c) => c.pharmacyType === entry.pharmacyType)) {
      reader.reject(
        [...entryField, 'pharmacy_type'],
        Rejection.DUPLICATE_COST_SHARING,
        `tier ${drugTier} lists ${entry.pharmacyType} twice: the first one is kept`,
      );
      reader.issues.countRejected('costSharing');
    } else {
      costSharing.push(entry);
    }
  }
  return { drugTier, mailOrder, costSharing };
}

function readNetworkTiers(reader: FieldReader, raw: unknown, field: FieldPath): string[] {
  const tiers: string[] = [];
  const list = asList(raw);
  for (let i = 0; i < list.length; i++) {
    const entryField = Array.isArray(raw) ? [...field, i] : field;
    const entry = list[i];
    const tier = isJsonObject(entry)
      ? reader.requiredText(entry.network_tier, [...entryField, 'network_tier'], 'network_tier', 'term')
      : reader.reject(entryField, Rejection.INVALID_FIELD, `network entry must be an object with network_tier, got ${describeValue(entry)}`);
    if (tier !== undefined && !tiers.includes(tier)) tiers.push(tier);
  }
  return tiers;
}

function readDrugTiers(reader: FieldReader, raw: unknown, planId: string): DrugTierRecord[] {
  const tiers: DrugTierRecord[] = [];
  const list = asList(raw);
  for (let i = 0; i < list.length; i++) {
    const field = Array.isArray(raw) ? ['formulary', i] : ['formulary'];
    const tier = readDrugTier(reader, list[i], field);
    if (!tier) {
      reader.issues.countRejected('drugTiers');
    } else if (tiers.some((t) => t.drugTier === tier.drugTier)) {
      reader.reject([...field, 'drug_tier'], Rejection.DUPLICATE_DRUG_TIER, `plan ${planId} defines drug tier ${tier.drugTier} twice: the first one is kept`);
      reader.issues.countRejected('drugTiers');
    } else {
      tiers.push(tier);
    }
  }
  return tiers;
}

/** One plan of plans.json, or null when rejected (each problem is reported). */
export function validatePlan(raw: unknown, at: RecordLocation, ctx: ValidationContext): PlanRecord | null {
  const reader = new FieldReader(ctx.issues, at);
  if (!isJsonObject(raw)) return rejectRecord(reader, 'plans', [], Rejection.NOT_AN_OBJECT, `a plan must be an object, got ${describeValue(raw)}`);
  if (rejectedAsTooDeep(reader, 'plans', raw)) return null;
  if (raw.plan_id == null) return rejectRecord(reader, 'plans', ['plan_id'], Rejection.MISSING_FIELD, 'plan_id is required');
  const idProblem = planIdProblem(raw.plan_id);
  if (idProblem) return rejectRecord(reader, 'plans', ['plan_id'], Rejection.INVALID_PLAN_ID, idProblem);
  const planId = raw.plan_id as string;
  if (issuerIdOfPlan(planId) !== ctx.issuerId) {
    return rejectRecord(
      reader,
      'plans',
      ['plan_id'],
      Rejection.WRONG_ISSUER,
      `plan ${planId} belongs to issuer ${issuerIdOfPlan(planId)}, not to issuer ${ctx.issuerId} being loaded`,
    );
  }
  if (ctx.catalog.has(planId))
    return rejectRecord(reader, 'plans', ['plan_id'], Rejection.DUPLICATE_PLAN, `plan ${planId} is listed twice: the first one is kept`);

  const marketingName = reader.requiredText(raw.marketing_name, ['marketing_name'], 'marketing_name', 'name');
  const years = reader.years(raw.years, ['years']);
  if (marketingName === undefined || years === undefined) {
    reader.issues.countRejected('plans');
    return null;
  }
  const plan: PlanRecord = {
    planId,
    issuerId: ctx.issuerId,
    state: stateOfPlan(planId),
    planIdType: reader.text(raw.plan_id_type, ['plan_id_type'], 'term') ?? PLAN_ID_TYPE,
    marketingName,
    metalLevel: metalLevelOf(marketingName),
    summaryUrl: reader.text(raw.summary_url, ['summary_url'], 'url'),
    marketingUrl: reader.text(raw.marketing_url, ['marketing_url'], 'url'),
    formularyUrl: reader.text(raw.formulary_url, ['formulary_url'], 'url'),
    planContact: reader.text(raw.plan_contact, ['plan_contact'], 'freeText'),
    years,
    networkTiers: readNetworkTiers(reader, raw.network, ['network']),
    drugTiers: readDrugTiers(reader, raw.formulary, planId),
    benefitsJson: raw.benefits == null ? null : JSON.stringify(raw.benefits),
    lastUpdatedOn: reader.date(raw.last_updated_on, ['last_updated_on']),
    sourceFile: ctx.issues.file,
    recordIndex: at.recordIndex,
  };
  ctx.issues.countLoaded('plans');
  ctx.issues.countLoaded('drugTiers', plan.drugTiers.length);
  ctx.issues.countLoaded(
    'costSharing',
    plan.drugTiers.reduce((sum, tier) => sum + tier.costSharing.length, 0),
  );
  return plan;
}

// ---------------------------------------------------------------- plan references (providers and drugs)

/** The plan a provider or drug entry names, or undefined (reported) when it is not a plan of this load. */
function resolvePlan(reader: FieldReader, planId: unknown, field: FieldPath, ctx: ValidationContext): CatalogPlan | undefined {
  const known = typeof planId === 'string' ? ctx.catalog.get(planId) : undefined;
  if (known) return known;
  if (planId == null || planId === '') return reader.reject(field, Rejection.MISSING_FIELD, 'plan_id is required');
  const problem = planIdProblem(planId);
  if (problem) return reader.reject(field, Rejection.INVALID_PLAN_ID, problem);
  const owner = issuerIdOfPlan(planId as string);
  if (owner !== ctx.issuerId) {
    return reader.reject(field, Rejection.WRONG_ISSUER, `plan ${planId} belongs to issuer ${owner}, not to issuer ${ctx.issuerId} being loaded`);
  }
  return reader.reject(field, Rejection.UNKNOWN_PLAN, `plan ${planId} is not in the plans file of this load`);
}

function tierList(tiers: ReadonlySet<string>): string {
  return tiers.size ? [...tiers].join(', ') : 'none';
}

// ---------------------------------------------------------------- providers

function readNetworkEntry(reader: FieldReader, raw: unknown, index: number, ctx: ValidationContext): NetworkEntryRecord | undefined {
  const field = ['plans', index];
  if (!isJsonObject(raw)) return reader.reject(field, Rejection.INVALID_FIELD, `a plan entry must be an object, got ${describeValue(raw)}`);
  const plan = resolvePlan(reader, raw.plan_id, ['plans', index, 'plan_id'], ctx);
  if (!plan) return undefined;
  const tier = raw.network_tier;
  if (tier == null || tier === '') return reader.reject(['plans', index, 'network_tier'], Rejection.MISSING_FIELD, 'network_tier is required');
  if (typeof tier !== 'string' || !plan.networkTiers.has(tier)) {
    return reader.reject(
      ['plans', index, 'network_tier'],
      Rejection.UNKNOWN_NETWORK_TIER,
      `network tier ${describeValue(tier)} is not defined by plan ${plan.planId} (its tiers: ${tierList(plan.networkTiers)})`,
    );
  }
  const years = reader.years(raw.years, ['plans', index, 'years']);
  if (years === undefined) return undefined;
  return { planId: plan.planId, networkTier: tier, years };
}

/** network_membership's primary key order after record_no (code-point order, as the C.UTF-8 and "C" collations sort). */
function byPlanAndTier(a: NetworkEntryRecord, b: NetworkEntryRecord): number {
  if (a.planId !== b.planId) return a.planId < b.planId ? -1 : 1;
  return a.networkTier < b.networkTier ? -1 : a.networkTier > b.networkTier ? 1 : 0;
}

/**
 * Valid plan entries, one per (plan, tier): repeats are merged, their years combined. They come in
 * (plan, tier) order, so the rows of a file reach network_membership in primary-key order and its
 * index build finds them presorted (one pass instead of a sort).
 */
function readNetworkEntries(reader: FieldReader, raw: unknown[], ctx: ValidationContext): NetworkEntryRecord[] {
  const entries: NetworkEntryRecord[] = [];
  for (let i = 0; i < raw.length; i++) {
    const entry = readNetworkEntry(reader, raw[i], i, ctx);
    if (!entry) {
      reader.issues.countRejected('networkMemberships');
      continue;
    }
    const same = entries.find((e) => e.planId === entry.planId && e.networkTier === entry.networkTier);
    if (!same) entries.push(entry);
    else if (same.years.length && entry.years.length) same.years = [...new Set([...same.years, ...entry.years])].sort((a, b) => a - b);
    else same.years = []; // one of them states no years: the membership holds for every year
  }
  return entries.length > 1 ? entries.sort(byPlanAndTier) : entries;
}

function readAddress(reader: FieldReader, raw: unknown, index: number, geocoder: ZipGeocoder): AddressRecord | undefined {
  if (!isJsonObject(raw)) return reader.reject(['addresses', index], Rejection.INVALID_FIELD, `an address must be an object, got ${describeValue(raw)}`);
  const address = reader.requiredText(raw.address, ['addresses', index, 'address'], 'address', 'address');
  const city = reader.requiredText(raw.city, ['addresses', index, 'city'], 'city', 'address');
  const state = reader.state(raw.state, ['addresses', index, 'state']);
  const zip = reader.zip(raw.zip, ['addresses', index, 'zip']);
  if (address === undefined || city === undefined || state === undefined || zip === undefined) return undefined;
  let latitude = reader.coordinate(raw.latitude, 90);
  let longitude = reader.coordinate(raw.longitude, 180);
  if (latitude === null || longitude === null) {
    const centroid = geocoder.locate(zip);
    latitude = centroid?.latitude ?? null;
    longitude = centroid?.longitude ?? null;
  }
  return {
    address,
    address2: reader.text(raw.address_2, ['addresses', index, 'address_2'], 'address'),
    city,
    state,
    zip,
    phone: reader.text(raw.phone, ['addresses', index, 'phone'], 'phone'),
    latitude,
    longitude,
  };
}

function readAddresses(reader: FieldReader, raw: unknown[], geocoder: ZipGeocoder): AddressRecord[] {
  const addresses: AddressRecord[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (i === MAX_ADDRESSES) {
      reader.reject(['addresses', i], Rejection.TOO_MANY_ADDRESSES, `only the first ${MAX_ADDRESSES} addresses of a provider are loaded`);
      reader.issues.countRejected('addresses', raw.length - i);
      break;
    }
    const address = readAddress(reader, raw[i], i, geocoder);
    if (address) addresses.push(address);
    else reader.issues.countRejected('addresses');
  }
  return addresses;
}

type ProviderNames = Pick<ProviderRecord, 'prefix' | 'firstName' | 'middleName' | 'lastName' | 'suffix' | 'facilityName' | 'displayName'>;

function readNames(reader: FieldReader, raw: JsonObject, type: ProviderType): ProviderNames | undefined {
  if (type === ProviderType.INDIVIDUAL) {
    const name = isJsonObject(raw.name) ? raw.name : {};
    const firstName = reader.requiredText(name.first, ['name', 'first'], 'name.first', 'name');
    const lastName = reader.requiredText(name.last, ['name', 'last'], 'name.last', 'name');
    if (firstName === undefined || lastName === undefined) return undefined;
    const middleName = reader.text(name.middle, ['name', 'middle'], 'name');
    const suffix = reader.text(name.suffix, ['name', 'suffix'], 'name');
    const prefix = reader.text(name.prefix, ['name', 'prefix'], 'name');
    const displayName = personDisplayName(firstName, middleName, lastName, suffix);
    if (displayName.length > TEXT_LIMITS.displayName) {
      return reader.reject(
        ['name'],
        Rejection.TEXT_TOO_LONG,
        `the full name has ${displayName.length} characters, more than the ${TEXT_LIMITS.displayName} allowed`,
      );
    }
    return { prefix, firstName, middleName, lastName, suffix, facilityName: null, displayName };
  }
  // The format names a group practice by `group_name`; files that used `facility_name` for groups load too.
  const key = type === ProviderType.GROUP && (raw.group_name != null || raw.facility_name == null) ? 'group_name' : 'facility_name';
  const facilityName = reader.requiredText(raw[key], [key], key, 'name');
  if (facilityName === undefined) return undefined;
  return { prefix: null, firstName: null, middleName: null, lastName: null, suffix: null, facilityName, displayName: facilityName };
}

/** The NPI, null when the record has none (allowed by newer schema versions), undefined when invalid. */
function readNpi(reader: FieldReader, value: unknown): string | null | undefined {
  if (value == null || value === '') {
    reader.warn(['npi'], Warning.MISSING_NPI, 'provider has no NPI: it is listed but cannot be found by NPI');
    return null;
  }
  const npi = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof npi === 'string' && isValidNpi(npi)) return npi;
  return reader.reject(['npi'], Rejection.INVALID_NPI, npiProblem(npi) ?? `invalid NPI ${describeValue(value)}`);
}

/** One provider of providers.json, or null when rejected as a whole (each problem is reported). */
export function validateProvider(raw: unknown, at: RecordLocation, ctx: ProviderValidationContext): ProviderRecord | null {
  const reader = new FieldReader(ctx.issues, at);
  if (!isJsonObject(raw)) return rejectRecord(reader, 'providers', [], Rejection.NOT_AN_OBJECT, `a provider must be an object, got ${describeValue(raw)}`);
  if (rejectedAsTooDeep(reader, 'providers', raw)) return null;
  const npi = readNpi(reader, raw.npi);
  if (npi === undefined) {
    ctx.issues.countRejected('providers');
    return null;
  }
  const type = typeof raw.type === 'string' ? (PROVIDER_TYPE_CHOICES.get(raw.type.trim().toLowerCase()) as ProviderType | undefined) : undefined;
  if (!type) return rejectRecord(reader, 'providers', ['type'], Rejection.INVALID_TYPE, `type ${describeValue(raw.type)} must be ${oneOf(PROVIDER_TYPES)}`);
  const names = readNames(reader, raw, type);
  if (!names) {
    ctx.issues.countRejected('providers');
    return null;
  }

  if (!Array.isArray(raw.plans)) return rejectRecord(reader, 'providers', ['plans'], Rejection.MISSING_FIELD, 'plans must be an array of plan entries');
  if (!Array.isArray(raw.addresses) || !raw.addresses.length) {
    return rejectRecord(reader, 'providers', ['addresses'], Rejection.MISSING_FIELD, 'addresses must list at least one address');
  }
  const networks = readNetworkEntries(reader, raw.plans, ctx);
  const addresses = readAddresses(reader, raw.addresses, ctx.geocoder);
  if (raw.plans.length && !networks.length) {
    return rejectRecord(reader, 'providers', ['plans'], Rejection.NO_VALID_PLAN_ENTRIES, `none of the ${raw.plans.length} plan entries is valid`);
  }
  if (!addresses.length) {
    return rejectRecord(reader, 'providers', ['addresses'], Rejection.NO_VALID_ADDRESSES, `none of the ${raw.addresses.length} addresses is valid`);
  }
  // Valid under the public QHP schema: listed in the issuer's directory, in none of its plans.
  if (!raw.plans.length) reader.warn(['plans'], Warning.NO_PLANS, "plans is empty: listed in the directory, in none of the issuer's plans");

  ctx.issues.countLoaded('providers');
  ctx.issues.countLoaded('addresses', addresses.length);
  ctx.issues.countLoaded('networkMemberships', networks.length);
  return {
    npi,
    type,
    ...names,
    // The schema spells it `speciality`; the official example data uses `specialty`.
    specialties: reader.textList(raw.speciality ?? raw.specialty, [raw.speciality != null ? 'speciality' : 'specialty'], 'term'),
    facilityTypes: reader.textList(raw.facility_type, ['facility_type'], 'term'),
    accepting: reader.choice(raw.accepting, ACCEPTING_CHOICES, ['accepting'], 'warn') ?? null,
    gender: reader.choice(raw.gender, GENDER_CHOICES, ['gender'], 'warn') ?? null,
    languages: reader.textList(raw.languages, ['languages'], 'term'),
    lastUpdatedOn: reader.date(raw.last_updated_on, ['last_updated_on']),
    addresses,
    networks,
  };
}

// ---------------------------------------------------------------- drugs

interface LoadedDrug {
  name: string;
  file: string;
  recordIndex: number;
  /** Bit per plan ordinal: (plan, RXCUI) pairs already loaded. Bits, not a Set, to stay small for big formularies. */
  plans: Uint8Array;
}

/** RXCUIs loaded so far in this load (across drug files), for first-name-wins and duplicate entries. */
export class DrugRegistry {
  private readonly drugs = new Map<string, LoadedDrug>();

  constructor(private readonly planCount: number) {}

  get(rxnormId: string): LoadedDrug | undefined {
    return this.drugs.get(rxnormId);
  }

  /** Records the drug's entries; true when this is the first time the RXCUI is loaded. */
  add(rxnormId: string, name: string, file: string, recordIndex: number, planOrdinals: readonly number[]): boolean {
    let drug = this.drugs.get(rxnormId);
    const isFirst = !drug;
    if (!drug) {
      drug = { name, file, recordIndex, plans: new Uint8Array(Math.ceil(this.planCount / 8)) };
      this.drugs.set(rxnormId, drug);
    }
    for (const ordinal of planOrdinals) drug.plans[ordinal >> 3] |= 1 << (ordinal & 7);
    return isFirst;
  }

  static lists(drug: LoadedDrug, ordinal: number): boolean {
    return (drug.plans[ordinal >> 3] & (1 << (ordinal & 7))) !== 0;
  }
}

function readFormularyEntry(
  reader: FieldReader,
  raw: unknown,
  index: number,
  ctx: ValidationContext,
): { entry: FormularyEntryRecord; plan: CatalogPlan } | undefined {
  const field = ['plans', index];
  if (!isJsonObject(raw)) return reader.reject(field, Rejection.INVALID_FIELD, `a plan entry must be an object, got ${describeValue(raw)}`);
  const plan = resolvePlan(reader, raw.plan_id, [...field, 'plan_id'], ctx);
  if (!plan) return undefined;
  const tier = raw.drug_tier;
  if (tier == null || tier === '') return reader.reject([...field, 'drug_tier'], Rejection.MISSING_FIELD, 'drug_tier is required');
  if (typeof tier !== 'string' || !plan.drugTiers.has(tier)) {
    return reader.reject(
      [...field, 'drug_tier'],
      Rejection.UNKNOWN_DRUG_TIER,
      `drug tier ${describeValue(tier)} is not in the formulary of plan ${plan.planId} (its tiers: ${tierList(plan.drugTiers)})`,
    );
  }
  const priorAuthorization = reader.flag(raw.prior_authorization, [...field, 'prior_authorization']);
  const stepTherapy = reader.flag(raw.step_therapy, [...field, 'step_therapy']);
  const quantityLimit = reader.flag(raw.quantity_limit, [...field, 'quantity_limit']);
  const years = reader.years(raw.years, [...field, 'years']);
  if (priorAuthorization === undefined || stepTherapy === undefined || quantityLimit === undefined || years === undefined) return undefined;
  return { entry: { planId: plan.planId, drugTier: tier, priorAuthorization, stepTherapy, quantityLimit, years }, plan };
}

function readRxcui(reader: FieldReader, value: unknown): string | undefined {
  const rxcui = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof rxcui === 'string' && RXCUI_PATTERN.test(rxcui)) return rxcui;
  if (value == null || value === '') return reader.reject(['rxnorm_id'], Rejection.MISSING_FIELD, 'rxnorm_id is required');
  return reader.reject(['rxnorm_id'], Rejection.INVALID_RXCUI, rxcuiProblem(rxcui) ?? `invalid RXCUI ${describeValue(value)}`);
}

/** One drug of drugs.json, or null when nothing of it is loaded (each problem is reported). */
export function validateDrug(raw: unknown, at: RecordLocation, ctx: DrugValidationContext): DrugRecord | null {
  const reader = new FieldReader(ctx.issues, at);
  if (!isJsonObject(raw)) return rejectRecord(reader, 'drugs', [], Rejection.NOT_AN_OBJECT, `a drug must be an object, got ${describeValue(raw)}`);
  if (rejectedAsTooDeep(reader, 'drugs', raw)) return null;
  const rxnormId = readRxcui(reader, raw.rxnorm_id);
  const drugName = reader.requiredText(raw.drug_name, ['drug_name'], 'drug_name', 'drugName');
  if (rxnormId === undefined || drugName === undefined) {
    ctx.issues.countRejected('drugs');
    return null;
  }
  const earlier = ctx.drugs.get(rxnormId);
  if (earlier && earlier.name !== drugName) {
    reader.warn(
      ['rxnorm_id'],
      Warning.DUPLICATE_RXCUI,
      `RXCUI ${rxnormId} is named "${drugName}" here but "${earlier.name}" in ${earlier.file} record ${earlier.recordIndex}: keeping "${earlier.name}"`,
    );
  }
  if (!Array.isArray(raw.plans) || !raw.plans.length)
    return rejectRecord(reader, 'drugs', ['plans'], Rejection.MISSING_FIELD, 'plans must list at least one plan');

  const entries: FormularyEntryRecord[] = [];
  const ordinals: number[] = [];
  for (let i = 0; i < raw.plans.length; i++) {
    const read = readFormularyEntry(reader, raw.plans[i], i, ctx);
    if (!read) {
      ctx.issues.countRejected('formularyEntries');
      continue;
    }
    const sameHere = entries.find((e) => e.planId === read.entry.planId);
    if (sameHere && sameHere.drugTier === read.entry.drugTier) continue; // an exact repeat in one record: nothing new
    if (sameHere || (earlier && DrugRegistry.lists(earlier, read.plan.ordinal))) {
      const where = sameHere ? 'earlier in this record' : `in ${earlier!.file} record ${earlier!.recordIndex}`;
      reader.reject(
        ['plans', i, 'plan_id'],
        Rejection.DUPLICATE_FORMULARY_ENTRY,
        `plan ${read.entry.planId} already lists RXCUI ${rxnormId} (${where}): this entry is ignored`,
      );
      ctx.issues.countRejected('formularyEntries');
      continue;
    }
    entries.push(read.entry);
    ordinals.push(read.plan.ordinal);
  }
  if (!entries.length) {
    return rejectRecord(
      reader,
      'drugs',
      ['plans'],
      Rejection.NO_VALID_PLAN_ENTRIES,
      `none of the ${raw.plans.length} plan entries of RXCUI ${rxnormId} can be loaded`,
    );
  }
  const isFirstOccurrence = ctx.drugs.add(rxnormId, drugName, ctx.issues.file, at.recordIndex, ordinals);
  if (isFirstOccurrence) ctx.issues.countLoaded('drugs');
  ctx.issues.countLoaded('formularyEntries', entries.length);
  return { rxnormId, drugName: isFirstOccurrence ? drugName : earlier!.name, isFirstOccurrence, entries };
}
