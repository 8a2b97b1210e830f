import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Network breadth (distinct NPIs, and distinct hospital NPIs, listed in a plan's network sets) joined
 * every listing of the sets to its provider row; a dense 1M-provider issuer has ~1M listings per network.
 * Versions never change once loaded, so the importer counts each set once, at load:
 *
 * - network_set_count (version_id, set_id, providers, hospitals): distinct NPIs listed in the set, and
 *   distinct NPIs with a hospital listing in it.
 * - network_set_shared_npi (version_id, npi, set_id, hospital): only the NPIs whose listings fall in two
 *   or more sets of the version (conflicting repeated records), one row per such set. A network's count
 *   is the sum over its sets less, per shared NPI, the number of its sets in the network minus one: exact.
 *
 * A version without network_set_count rows (loaded before this migration, or without listings) is counted
 * from its listings as before. Rows go with their version (ON DELETE CASCADE, and deleteVersionRows).
 */
export class NetworkSetCounts1700000003200 implements MigrationInterface {
  name = 'NetworkSetCounts1700000003200';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE network_set_count (
        version_id bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        set_id     bigint NOT NULL,
        providers  int NOT NULL,
        hospitals  int NOT NULL,
        CONSTRAINT network_set_count_pkey PRIMARY KEY (version_id, set_id)
      )`);
    await q.query(`
      CREATE TABLE network_set_shared_npi (
        version_id bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        npi        char(10) COLLATE "C" NOT NULL,
        set_id     bigint NOT NULL,
        hospital   boolean NOT NULL,
        CONSTRAINT network_set_shared_npi_pkey PRIMARY KEY (version_id, set_id, npi)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE network_set_shared_npi`);
    await q.query(`DROP TABLE network_set_count`);
  }
}
