import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { DataSource, QueryFailedError } from 'typeorm';
import { isDatabaseUnavailableError } from './database-errors';

/** True when the DataSource was configured with read replicas (DATABASE_REPLICA_URLS). */
export function hasReplicas(db: DataSource): boolean {
  return Boolean((db.options as { replication?: unknown }).replication);
}

interface PgResult {
  rows: unknown[];
  fields: Array<{ dataTypeID: number }>;
}
interface PgClient {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<PgResult>;
}
interface PostgresDriverPools {
  obtainMasterConnection(): Promise<[PgClient, (error?: unknown) => void]>;
  obtainSlaveConnection(): Promise<[PgClient, (error?: unknown) => void]>;
}
type Mode = 'master' | 'slave';

// ------------------------------------------------------------------ prepared statements

/** Distinct SQL texts prepared per connection; beyond this (SQL built with literals?) queries run unprepared. */
const MAX_PREPARED_STATEMENTS = 500;
const statementNames = new Map<string, string>();

/**
 * Lookups run as named prepared statements: PostgreSQL parses and plans each text once per connection
 * instead of on every request (planning costs more than executing these index lookups).
 */
function statementName(sql: string, parameters?: unknown[]): string | undefined {
  if (!parameters?.length) return undefined;
  let name = statementNames.get(sql);
  if (!name && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `rq_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

async function execute(db: DataSource, mode: Mode, sql: string, parameters?: unknown[]): Promise<PgResult> {
  const driver = db.driver as unknown as PostgresDriverPools;
  const [client, release] = mode === 'slave' ? await driver.obtainSlaveConnection() : await driver.obtainMasterConnection();
  let failure: unknown;
  try {
    return await client.query({ name: statementName(sql, parameters), text: sql, values: parameters });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A connection that failed at the socket level is discarded instead of going back to the pool.
    release(failure !== undefined && isDatabaseUnavailableError(failure) ? failure : undefined);
  }
}

// ------------------------------------------------------------------ one round trip per request and tick

/**
 * Column types whose JSON form parses back to exactly what node-postgres returns (with this project's
 * parsers: int8 → number, numeric → number, date → 'YYYY-MM-DD'): bool, int8, int2, int4, text, json,
 * float4, float8, bpchar, varchar, date, numeric, uuid, jsonb and arrays of bool/int2/int4/text/bpchar/
 * varchar/float4/float8/json. Not timestamps (Date objects), int8/numeric/date arrays, bytea...
 */
const JSON_FAITHFUL_TYPES = new Set([16, 20, 21, 23, 25, 114, 700, 701, 1042, 1043, 1082, 1700, 2950, 3802, 1000, 1005, 1007, 1009, 1014, 1015, 1021, 1022, 199]);
/** Statements slower than this are never batched, so a slow one cannot hold up quick lookups. */
const BATCHABLE_MAX_MS = 20;
const MAX_BATCH = 8;

interface StatementProfile {
  /** Result columns all survive a trip through JSON unchanged. */
  jsonFaithful: boolean;
  /** Fastest plain execution seen (the first one also prepares the statement). */
  fastestMs: number;
}
/** Learned from each SQL text's plain executions: may it travel in a batch? */
const profiles = new Map<string, StatementProfile>();

function mayBatchText(sql: string): boolean {
  // The statement is wrapped as a subquery and its $n renumbered: no comments, no ';', no '$' in literals.
  return !/--|\/\*|;|\$\$|\$[A-Za-z_]|'[^']*\$[^']*'/.test(sql) && /^\s*(SELECT|WITH)\b/i.test(sql);
}

function learn(sql: string, result: PgResult, ms: number): void {
  const known = profiles.get(sql);
  if (known) {
    known.fastestMs = Math.min(known.fastestMs, ms);
    return;
  }
  if (profiles.size >= MAX_PREPARED_STATEMENTS) return;
  profiles.set(sql, { jsonFaithful: mayBatchText(sql) && result.fields.every((f) => JSON_FAITHFUL_TYPES.has(f.dataTypeID)), fastestMs: ms });
}

function isBatchable(sql: string): boolean {
  const profile = profiles.get(sql);
  return Boolean(profile?.jsonFaithful && profile.fastestMs < BATCHABLE_MAX_MS);
}

interface Pending {
  sql: string;
  parameters?: unknown[];
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
}

/** Per HTTP request (see readBatchScope): statements issued in the same tick share one round trip. */
interface BatchScope {
  queues: Map<string, { db: DataSource; mode: Mode; items: Pending[] }>;
}
const scopes = new AsyncLocalStorage<BatchScope>();

/**
 * Runs `next` (the rest of an HTTP request) in a scope where readQuery() batches: the 2-4 lookups a
 * resolver starts together (Promise.all) go to PostgreSQL as one statement, one network round trip,
 * instead of one each. Only statements of the same request are combined, so the combined texts are few
 * and stay prepared.
 */
export function readBatchScope(next: () => void): void {
  scopes.run({ queues: new Map() }, next);
}

let dataSourceIds = new WeakMap<DataSource, number>();
let nextDataSourceId = 1;
function dataSourceId(db: DataSource): number {
  let id = dataSourceIds.get(db);
  if (!id) dataSourceIds.set(db, (id = nextDataSourceId++));
  return id;
}

function enqueue(scope: BatchScope, db: DataSource, mode: Mode, sql: string, parameters?: unknown[]): Promise<unknown[]> {
  const key = `${dataSourceId(db)}:${mode}`;
  let queue = scope.queues.get(key);
  if (!queue) {
    queue = { db, mode, items: [] };
    scope.queues.set(key, queue);
    const flushing = queue;
    // Like DataLoader: after the current promise jobs, so calls made together (Promise.all) are collected.
    void Promise.resolve().then(() =>
      process.nextTick(() => {
        scope.queues.delete(key);
        void flush(flushing.db, flushing.mode, flushing.items);
      }),
    );
  }
  return new Promise((resolve, reject) => queue!.items.push({ sql, parameters, resolve, reject }));
}

function renumber(sql: string, offset: number): string {
  return offset ? sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`) : sql;
}

async function flush(db: DataSource, mode: Mode, items: Pending[]): Promise<void> {
  const batch: Pending[] = [];
  for (const item of items) {
    if (batch.length < MAX_BATCH && isBatchable(item.sql)) batch.push(item);
    else void runSingle(db, mode, item);
  }
  if (batch.length === 1) return void runSingle(db, mode, batch[0]);
  if (!batch.length) return;

  // Same statements in the same order give the same text: prepared once per connection like the others.
  batch.sort((a, b) => (a.sql < b.sql ? -1 : a.sql > b.sql ? 1 : 0));
  const parameters: unknown[] = [];
  const columns = batch.map((item, i) => {
    const sql = renumber(item.sql, parameters.length);
    parameters.push(...(item.parameters ?? []));
    return `(SELECT coalesce(json_agg(rq_row), '[]'::json) FROM (${sql}) rq_row) AS r${i}`;
  });
  const combined = `SELECT ${columns.join(',\n       ')}`;
  for (const item of batch) db.logger.logQuery(item.sql, item.parameters);
  try {
    const result = await execute(db, mode, combined, parameters);
    const row = result.rows[0] as Record<string, unknown[]>;
    batch.forEach((item, i) => item.resolve(row[`r${i}`]));
  } catch (error) {
    if (isDatabaseUnavailableError(error)) {
      for (const item of batch) item.reject(error);
      return;
    }
    // Let each statement fail (or succeed) on its own, with its own error.
    for (const item of batch) void runSingle(db, mode, item, false);
  }
}

async function runSingle(db: DataSource, mode: Mode, item: Pending, log = true): Promise<void> {
  try {
    item.resolve(await runPlain(db, mode, item.sql, item.parameters, log));
  } catch (error) {
    item.reject(error);
  }
}

async function runPlain(db: DataSource, mode: Mode, sql: string, parameters?: unknown[], log = true): Promise<unknown[]> {
  if (log) db.logger.logQuery(sql, parameters);
  const started = performance.now();
  try {
    const result = await execute(db, mode, sql, parameters);
    learn(sql, result, performance.now() - started);
    return result.rows;
  } catch (error) {
    db.logger.logQueryError(error as Error, sql, parameters);
    throw error;
  }
}

async function runOn<T>(db: DataSource, mode: Mode, sql: string, parameters?: unknown[]): Promise<T> {
  const scope = scopes.getStore();
  try {
    return (await (scope ? enqueue(scope, db, mode, sql, parameters) : runPlain(db, mode, sql, parameters))) as T;
  } catch (error) {
    if (error instanceof QueryFailedError) throw error;
    throw new QueryFailedError(sql, parameters, error as Error);
  }
}

/**
 * A read-only SQL query (GraphQL lookups), answered by a read replica when replicas are configured.
 *
 * `DataSource.query()` always runs on the primary (TypeORM's `master`), even with replication set up;
 * lookups use this instead so N API instances spread their reads over the replicas and leave the
 * primary to imports. A replica that cannot be reached is skipped: the query is retried on the primary.
 * Never use it for writes, or for reads that must see a write made just before (replicas lag slightly
 * behind the primary). Results are the same rows as `DataSource.query()`; failures are TypeORM
 * QueryFailedErrors, and every statement goes through the DataSource's logger.
 */
export async function readQuery<T = any>(db: DataSource, sql: string, parameters?: unknown[]): Promise<T> {
  if (!hasReplicas(db)) return runOn<T>(db, 'master', sql, parameters);
  try {
    return await runOn<T>(db, 'slave', sql, parameters);
  } catch (error) {
    if (!isDatabaseUnavailableError(error)) throw error;
    return runOn<T>(db, 'master', sql, parameters);
  }
}

/** For tests: forget what was learned about statements. */
export function resetReadQueryState(): void {
  profiles.clear();
  statementNames.clear();
  dataSourceIds = new WeakMap();
}
