/**
 * The tables a load writes, every one keyed by version_id first: their column lists (in the order the
 * COPY rows are rendered, by the general path and the byte renderer alike) and whether the table is
 * LIST-partitioned by version_id (migration 1700000000400). Migrations define the tables; this is the
 * one description the importer's renderers, COPY, partitioning and cleanup read.
 */

/** A table as the COPY statement names it. */
export interface TableLayout {
  table: string;
  columns: readonly string[];
}

/** A version table: a partitioned one gets a standalone `<table>_v<version>` per load, attached once indexed. */
export interface VersionTable extends TableLayout {
  partitioned: boolean;
}

export const PLAN_TABLE: VersionTable = {
  table: 'plan',
  columns: [
    'version_id',
    'plan_id',
    'issuer_id',
    'state',
    'plan_id_type',
    'marketing_name',
    'metal_level',
    'summary_url',
    'marketing_url',
    'formulary_url',
    'plan_contact',
    'years',
    'network_tiers',
    'benefits',
    'last_updated_on',
    'source_file',
    'record_index',
  ],
  partitioned: false,
};
export const PLAN_DRUG_TIER_TABLE: VersionTable = {
  table: 'plan_drug_tier',
  columns: ['version_id', 'plan_id', 'drug_tier', 'mail_order'],
  partitioned: false,
};
export const TIER_COST_SHARING_TABLE: VersionTable = {
  table: 'tier_cost_sharing',
  columns: ['version_id', 'plan_id', 'drug_tier', 'pharmacy_type', 'copay_amount', 'copay_opt', 'coinsurance_rate', 'coinsurance_opt'],
  partitioned: false,
};
export const PROVIDER_TABLE: VersionTable = {
  table: 'provider',
  columns: [
    'version_id',
    'record_no',
    'npi',
    'type',
    'prefix',
    'first_name',
    'middle_name',
    'last_name',
    'suffix',
    'facility_name',
    'display_name',
    'specialties',
    'facility_types',
    'accepting',
    'gender',
    'languages',
    'last_updated_on',
    'source_file',
    'specialty_keys',
  ],
  partitioned: true,
};
export const PROVIDER_ADDRESS_TABLE: VersionTable = {
  table: 'provider_address',
  columns: ['version_id', 'record_no', 'address_no', 'address', 'address_2', 'city', 'state', 'zip', 'phone', 'latitude', 'longitude'],
  partitioned: true,
};
/**
 * Each listing's plan list as a pointer to its network set (migration 1700000003000): one row per listing,
 * however many plans it lists. network_membership is a view joining it to network_set.
 */
export const LISTING_NETWORK_SET_TABLE: VersionTable = {
  table: 'listing_network_set',
  columns: ['version_id', 'record_no', 'npi', 'set_id'],
  partitioned: true,
};
/** The entries of each distinct plan list of a version, stored once (set_id: networkSetId of its entries). */
export const NETWORK_SET_TABLE: VersionTable = {
  table: 'network_set',
  columns: ['version_id', 'set_id', 'plan_id', 'network_tier', 'years'],
  partitioned: true,
};
export const DRUG_TABLE: VersionTable = {
  table: 'drug',
  columns: ['version_id', 'rxnorm_id', 'drug_name', 'source_file', 'record_index'],
  partitioned: true,
};
export const FORMULARY_ENTRY_TABLE: VersionTable = {
  table: 'formulary_entry',
  columns: ['version_id', 'plan_id', 'rxnorm_id', 'drug_tier', 'prior_authorization', 'step_therapy', 'quantity_limit', 'years'],
  partitioned: true,
};

/** The tables of each load phase, in the order their rows are rendered. */
export const PLAN_TABLES = [PLAN_TABLE, PLAN_DRUG_TIER_TABLE, TIER_COST_SHARING_TABLE] as const;
export const PROVIDER_TABLES = [PROVIDER_TABLE, PROVIDER_ADDRESS_TABLE, LISTING_NETWORK_SET_TABLE, NETWORK_SET_TABLE] as const;
export const DRUG_TABLES = [DRUG_TABLE, FORMULARY_ENTRY_TABLE] as const;
export const VERSION_TABLES: readonly VersionTable[] = [...PLAN_TABLES, ...PROVIDER_TABLES, ...DRUG_TABLES];

/** Every table holding rows of a version (deleted when a load fails or a version is pruned). */
export const VERSIONED_TABLES = VERSION_TABLES.map((t) => t.table);

const partitionedNames = (tables: readonly VersionTable[]): readonly string[] => tables.filter((t) => t.partitioned).map((t) => t.table);
/** The tables LIST-partitioned by version_id; the plan tables are plain tables with a foreign key to dataset_version. */
export const PROVIDER_PARTITIONED_TABLES = partitionedNames(PROVIDER_TABLES);
export const DRUG_PARTITIONED_TABLES = partitionedNames(DRUG_TABLES);
export const PARTITIONED_TABLES = partitionedNames(VERSION_TABLES);

/** The kinds of data a load brings, each from its own kind of file (plans.json, providers*, drugs*). */
export type DataKind = 'plans' | 'providers' | 'drugs';
/**
 * The tables each kind of file fills. A load replaces the kinds it brings; the tables of a kind it does
 * not bring are carried forward from the published version (every table listed here, by its columns).
 */
export const TABLES_OF_KIND: Readonly<Record<DataKind, readonly VersionTable[]>> = { plans: PLAN_TABLES, providers: PROVIDER_TABLES, drugs: DRUG_TABLES };
export const DATA_KINDS: readonly DataKind[] = ['plans', 'providers', 'drugs'];
