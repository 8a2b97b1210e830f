/**
 * Reading the network set counts taken at load (migrations 1700000003200 and 1700000003300; written by
 * src/ingest/store/network-set-counts.ts). A network is a version's group of sets: its distinct NPIs are
 * the sum over its sets less, per NPI listed in several of them (network_set_shared_npi), the number of
 * its sets in the network minus one. Exact; reads tens of rows where the listings are millions.
 */

/** The version (an id expression) was counted at load (per specialty, too, when `bySpecialty`). */
export const countedAtLoadSql = (version: string, bySpecialty: boolean) =>
  `EXISTS (SELECT 1 FROM network_set_count c WHERE c.version_id = ${version} ${bySpecialty ? 'AND c.by_specialty' : ''})`;

/**
 * A network's distinct NPIs (and hospital NPIs), as two one-row subqueries to subtract: `sets` and
 * `repeats`. With a specialty (a placeholder), the NPIs are those with a listing of it: the per-specialty
 * sums, less the shared NPIs' sets where they have it, minus one; hospitals are never filtered by
 * specialty. `n` has version_id and set_ids.
 */
export const countedNetworkSql = (n: string, specialty: string | null) => {
  const inNetwork = (alias: string) => `${alias}.version_id = ${n}.version_id AND ${alias}.set_id = ANY(${n}.set_ids)`;
  return {
    sets: `SELECT ${
      specialty
        ? `(SELECT coalesce(sum(k.providers), 0) FROM network_set_specialty_count k WHERE ${inNetwork('k')} AND k.specialty = lower(${specialty}))`
        : 'coalesce(sum(c.providers), 0)'
    } AS providers, coalesce(sum(c.hospitals), 0) AS hospitals
             FROM network_set_count c WHERE ${inNetwork('c')}`,
    repeats: `SELECT coalesce(sum(greatest(x.sets - 1, 0)), 0) AS providers, coalesce(sum(greatest(x.hospital_sets - 1, 0)), 0) AS hospitals
                FROM (SELECT count(*) ${specialty ? `FILTER (WHERE s.specialties @> ARRAY[lower(${specialty})])` : ''} AS sets,
                             count(*) FILTER (WHERE s.hospital) AS hospital_sets
                        FROM network_set_shared_npi s WHERE ${inNetwork('s')}
                       GROUP BY s.npi) x`,
  };
};

/**
 * A network's distinct NPIs and hospital NPIs per specialty key, as rows (key, providers, hospitals):
 * hospitals of a specialty are NPIs with a hospital listing of it. `version` and `setIds` are SQL
 * expressions (placeholders, or an outer row's columns in a LATERAL subquery).
 */
export const countedNetworkBySpecialtySql = (version: string, setIds: string) => `
  SELECT s.key, s.providers - coalesce(r.providers, 0) AS providers, s.hospitals - coalesce(r.hospitals, 0) AS hospitals
    FROM (SELECT k.specialty AS key, sum(k.providers) AS providers, sum(k.hospitals) AS hospitals
            FROM network_set_specialty_count k
           WHERE k.version_id = ${version} AND k.set_id = ANY(${setIds})
           GROUP BY k.specialty) s
    LEFT JOIN (SELECT x.key, sum(x.sets - 1) AS providers, sum(greatest(x.hospital_sets - 1, 0)) AS hospitals
                 FROM (SELECT sh.npi, u.key, count(*) AS sets, count(*) FILTER (WHERE u.key = ANY(sh.hospital_specialties)) AS hospital_sets
                         FROM network_set_shared_npi sh CROSS JOIN LATERAL unnest(sh.specialties) AS u(key)
                        WHERE sh.version_id = ${version} AND sh.set_id = ANY(${setIds})
                        GROUP BY sh.npi, u.key) x
                GROUP BY x.key) r ON r.key = s.key`;
