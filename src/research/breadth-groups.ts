import { BreadthGroupBy } from './network-breadth.model';

/**
 * Where each breakdown of network size and breadth takes its key from, over a provider `p` of the
 * versions in the SQL array `versions` (given so every other version's address partitions are pruned).
 * A provider with no key (no specialty, an address without a known county) has one row with a NULL key,
 * which no group counts.
 */
export interface BreadthGroupSource {
  key: string;
  join(versions: string): string;
  /** For keys that are codes: the SQL naming a group from its key (the SQL expression `key`). */
  names?(key: string): GroupNameSql;
}

/** `join` goes in the FROM clause, `name` in the select list. */
export interface GroupNameSql {
  join: string;
  name: string;
}

const addressJoin = (versions: string) =>
  `LEFT JOIN provider_address a ON a.version_id = p.version_id AND a.record_no = p.record_no AND a.version_id = ANY(${versions})`;

export const BREADTH_GROUPS: Record<BreadthGroupBy, BreadthGroupSource> = {
  [BreadthGroupBy.STATE]: { key: 'a.state::text', join: addressJoin },
  [BreadthGroupBy.ZIP3]: { key: 'left(a.zip, 3)', join: addressJoin },
  // The county of the address's ZIP code (migration 1700000003400): its 5-digit FIPS code.
  [BreadthGroupBy.COUNTY]: {
    key: 'zc.county_fips',
    join: (versions) => `${addressJoin(versions)} LEFT JOIN zip_county zc ON zc.zip = left(a.zip, 5)`,
    names: (key) => ({ join: `LEFT JOIN county gn ON gn.fips = ${key}`, name: `gn.name || ', ' || gn.state` }),
  },
  // The specialty keys (lower-cased at load, as a specialty filter matches them): the per-specialty
  // counts taken at load are keyed by them too.
  [BreadthGroupBy.SPECIALTY]: {
    key: 'sp.specialty',
    join: () => 'LEFT JOIN LATERAL unnest(p.specialty_keys) AS sp(specialty) ON true',
  },
};

/** A group's name for readers ("Cook, IL" for a county); NULL for breakdowns whose keys read as they are. */
export function groupNameSql(groupBy: BreadthGroupBy | null | undefined, key: string): GroupNameSql {
  return (groupBy && BREADTH_GROUPS[groupBy].names?.(key)) || { join: '', name: 'NULL::text' };
}
