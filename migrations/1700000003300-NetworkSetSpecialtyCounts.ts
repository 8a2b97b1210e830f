import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Breadth and the ranking with a specialty filter still joined every listing of a network to its
 * provider row (migration 1700000003200 counts sets without regard to specialty). The importer now also
 * counts each set per specialty, at load, with the same exactness:
 *
 * - network_set_specialty_count (version_id, specialty, set_id, providers, hospitals): distinct NPIs
 *   listed in the set with a listing of that specialty (a key of provider.specialty_keys, lower-cased as
 *   matched), and those with a hospital listing of it.
 * - network_set_shared_npi.specialties and hospital_specialties: the specialty keys of the shared NPI's
 *   listings (hospital listings) in that set. A network's count for a specialty is the sum over its sets
 *   less, per shared NPI, the number of its sets in the network where it has that specialty, minus one.
 * - network_set_count.by_specialty: the version was counted per specialty. A version counted before
 *   (false, and its shared rows' specialties null) or never counted answers from its listings.
 *
 * Rows go with their version (ON DELETE CASCADE, and deleteVersionRows).
 */
export class NetworkSetSpecialtyCounts1700000003300 implements MigrationInterface {
  name = 'NetworkSetSpecialtyCounts1700000003300';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE network_set_specialty_count (
        version_id bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        specialty  text COLLATE "C" NOT NULL,
        set_id     bigint NOT NULL,
        providers  int NOT NULL,
        hospitals  int NOT NULL,
        CONSTRAINT network_set_specialty_count_pkey PRIMARY KEY (version_id, specialty, set_id)
      )`);
    await q.query(`ALTER TABLE network_set_shared_npi ADD COLUMN specialties text[], ADD COLUMN hospital_specialties text[]`);
    await q.query(`ALTER TABLE network_set_count ADD COLUMN by_specialty boolean NOT NULL DEFAULT false`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE network_set_count DROP COLUMN by_specialty`);
    await q.query(`ALTER TABLE network_set_shared_npi DROP COLUMN specialties, DROP COLUMN hospital_specialties`);
    await q.query(`DROP TABLE network_set_specialty_count`);
  }
}
