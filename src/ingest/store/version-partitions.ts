import { availableParallelism, totalmem } from 'node:os';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

import { NETWORK_SET_TABLE, PARTITIONED_TABLES } from '../../qhp/version-tables';

/** A table LIST-partitioned by version_id (migration 1700000000400): one of PARTITIONED_TABLES. */
type PartitionedTable = string;

/**
 * A load's rows of the big tables (provider, provider_address, network_membership, drug,
 * formulary_entry) live in one table per version, `<table>_v<version>`: COPYed while standalone and
 * without indexes, then indexed in bulk and ATTACHed as the partition FOR VALUES IN (version).
 */
export function versionTableName(table: string, versionId: number): string {
  return `${table}_v${versionId}`;
}

const VERSION_TABLE_PATTERN = new RegExp(`^(${PARTITIONED_TABLES.join('|')})_v([0-9]+)$`);

/**
 * Index builds run at once: one per core. Builds are CPU-bound sorts; more of them than cores only
 * contend, and fewer leave cores idle. Against a larger remote server each build still gets its parallel
 * maintenance workers.
 */
const CONCURRENT_INDEX_BUILDS = availableParallelism();

/** Per index-building session at least: in-memory sorts for the builds (PostgreSQL's default is 64 MB). */
const MIN_MAINTENANCE_WORK_MEM_MB = 256;
/**
 * A btree build sorts ~105 bytes per row (tuple, sort slot, allocation overhead: 314 MB for the 3M rows
 * of network_membership's primary key); 128 leaves a margin. A sort that does not fit spills to disk and
 * merges, and a presorted input is then no longer spotted: at 3M providers (9M memberships) the
 * primary key spilled with 256 MB and lost its presorted pass.
 */
const SORT_BYTES_PER_ROW = 128;

/**
 * maintenance_work_mem for building an index on a table of `rows` rows: enough for an in-memory sort,
 * within a cap. A server on this machine gets up to 1/16 of its memory per session (1 GB at most);
 * a remote server, whose memory is unknown here, keeps the floor.
 */
export function maintenanceWorkMemMb(rows: number, local: boolean): number {
  const cap = local ? Math.min(1024, Math.floor(totalmem() / 16 / 2 ** 20)) : MIN_MAINTENANCE_WORK_MEM_MB;
  const needed = Math.ceil((rows * SORT_BYTES_PER_ROW) / 2 ** 20);
  return Math.max(MIN_MAINTENANCE_WORK_MEM_MB, Math.min(cap, needed));
}

/**
 * Whether the server runs on this machine (the embedded one, or localhost): its index builds, one per
 * core, then already take every core, and parallel maintenance workers on top of them only contend and
 * slow the builds down. A remote server keeps its own setting.
 */
function serverSharesOurCores(pool: Pool): boolean {
  const { host, connectionString } = pool.options;
  const name = host ?? (connectionString ? new URL(connectionString).hostname : '');
  return !name || name.startsWith('/') || ['localhost', '127.0.0.1', '::1', '[::1]'].includes(name);
}

/** Creates the version's standalone tables: the parents' columns, defaults and checks, CHECK (version_id = V), no indexes. */
export async function createVersionTables(db: Pool, versionId: number): Promise<void> {
  for (const table of PARTITIONED_TABLES) {
    const name = versionTableName(table, versionId);
    // The CHECK lets ATTACH skip its validation scan; declared up front, COPY checks it per row (no extra scan).
    await db.query(
      `CREATE TABLE ${name} (LIKE ${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT ${name}_version CHECK (version_id = ${Number(versionId)}))`,
    );
  }
}

/** A statement of the index phase, and the rows of the table it reads (for its sort memory). */
interface IndexPhaseStatement {
  sql: string;
  rows: number;
}

interface IndexBuild extends IndexPhaseStatement {
  /** Rough cost, to start the expensive builds first (and not be left with one long build at the end). */
  weight: number;
}

/**
 * Relative build cost per row, from timing each build of a 1M-provider load alone: a GIN of trigrams
 * costs a few times a sorted btree or GiST build per row, a GIN of short arrays less than either.
 */
function buildCostPerRow(method: string, definition: string): number {
  if (method !== 'gin') return 1;
  return definition.includes('gin_trgm_ops') ? 2 : 0.5;
}

const INDEX_DEF = /^CREATE (UNIQUE )?INDEX (\S+) ON ONLY (\S+) (USING .*)$/;

/**
 * The index builds of the version's tables, derived from the partitioned parents' indexes
 * (pg_get_indexdef of each parent index, `ON ONLY public.<t>` → the version's table, name + `_v<V>`),
 * so a migration adding an index to a parent needs no change here.
 */
async function plannedIndexBuilds(client: PoolClient, versionId: number, tables: readonly PartitionedTable[]): Promise<IndexBuild[]> {
  const { rows } = await client.query<{ table: string; def: string; method: string }>(
    `SELECT t.relname AS table, pg_get_indexdef(i.indexrelid) AS def, am.amname AS method
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class ix ON ix.oid = i.indexrelid
       JOIN pg_am am ON am.oid = ix.relam
      WHERE t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1) AND t.relkind = 'p'`,
    [tables],
  );
  const sizes = new Map<string, number>();
  for (const table of tables) {
    const {
      rows: [stats],
    } = await client.query<{ n: string }>(`SELECT GREATEST(c.reltuples, 0)::bigint AS n FROM pg_class c WHERE c.oid = $1::regclass`, [
      versionTableName(table, versionId),
    ]);
    sizes.set(table, Number(stats?.n ?? 0));
  }
  return rows.map((row) => {
    const match = INDEX_DEF.exec(row.def);
    if (!match) throw new Error(`unexpected index definition on ${row.table}: ${row.def}`);
    const [, unique = '', name, , rest] = match;
    const sql = `CREATE ${unique}INDEX ${name}_v${versionId} ON public.${versionTableName(row.table, versionId)} ${rest}`;
    const rows = sizes.get(row.table) ?? 0;
    return { sql, rows, weight: rows * buildCostPerRow(row.method, row.def) + 1 };
  });
}

/** Told of each statement of the index phase when it is done, with its duration (bench:ingest prints them). */
export type StatementDone = (sql: string, seconds: number) => void;

/** Runs the statements in order over `sessions` pooled sessions at once, each taking the next when done with one. */
async function runQueued(
  pool: Pool,
  sessions: number,
  statements: readonly IndexPhaseStatement[],
  signal?: AbortSignal,
  onDone?: StatementDone,
): Promise<void> {
  const queue = [...statements];
  const local = serverSharesOurCores(pool);
  const session = async (): Promise<void> => {
    const client = await pool.connect();
    let healthy = false;
    try {
      let memoryMb = 0;
      await client.query('SET synchronous_commit = off');
      if (local) await client.query('SET max_parallel_maintenance_workers = 0');
      for (let statement = queue.shift(); statement; statement = queue.shift()) {
        signal?.throwIfAborted();
        const neededMb = maintenanceWorkMemMb(statement.rows, local);
        if (neededMb !== memoryMb) {
          await client.query(`SET maintenance_work_mem = '${neededMb}MB'`);
          memoryMb = neededMb;
        }
        const started = process.hrtime.bigint();
        await client.query(statement.sql);
        onDone?.(statement.sql, Number(process.hrtime.bigint() - started) / 1e9);
      }
      await client.query('RESET maintenance_work_mem');
      await client.query('RESET synchronous_commit');
      await client.query('RESET max_parallel_maintenance_workers');
      healthy = true;
    } finally {
      client.release(!healthy);
    }
  };
  await Promise.all(Array.from({ length: Math.min(sessions, queue.length) }, session));
}

/** What else an index phase reports or obeys. */
export interface IndexPhaseOptions {
  signal?: AbortSignal;
  /** Told of each statement when it is done. */
  onDone?: StatementDone;
  /** Called once the tables are analyzed, before their indexes are built (their statistics are fresh then). */
  onAnalyzed?: () => void;
}

/**
 * Builds the indexes of the version's `tables`, all builds queued over at most `connections` pooled
 * sessions, one per core (CREATE INDEX takes a SHARE lock, so builds on one table run concurrently too).
 */
export async function indexVersionTables(
  pool: Pool,
  connections: number,
  versionId: number,
  tables: readonly PartitionedTable[],
  { signal, onDone, onAnalyzed }: IndexPhaseOptions = {},
): Promise<void> {
  const sessions = Math.max(1, Math.min(connections, CONCURRENT_INDEX_BUILDS));
  if (tables.includes(NETWORK_SET_TABLE.table)) await dedupeNetworkSets(pool, versionId);
  // Fresh statistics: the planner sees the loaded tables' sizes at once (a standalone table is not yet in the parent's).
  await runQueued(
    pool,
    sessions,
    tables.map((table) => ({ sql: `ANALYZE ${versionTableName(table, versionId)}`, rows: 0 })),
    signal,
    onDone,
  );
  onAnalyzed?.();
  const client = await pool.connect();
  let builds: IndexBuild[];
  try {
    builds = await plannedIndexBuilds(client, versionId, tables);
  } finally {
    client.release();
  }
  builds.sort((a, b) => b.weight - a.weight);
  await runQueued(pool, sessions, builds, signal, onDone);
  signal?.throwIfAborted();
}

/**
 * Each thread rendering a load's providers writes the rows of the network sets it meets first, so a set
 * met by several threads (or files) is there once per thread: one copy stays, before the primary key is
 * built. The table holds the version's distinct plan lists (tens of rows to a few thousand): instant.
 */
export async function dedupeNetworkSets(pool: Pool, versionId: number): Promise<void> {
  const table = versionTableName(NETWORK_SET_TABLE.table, versionId);
  await pool.query(
    `DELETE FROM ${table} t USING (
       SELECT ctid, row_number() OVER (PARTITION BY set_id, plan_id, network_tier ORDER BY ctid) AS copy FROM ${table}
     ) d
     WHERE t.ctid = d.ctid AND d.copy > 1`,
  );
}

/**
 * Makes each indexed version table a partition: PRIMARY KEY USING its unique index, then ATTACH PARTITION,
 * which adopts the matching indexes instead of building them and skips its validation scan thanks to the
 * CHECK (version_id = V).
 */
export async function attachVersionTables(pool: Pool, versionId: number): Promise<void> {
  const { rows: primaryKeys } = await pool.query<{ table: string; constraint: string }>(
    `SELECT t.relname AS table, con.conname AS constraint
       FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
      WHERE con.contype = 'p' AND t.relnamespace = 'public'::regnamespace AND t.relname = ANY($1) AND t.relkind = 'p'`,
    [PARTITIONED_TABLES],
  );
  for (const table of PARTITIONED_TABLES) {
    const versionTable = versionTableName(table, versionId);
    const pk = primaryKeys.find((key) => key.table === table);
    if (pk) {
      // The parent's primary key index shares the constraint's name; the version's copy has `_v<V>` appended.
      const name = `${pk.constraint}_v${versionId}`;
      await pool.query(`ALTER TABLE ${versionTable} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name}`);
    }
    await pool.query(`ALTER TABLE ${table} ATTACH PARTITION ${versionTable} FOR VALUES IN (${versionId})`);
  }
}

/** Every version table indexed, then attached (the raw-COPY baseline of bench:ingest). */
export async function indexAndAttachVersionTables(pool: Pool, connections: number, versionId: number, onDone?: StatementDone): Promise<void> {
  await indexVersionTables(pool, connections, versionId, PARTITIONED_TABLES, { onDone });
  await attachVersionTables(pool, versionId);
}

/** The version tables present (attached partitions and not-yet-attached standalone tables), by version. */
export async function findVersionTables(db: DataSource): Promise<Map<number, string[]>> {
  const rows: Array<{ relname: string }> = await db.query(
    `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relname ~ '_v[0-9]+$'`,
  );
  const byVersion = new Map<number, string[]>();
  for (const { relname } of rows) {
    const match = VERSION_TABLE_PATTERN.exec(relname);
    if (!match) continue;
    const id = Number(match[2]);
    byVersion.set(id, [...(byVersion.get(id) ?? []), relname]);
  }
  return byVersion;
}

/**
 * Drops every table of these versions, attached or not: instant, unlike a DELETE. An attached
 * partition is first detached CONCURRENTLY, so readers of the parent are never blocked (DROP of an
 * attached partition would take an ACCESS EXCLUSIVE lock on the parent); should that fail (say, a
 * detach left pending by an interrupted cleanup), the partition is dropped directly.
 */
export async function dropVersionTables(db: DataSource, versionIds: readonly number[]): Promise<void> {
  if (!versionIds.length) return;
  const names = versionIds.flatMap((id) => PARTITIONED_TABLES.map((table) => versionTableName(table, id)));
  const attached: Array<{ name: string; parent: string }> = await db.query(
    `SELECT c.relname AS name, p.relname AS parent
       FROM pg_class c JOIN pg_inherits h ON h.inhrelid = c.oid JOIN pg_class p ON p.oid = h.inhparent
      WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1) AND NOT h.inhdetachpending`,
    [names],
  );
  for (const { name, parent } of attached) {
    await db.query(`ALTER TABLE ${parent} DETACH PARTITION ${name} CONCURRENTLY`).catch(() => undefined);
  }
  await db.query(`DROP TABLE IF EXISTS ${names.join(', ')}`);
}
