import { MigrationInterface, QueryRunner } from 'typeorm';

/** The big carrier-data tables, LIST-partitioned by version_id: one partition `<table>_v<version>` per load. */
const PARTITIONED_TABLES = ['provider', 'provider_address', 'network_membership', 'drug', 'formulary_entry'] as const;

/**
 * Bulk loading the standard way: a load COPYs into fresh standalone tables without indexes, builds
 * their indexes in bulk (sorted builds instead of row-by-row maintenance), then ATTACHes them as
 * partitions; PostgreSQL adopts the matching indexes instead of rebuilding them. Dropping a failed
 * or pruned version is a DROP TABLE instead of a DELETE.
 *
 * - The partitioned tables have no foreign key to dataset_version: a partition attached with an FK
 *   would be validated row by row on ATTACH, and version lifecycle (creation, failure, pruning,
 *   abandoned-load cleanup) is owned by the importer (src/ingest/version-partitions.ts), which drops
 *   a version's tables before deleting its dataset_version row. plan, plan_drug_tier and
 *   tier_cost_sharing stay plain tables with their FK (small; deleted by version as before).
 * - Index changes, because every index is now built for each load:
 *   - provider_address_earth_idx (GiST on ll_to_earth, no sorted build for cube: ~30 µs per address) is
 *     replaced by provider_address_point_idx, a GiST on point(longitude, latitude): point_ops has a
 *     sorted (sortsupport) build, ~1 µs per row. Radius search prefilters with a lat/lon box on it and
 *     keeps the exact earth_distance filter and order.
 *   - provider_specialties_lower_idx (GIN on lower_elements(specialties): a SQL function call per row) is
 *     replaced by provider_specialty_keys_idx, a plain GIN on the new column specialty_keys (the specialties
 *     lower-cased by the importer; `specialties` keeps the carrier's casing for answers).
 * - down() is irreversible: it throws (restore from a backup taken before this migration).
 */
export class PartitionByVersion1700000000400 implements MigrationInterface {
  name = 'PartitionByVersion1700000000400';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS provider_address_earth_idx`);
    for (const table of PARTITIONED_TABLES) {
      const legacy = `${table}_legacy`;
      await q.query(`ALTER TABLE ${table} RENAME TO ${legacy}`);
      // Free the index names (the primary key's included) for the partitioned parent.
      const indexes: Array<{ name: string }> = await q.query(
        `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1::regclass`,
        [legacy],
      );
      for (const { name } of indexes) {
        const constraint: Array<{ conname: string }> = await q.query(
          `SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND conindid = (SELECT oid FROM pg_class WHERE relname = $2 AND relkind = 'i')`,
          [legacy, name],
        );
        if (constraint.length) await q.query(`ALTER TABLE ${legacy} RENAME CONSTRAINT ${constraint[0].conname} TO ${constraint[0].conname}_legacy`);
        else await q.query(`ALTER INDEX ${name} RENAME TO ${name}_legacy`);
      }
      const [pk]: Array<{ def: string }> = await q.query(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
        [legacy],
      );
      await q.query(
        `CREATE TABLE ${table} (LIKE ${legacy} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT ${table}_pkey ${pk.def}) PARTITION BY LIST (version_id)`,
      );
    }

    // The indexes, on the parents: every partition must carry them (an attached table's matching indexes are adopted).
    await q.query(`CREATE INDEX provider_npi_idx ON provider (npi, version_id)`);
    await q.query(`CREATE INDEX provider_display_name_trgm_idx ON provider USING gin (display_name gin_trgm_ops)`);
    await q.query(`CREATE INDEX provider_display_name_order_idx ON provider (display_name, version_id, record_no)`);
    // searchProviders(specialty): `specialty_keys @> ARRAY[lower($1)]`. A plain GIN on a lower-cased copy of the
    // specialties written by the importer: the GIN on lower_elements(specialties) ran a SQL function per row (~5x).
    await q.query(`ALTER TABLE provider ADD COLUMN specialty_keys text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX provider_specialty_keys_idx ON provider USING gin (specialty_keys)`);
    // searchProviders(zip, radiusMiles): `point(longitude, latitude) <@ box` prefilter (sorted GiST build).
    await q.query(`CREATE INDEX provider_address_point_idx ON provider_address USING gist (point(longitude, latitude))`);
    await q.query(`CREATE INDEX network_membership_npi_plan_idx ON network_membership (npi, plan_id, version_id)`);
    await q.query(`CREATE INDEX network_membership_plan_idx ON network_membership (plan_id, version_id)`);
    await q.query(`CREATE INDEX drug_rxnorm_idx ON drug (rxnorm_id, version_id)`);
    await q.query(`CREATE INDEX drug_name_trgm_idx ON drug USING gin (lower(drug_name) gin_trgm_ops)`);
    await q.query(`CREATE INDEX formulary_entry_rxnorm_plan_idx ON formulary_entry (rxnorm_id, plan_id, version_id)`);

    // One partition per version present, rows copied over, then the legacy tables go.
    for (const table of PARTITIONED_TABLES) {
      const legacy = `${table}_legacy`;
      const versions: Array<{ version_id: string }> = await q.query(`SELECT DISTINCT version_id FROM ${legacy} ORDER BY version_id`);
      for (const { version_id } of versions) {
        const id = Number(version_id);
        await q.query(`CREATE TABLE ${table}_v${id} PARTITION OF ${table} FOR VALUES IN (${id})`);
        // provider's extra last column, specialty_keys, is derived from its specialties.
        const extra = table === 'provider' ? `, COALESCE(lower_elements(l.specialties), '{}')` : '';
        await q.query(`INSERT INTO ${table}_v${id} SELECT l.*${extra} FROM ${legacy} l WHERE l.version_id = ${id}`);
      }
      await q.query(`DROP TABLE ${legacy}`);
    }
  }

  public async down(): Promise<void> {
    throw new Error(
      'PartitionByVersion1700000000400 is irreversible: the carrier-data tables are partitioned by version and their ' +
        'foreign keys to dataset_version are gone; restore from a backup taken before this migration.',
    );
  }
}
