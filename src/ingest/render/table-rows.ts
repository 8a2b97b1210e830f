import { copyBoolean, copyIntArray, copyNumber, copyText, copyTextArray, ListLiterals, NumberTexts, YearListLiterals } from './copy-text';
import { CopyTarget, TableLayout } from '../store/copy-writer';
import { DrugRecord, PlanRecord, ProviderRecord } from '../validate/qhp-records';

/** The carrier-data tables, every one keyed by version_id first. */
export const PLAN_TABLE: TableLayout = {
  table: 'plan',
  columns: [
    'version_id', 'plan_id', 'issuer_id', 'state', 'plan_id_type', 'marketing_name', 'metal_level', 'summary_url',
    'marketing_url', 'formulary_url', 'plan_contact', 'years', 'network_tiers', 'benefits', 'last_updated_on',
    'source_file', 'record_index',
  ],
};
export const PLAN_DRUG_TIER_TABLE: TableLayout = { table: 'plan_drug_tier', columns: ['version_id', 'plan_id', 'drug_tier', 'mail_order'] };
export const TIER_COST_SHARING_TABLE: TableLayout = {
  table: 'tier_cost_sharing',
  columns: ['version_id', 'plan_id', 'drug_tier', 'pharmacy_type', 'copay_amount', 'copay_opt', 'coinsurance_rate', 'coinsurance_opt'],
};
export const PROVIDER_TABLE: TableLayout = {
  table: 'provider',
  columns: [
    'version_id', 'record_no', 'npi', 'type', 'prefix', 'first_name', 'middle_name', 'last_name', 'suffix',
    'facility_name', 'display_name', 'specialties', 'facility_types', 'accepting', 'gender', 'languages',
    'last_updated_on', 'source_file', 'specialty_keys',
  ],
};
export const PROVIDER_ADDRESS_TABLE: TableLayout = {
  table: 'provider_address',
  columns: ['version_id', 'record_no', 'address_no', 'address', 'address_2', 'city', 'state', 'zip', 'phone', 'latitude', 'longitude'],
};
export const NETWORK_MEMBERSHIP_TABLE: TableLayout = {
  table: 'network_membership',
  columns: ['version_id', 'record_no', 'plan_id', 'network_tier', 'npi', 'years'],
};
export const DRUG_TABLE: TableLayout = { table: 'drug', columns: ['version_id', 'rxnorm_id', 'drug_name', 'source_file', 'record_index'] };
export const FORMULARY_ENTRY_TABLE: TableLayout = {
  table: 'formulary_entry',
  columns: ['version_id', 'plan_id', 'rxnorm_id', 'drug_tier', 'prior_authorization', 'step_therapy', 'quantity_limit', 'years'],
};

export const PLAN_TABLES = [PLAN_TABLE, PLAN_DRUG_TIER_TABLE, TIER_COST_SHARING_TABLE] as const;
export const PROVIDER_TABLES = [PROVIDER_TABLE, PROVIDER_ADDRESS_TABLE, NETWORK_MEMBERSHIP_TABLE] as const;
export const DRUG_TABLES = [DRUG_TABLE, FORMULARY_ENTRY_TABLE] as const;
/** Every table holding rows of a version (deleted when a load fails or a version is pruned). */
export const VERSIONED_TABLES = [...PLAN_TABLES, ...PROVIDER_TABLES, ...DRUG_TABLES].map((t) => t.table);

export interface CopyPlan {
  plans: CopyTarget[];
  providers: CopyTarget[];
  drugs: CopyTarget[];
}

/**
 * The COPY statements of each load phase, one per table. (provider_address once had a second COPY
 * sharing its rows, from when its GiST index was maintained during COPY; with indexes built after it,
 * one or two measured alike, and a table loaded by one COPY can be loaded fresh: copy-writer.ts.)
 */
export const COPY_PLAN: CopyPlan = {
  plans: PLAN_TABLES.map((layout) => ({ layout })),
  providers: PROVIDER_TABLES.map((layout) => ({ layout })),
  drugs: DRUG_TABLES.map((layout) => ({ layout })),
};

/** A sink for COPY text rows of one table. */
export interface RowSink {
  writeRow(line: string): void;
}

/**
 * Renders records as COPY text rows. `versionId` and file names repeat on every row, so their
 * encoded forms are computed once.
 */
export class RowRenderer {
  private readonly version: string;
  private sourceFile = '';
  private encodedSourceFile = '\\N';
  private readonly specialties = new ListLiterals();
  private readonly specialtyKeys = new ListLiterals((specialty) => specialty.toLowerCase());
  private readonly languages = new ListLiterals();
  private readonly latitudes = new NumberTexts();
  private readonly longitudes = new NumberTexts();
  private readonly years = new YearListLiterals();

  constructor(versionId: number) {
    this.version = `${versionId}\t`;
  }

  private source(file: string): string {
    if (file !== this.sourceFile) {
      this.sourceFile = file;
      this.encodedSourceFile = copyText(file);
    }
    return this.encodedSourceFile;
  }

  writePlan(plan: PlanRecord, plans: RowSink, tiers: RowSink, costSharing: RowSink): void {
    const id = `${this.version}${plan.planId}\t`;
    plans.writeRow(
      `${id}${plan.issuerId}\t${plan.state}\t${copyText(plan.planIdType)}\t${copyText(plan.marketingName)}\t${copyText(plan.metalLevel)}\t` +
        `${copyText(plan.summaryUrl)}\t${copyText(plan.marketingUrl)}\t${copyText(plan.formularyUrl)}\t${copyText(plan.planContact)}\t` +
        `${copyIntArray(plan.years)}\t${copyTextArray(plan.networkTiers)}\t${copyText(plan.benefitsJson)}\t${copyText(plan.lastUpdatedOn)}\t` +
        `${this.source(plan.sourceFile)}\t${plan.recordIndex}\n`,
    );
    for (const tier of plan.drugTiers) {
      const tierKey = `${id}${copyText(tier.drugTier)}\t`;
      tiers.writeRow(`${tierKey}${copyBoolean(tier.mailOrder)}\n`);
      for (const c of tier.costSharing) {
        costSharing.writeRow(
          `${tierKey}${c.pharmacyType}\t${copyNumber(c.copayAmount)}\t${copyText(c.copayOpt)}\t${copyNumber(c.coinsuranceRate)}\t${copyText(c.coinsuranceOpt)}\n`,
        );
      }
    }
  }

  writeProvider(recordNo: number, provider: ProviderRecord, sourceFile: string, providers: RowSink, addresses: RowSink, networks: RowSink): void {
    const key = `${this.version}${recordNo}\t`;
    const npi = copyText(provider.npi);
    providers.writeRow(
      `${key}${npi}\t${provider.type}\t${copyText(provider.prefix)}\t${copyText(provider.firstName)}\t${copyText(provider.middleName)}\t` +
        `${copyText(provider.lastName)}\t${copyText(provider.suffix)}\t${copyText(provider.facilityName)}\t${copyText(provider.displayName)}\t` +
        `${this.specialties.of(provider.specialties)}\t${copyTextArray(provider.facilityTypes)}\t${copyText(provider.accepting)}\t` +
        `${copyText(provider.gender)}\t${this.languages.of(provider.languages)}\t${copyText(provider.lastUpdatedOn)}\t${this.source(sourceFile)}\t` +
        `${this.specialtyKeys.of(provider.specialties)}\n`,
    );
    for (let i = 0; i < provider.addresses.length; i++) {
      const a = provider.addresses[i];
      addresses.writeRow(
        `${key}${i}\t${copyText(a.address)}\t${copyText(a.address2)}\t${copyText(a.city)}\t${a.state}\t${a.zip}\t${copyText(a.phone)}\t` +
          `${this.latitudes.of(a.latitude)}\t${this.longitudes.of(a.longitude)}\n`,
      );
    }
    for (const n of provider.networks) {
      networks.writeRow(`${key}${n.planId}\t${copyText(n.networkTier)}\t${npi}\t${this.years.of(n.years)}\n`);
    }
  }

  writeDrug(drug: DrugRecord, sourceFile: string, recordIndex: number, drugs: RowSink, entries: RowSink): void {
    if (drug.isFirstOccurrence) {
      drugs.writeRow(`${this.version}${drug.rxnormId}\t${copyText(drug.drugName)}\t${this.source(sourceFile)}\t${recordIndex}\n`);
    }
    for (const e of drug.entries) {
      entries.writeRow(
        `${this.version}${e.planId}\t${drug.rxnormId}\t${copyText(e.drugTier)}\t${copyBoolean(e.priorAuthorization)}\t` +
          `${copyBoolean(e.stepTherapy)}\t${copyBoolean(e.quantityLimit)}\t${this.years.of(e.years)}\n`,
      );
    }
  }
}
