import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes behind provider search, drug search and the research queries — the minimal set, because
 * every index here is maintained by each COPY of a carrier's files.
 *
 * Not added on purpose (existing indexes already serve these):
 * - plan filter / network breadth / network changes: network_membership_plan_idx (plan_id, version_id)
 *   and the network_membership primary key (version_id, record_no, ...) for "is this listing in plan X".
 * - formulary comparison / changes / PA rates: the formulary_entry primary key (version_id, plan_id, rxnorm_id).
 * - plansCovering / drugCoverageStats: formulary_entry_rxnorm_plan_idx (rxnorm_id, plan_id, version_id).
 */
export class SearchIndexes1700000000200 implements MigrationInterface {
  name = 'SearchIndexes1700000000200';

  public async up(q: QueryRunner): Promise<void> {
    // searchProviders(name): `$name <% display_name` (typo-tolerant word similarity). pg_trgm lower-cases
    // its trigrams itself, so the raw column is indexed.
    await q.query(`CREATE INDEX provider_display_name_trgm_idx ON provider USING gin (display_name gin_trgm_ops)`);

    // searchProviders(orderBy: NAME) — a plan's directory or a specialty in name order — walks this index and
    // stops after one page, instead of sorting every match (380 ms → 17 ms for a 140k-provider plan at 1M).
    await q.query(`CREATE INDEX provider_display_name_order_idx ON provider (display_name, version_id, record_no)`);

    // searchProviders(zip, radiusMiles): `earth_box(center, meters) @> ll_to_earth(latitude, longitude)`, and the
    // nearest-first KNN scan `ORDER BY ll_to_earth(latitude, longitude) <-> center`.
    await q.query(`CREATE INDEX provider_address_earth_idx ON provider_address USING gist (ll_to_earth(latitude, longitude))`);

    // searchProviders(specialty) without a name or place: case-insensitive "has this specialty".
    // Carriers spell specialties freely ("Psychiatry", "PSYCHIATRY"), so the index holds lower-cased elements.
    await q.query(`
      CREATE FUNCTION lower_elements(text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT array_agg(lower(element)) FROM unnest($1) AS element $$`);
    await q.query(`CREATE INDEX provider_specialties_lower_idx ON provider USING gin (lower_elements(specialties))`);

    // searchDrugs(query): name prefix (`LIKE 'q%'`), substring and fuzzy (`<%`) autocomplete.
    await q.query(`CREATE INDEX drug_name_trgm_idx ON drug USING gin (lower(drug_name) gin_trgm_ops)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS drug_name_trgm_idx`);
    await q.query(`DROP INDEX IF EXISTS provider_specialties_lower_idx`);
    await q.query(`DROP FUNCTION IF EXISTS lower_elements(text[])`);
    await q.query(`DROP INDEX IF EXISTS provider_address_earth_idx`);
    await q.query(`DROP INDEX IF EXISTS provider_display_name_order_idx`);
    await q.query(`DROP INDEX IF EXISTS provider_display_name_trgm_idx`);
  }
}
