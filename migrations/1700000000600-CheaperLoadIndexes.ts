import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every load builds each partitioned index on its version's tables, so an index's build cost is paid per
 * load. Two of them sorted far more slowly than their use needs (1M providers, 3M memberships, one build
 * alone on 2 vCPUs):
 *
 * - network_membership_plan_idx, a btree on (plan_id, version_id), took 7–11 s: an issuer's plan ids
 *   share their first 8 bytes, so the sort's abbreviated keys are useless and every comparison goes
 *   through both columns and the heap position. Every query on it asks for whole plans' memberships
 *   (plan_id = / = ANY, read through a bitmap heap scan, as its rows hold no other column these queries
 *   need). A GIN (btree_gin) on plan_id answers exactly these: it keeps one compressed posting list per
 *   plan, builds in ~1 s and takes 4.5 MB instead of 116 MB. version_id is left out: each partition
 *   holds one version, and partition pruning selects it.
 * - provider_display_name_order_idx sorts display_name: under a libc locale (even C.UTF-8) PostgreSQL
 *   compares text with strcoll and without abbreviated keys. display_name now uses the "C" collation,
 *   the code-point order that C.UTF-8 databases (the embedded server's, the CI server's) already sort
 *   by, so names order the same and the build takes ~2.3 s instead of ~3.9 s. It is also the same on
 *   every server now, whatever its locale, which keyset cursors over names rely on.
 */
export class CheaperLoadIndexes1700000000600 implements MigrationInterface {
  name = 'CheaperLoadIndexes1700000000600';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(`DROP INDEX network_membership_plan_idx`);
    await q.query(`CREATE INDEX network_membership_plan_idx ON network_membership USING gin (plan_id)`);
    // Rewrites the partitions and rebuilds the indexes on display_name (trigram, order).
    await q.query(`ALTER TABLE provider ALTER COLUMN display_name TYPE text COLLATE "C"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE provider ALTER COLUMN display_name TYPE text COLLATE "default"`);
    await q.query(`DROP INDEX network_membership_plan_idx`);
    await q.query(`CREATE INDEX network_membership_plan_idx ON network_membership (plan_id, version_id)`);
  }
}
