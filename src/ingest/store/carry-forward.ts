import type { Pool } from 'pg';
import { DataKind, LISTING_NETWORK_SET_TABLE, NETWORK_SET_TABLE, PLAN_TABLE, TABLES_OF_KIND, VersionTable } from '../../qhp/version-tables';
import { versionTableName } from './version-partitions';

/** Names of the version counts (as the validation report counts loaded rows) of the tables a load may carry forward. */
const COUNT_NAME: Readonly<Record<string, string>> = {
  provider: 'providers',
  provider_address: 'addresses',
  network_membership: 'networkMemberships',
  drug: 'drugs',
  formulary_entry: 'formularyEntries',
};

export interface CarriedKind {
  kind: DataKind;
  /** Rows copied, per version count name (a table without one is counted under its own name). */
  counts: Record<string, number>;
  /** Rows left out, per table, because their plan is not among the new version's plans. */
  dropped: Record<string, number>;
}

/**
 * Copies the rows of `kind` from version `fromVersion` into the tables of the loading version `toVersion`
 * (its own `<table>_v<V>` for partitioned tables, not yet indexed), one INSERT … SELECT per table of the
 * kind with the columns version-tables.ts lists, so a table added there is carried too. Rows naming a
 * plan (a `plan_id` column) are kept only when the plan is among the new version's plans, which are loaded first.
 */
export async function carryForward(pool: Pool, kind: DataKind, fromVersion: number, toVersion: number): Promise<CarriedKind> {
  const carried: CarriedKind = { kind, counts: {}, dropped: {} };
  for (const table of TABLES_OF_KIND[kind]) {
    const { inserted, dropped } = await carryTable(pool, table, kind !== 'plans', fromVersion, toVersion);
    carried.counts[COUNT_NAME[table.table] ?? table.table] = inserted;
    if (dropped) carried.dropped[table.table] = dropped;
  }
  if (kind === 'providers') {
    carried.counts.networkMemberships = await countMemberships(pool, toVersion);
    // A plan list's entries are stored once for all its listings: what was dropped is reported in memberships.
    delete carried.dropped[NETWORK_SET_TABLE.table];
    const dropped = await droppedMemberships(pool, fromVersion, toVersion);
    if (dropped) carried.dropped.network_membership = dropped;
  }
  return carried;
}

/** Memberships of the published version whose plan is not among the loading version's plans. */
async function droppedMemberships(pool: Pool, fromVersion: number, toVersion: number): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM network_membership
      WHERE version_id = $1::bigint AND plan_id NOT IN (SELECT plan_id FROM ${PLAN_TABLE.table} WHERE version_id = $2::bigint)`,
    [fromVersion, toVersion],
  );
  return Number(rows[0].n);
}

/**
 * Memberships are stored as listings pointing to plan lists (network_membership is a view over the two):
 * the carried count is that of the view, counted in the loading version's own tables.
 */
async function countMemberships(pool: Pool, version: number): Promise<number> {
  const listings = versionTableName(LISTING_NETWORK_SET_TABLE.table, version);
  const sets = versionTableName(NETWORK_SET_TABLE.table, version);
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${listings} l JOIN ${sets} s ON s.set_id = l.set_id`);
  return Number(rows[0].n);
}

async function carryTable(
  pool: Pool,
  table: VersionTable,
  onlyKnownPlans: boolean,
  fromVersion: number,
  toVersion: number,
): Promise<{ inserted: number; dropped: number }> {
  const target = table.partitioned ? versionTableName(table.table, toVersion) : table.table;
  const columns = table.columns.join(', ');
  const values = table.columns.map((column) => (column === 'version_id' ? '$1::bigint' : column)).join(', ');
  const planFilter =
    onlyKnownPlans && table.columns.includes('plan_id') ? ` AND plan_id IN (SELECT plan_id FROM ${PLAN_TABLE.table} WHERE version_id = $1::bigint)` : '';
  const { rowCount } = await pool.query(`INSERT INTO ${target} (${columns}) SELECT ${values} FROM ${table.table} WHERE version_id = $2::bigint${planFilter}`, [
    toVersion,
    fromVersion,
  ]);
  const inserted = rowCount ?? 0;
  if (!planFilter) return { inserted, dropped: 0 };
  const [{ n }] = (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table.table} WHERE version_id = $1::bigint`, [fromVersion])).rows;
  return { inserted, dropped: Number(n) - inserted };
}
