import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Carriers sell many plans on each of a few networks, and their providers.json repeats on every listing
 * the whole plan list of each network it is in. One row per (listing, plan) grew with plans × providers
 * (a 1M-provider file on 16–20 plans: ~18M rows, ~3 GB per version). Now a version stores each distinct
 * plan list once:
 *
 * - network_set (version_id, set_id, plan_id, network_tier, years): the entries of each distinct list
 *   (tens per version, a few thousand at most). set_id is a hash of the list's entries (networkSetId in
 *   src/ingest/render/network-sets.ts), so one list keeps its id from version to version.
 * - listing_network_set (version_id, record_no, npi, set_id): one row per listing, pointing to its list.
 *   A listing whose list is empty points to a set with no entries: a listing in no plan.
 * - network_membership becomes a view joining the two, with the columns and rows the table had: every
 *   reader keeps its answers, and "listings in plan X" reads the few sets holding X, then their listings
 *   through listing_network_set_set_idx.
 *
 * Both tables are LIST-partitioned by version_id like the other carrier-data tables (one
 * `<table>_v<version>` per load). Loaded versions are converted here, version by version (their set ids
 * computed in SQL exactly as the importer computes them).
 */
export class NetworkSets1700000003000 implements MigrationInterface {
  name = 'NetworkSets1700000003000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE network_set (
        version_id   bigint NOT NULL,
        set_id       bigint NOT NULL,
        plan_id      char(14) NOT NULL,
        network_tier text NOT NULL,
        years        int[] NOT NULL DEFAULT '{}',
        CONSTRAINT network_set_pkey PRIMARY KEY (version_id, set_id, plan_id, network_tier)
      ) PARTITION BY LIST (version_id)`);
    await q.query(`CREATE INDEX network_set_plan_idx ON network_set (plan_id, version_id)`);
    await q.query(`
      CREATE TABLE listing_network_set (
        version_id bigint NOT NULL,
        record_no  int NOT NULL,
        npi        char(10) COLLATE "C",
        set_id     bigint NOT NULL,
        CONSTRAINT listing_network_set_pkey PRIMARY KEY (version_id, record_no)
      ) PARTITION BY LIST (version_id)`);
    await q.query(`CREATE INDEX listing_network_set_set_idx ON listing_network_set (set_id, version_id)`);

    const versions: Array<{ id: string }> = await q.query(
      `SELECT DISTINCT substring(c.relname FROM '_v([0-9]+)$') AS id
         FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'network_membership'::regclass`,
    );
    // Standalone tables of a load that never attached them (an abandoned load) are dropped with it.
    const standalone: Array<{ relname: string }> = await q.query(
      `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname ~ '^network_membership_v[0-9]+$'`,
    );
    for (const { relname } of standalone) await q.query(`DROP TABLE ${relname}`);
    for (const { id: text } of versions) {
      const id = Number(text);
      await q.query(`CREATE TABLE network_set_v${id} PARTITION OF network_set FOR VALUES IN (${id})`);
      await q.query(`CREATE TABLE listing_network_set_v${id} PARTITION OF listing_network_set FOR VALUES IN (${id})`);
      await q.query(`
        CREATE TEMPORARY TABLE listing_sets ON COMMIT DROP AS
        SELECT record_no, min(npi) AS npi,
               (('x' || left(md5(string_agg(plan_id::text || E'\\t' || network_tier || E'\\t' || years::text || E'\\n', ''
                                  ORDER BY plan_id::text COLLATE "C", network_tier COLLATE "C")), 16))::bit(64)::bigint
                 & 9223372036854775807) AS set_id
          FROM network_membership_v${id}
         GROUP BY record_no`);
      await q.query(`INSERT INTO listing_network_set_v${id} SELECT ${id}, record_no, npi, set_id FROM listing_sets ORDER BY record_no`);
      await q.query(`
        INSERT INTO network_set_v${id}
        SELECT DISTINCT ON (l.set_id, m.plan_id, m.network_tier) ${id}, l.set_id, m.plan_id, m.network_tier, m.years
          FROM network_membership_v${id} m JOIN listing_sets l ON l.record_no = m.record_no
         ORDER BY l.set_id, m.plan_id, m.network_tier`);
      await q.query(`DROP TABLE listing_sets`);
    }
    await q.query(`DROP TABLE network_membership`);
    await q.query(`
      CREATE VIEW network_membership AS
      SELECT l.version_id, l.record_no, s.plan_id, s.network_tier, l.npi, s.years
        FROM listing_network_set l
        JOIN network_set s ON s.version_id = l.version_id AND s.set_id = l.set_id`);
  }

  public async down(): Promise<void> {
    throw new Error('NetworkSets1700000003000 is irreversible here: reload the issuers, or restore from a backup taken before this migration.');
  }
}
