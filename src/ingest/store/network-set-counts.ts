import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { IS_HOSPITAL_SQL } from '../../search/sql-fragments';
import { versionTableName } from './version-partitions';

/** The counting statements, named by the tables they fill (to time them). */
export type NetworkSetCountTable = 'network_set_count + network_set_specialty_count' | 'network_set_shared_npi';

/**
 * Counts each network set of the version once (migrations 1700000003200 and 1700000003300), from its own
 * partitions: the distinct NPIs listed in the set and those with a hospital listing in it; the same per
 * specialty key (provider.specialty_keys, as a specialty filter matches them); and the NPIs listed in two
 * or more sets (one row per set, with the specialty keys of their listings, and hospital listings, in it) that a network's sum over its sets
 * would count more than once. Runs when the version's listings and providers are complete (loaded or
 * carried forward), before publication.
 */
export async function countNetworkSets(pool: Pool, versionId: number, onCounted?: (table: NetworkSetCountTable, seconds: number) => void): Promise<void> {
  const listings = versionTableName('listing_network_set', versionId);
  const providers = versionTableName('provider', versionId);
  const client = await pool.connect();
  const count = async (table: NetworkSetCountTable, sql: string) => {
    const started = process.hrtime.bigint();
    await client.query(sql, [versionId]);
    onCounted?.(table, Number(process.hrtime.bigint() - started) / 1e9);
  };
  try {
    await client.query('BEGIN');
    // One pass over the listings for both: grouping sets sort them once, by set and then specialty. A
    // provider without specialties has one row with a NULL specialty: it counts for its set, for no specialty.
    await count(
      'network_set_count + network_set_specialty_count',
      `WITH counted AS (
         SELECT GROUPING(k.specialty) = 1 AS whole_set, k.specialty, l.set_id,
                count(DISTINCT l.npi) AS providers, count(DISTINCT l.npi) FILTER (WHERE ${IS_HOSPITAL_SQL}) AS hospitals
           FROM ${listings} l
           JOIN ${providers} p ON p.record_no = l.record_no
           LEFT JOIN LATERAL unnest(p.specialty_keys) AS k(specialty) ON true
          WHERE l.npi IS NOT NULL
          GROUP BY GROUPING SETS ((l.set_id), (l.set_id, k.specialty))
       ), per_specialty AS (
         INSERT INTO network_set_specialty_count (version_id, specialty, set_id, providers, hospitals)
         SELECT $1::bigint, specialty, set_id, providers, hospitals FROM counted WHERE NOT whole_set AND specialty IS NOT NULL
       )
       INSERT INTO network_set_count (version_id, set_id, providers, hospitals, by_specialty)
       SELECT $1::bigint, set_id, providers, hospitals, true FROM counted WHERE whole_set`,
    );
    await count(
      'network_set_shared_npi',
      `INSERT INTO network_set_shared_npi (version_id, npi, set_id, hospital, specialties, hospital_specialties)
       SELECT $1::bigint, l.npi, l.set_id, bool_or(${IS_HOSPITAL_SQL}),
              coalesce(array_agg(DISTINCT k.specialty) FILTER (WHERE k.specialty IS NOT NULL), '{}'),
              coalesce(array_agg(DISTINCT k.specialty) FILTER (WHERE k.specialty IS NOT NULL AND ${IS_HOSPITAL_SQL}), '{}')
         FROM ${listings} l JOIN ${providers} p ON p.record_no = l.record_no
         LEFT JOIN LATERAL unnest(p.specialty_keys) AS k(specialty) ON true
        WHERE l.npi IN (SELECT npi FROM ${listings} WHERE npi IS NOT NULL GROUP BY npi HAVING min(set_id) <> max(set_id))
        GROUP BY l.npi, l.set_id`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The counts of these versions (dropped with their partitions; their dataset_version rows may be kept). */
export async function deleteNetworkSetCounts(db: DataSource, versionIds: readonly number[]): Promise<void> {
  await db.query(`DELETE FROM network_set_specialty_count WHERE version_id = ANY($1::bigint[])`, [versionIds]);
  await db.query(`DELETE FROM network_set_shared_npi WHERE version_id = ANY($1::bigint[])`, [versionIds]);
  await db.query(`DELETE FROM network_set_count WHERE version_id = ANY($1::bigint[])`, [versionIds]);
}
