import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DataSource, EntityManager, QueryFailedError, QueryRunner } from 'typeorm';
import { isDatabaseUnavailableError, isStatementTimeoutError, StatementTimeoutError } from './database-errors';
import { planForOwnValues } from './plan-cache';

/**
 * The one way into PostgreSQL. Every read, write, transaction, COPY connection and pool probe of the
 * application goes through this handle; it is the only code that knows how TypeORM keeps its pg pools
 * (one for the primary, one per read replica).
 *
 * - `read`: prepared, replica-aware lookups (GraphQL answers); within an HTTP request (see `Database.scope`)
 *   the lookups started in the same tick share one round trip.
 * - `readTogether`: statements that must travel in one round trip (see PublishedVersions) receive the batch
 *   explicitly.
 * - `search`: search and research statements, planned for their own values, with their own settings.
 * - `query` / `transaction`: the primary, for writes and reads that must see them.
 * - `connectForCopy` / `primaryPool`: dedicated pg connections for COPY.
 * - `poolStats` / `pingReplicas`: for readiness.
 *
 * Built from an initialized DataSource, so plain classes (the importer, command-line tools, benchmarks)
 * use it as Nest services do (DatabaseModule provides it).
 */
export class Database implements Reader {
  private searchSlots?: Semaphore;

  constructor(
    readonly dataSource: DataSource,
    private readonly limits: DatabaseLimits = {},
  ) {}

  /**
   * Search and research statements allowed at once (per handle). The rest of the pool stays free for the
   * lookups behind the two core questions and for readiness, so a burst of wide searches queues here
   * instead of holding every connection.
   */
  get searchConcurrency(): number {
    if (this.limits.searchConcurrency) return this.limits.searchConcurrency;
    const size = this.primaryPool().size;
    return Math.max(1, size - Math.max(2, Math.ceil(size / 4)));
  }

  /** True when the DataSource was configured with read replicas (DATABASE_REPLICA_URLS). */
  get hasReplicas(): boolean {
    return Boolean((this.dataSource.options as { replication?: unknown }).replication);
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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SQL rows are untyped: callers name the row type where it matters
  read<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.readVia((mode) => runOn<T>(this.dataSource, mode, sql, parameters), sql, parameters);
  }

  /**
   * Runs `lookups` with a batch: every statement read through `batch` before `lookups` first awaits goes
   * to PostgreSQL in one round trip (when the statements qualify: see isBatchable), answered as separate
   * `read`s would be (within an HTTP request, in the request's round trip). A statement read through the
   * batch after it was sent is rejected, so an await added before a lookup fails loudly instead of quietly
   * costing a round trip (or a consistent answer).
   */
  readTogether<T>(lookups: (batch: Reader) => Promise<T>): Promise<T> {
    const batch = new ExplicitBatch(this.dataSource, (first, sql, parameters) => this.readVia(first, sql, parameters));
    try {
      return lookups(batch);
    } finally {
      batch.send();
    }
  }

  /** Reads on a replica when there are any, and on the primary when none answers. */
  private async readVia<T>(first: (mode: Mode) => Promise<T>, sql: string, parameters?: unknown[]): Promise<T> {
    if (!this.hasReplicas) return first('master');
    try {
      return await first('slave');
    } catch (error) {
      if (!isDatabaseUnavailableError(error)) throw error;
      return runOn<T>(this.dataSource, 'master', sql, parameters);
    }
  }

  /**
   * A read-only search or research query, on a read replica when there are any (falling back to the primary,
   * as `read` does), run as an unnamed statement in a short transaction. Unlike `read`'s prepared
   * statements, the SQL here is assembled per request and its best plan depends on the values (trigram
   * selectivity, the earth box, a state's size), so each execution gets a plan made for its own parameters
   * (force_custom_plan, transaction-local: pooled sessions default to generic plans).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SQL rows are untyped: callers name the row type where it matters
  async search<T = any>(sql: string, parameters: unknown[], options: SearchOptions = {}): Promise<T> {
    this.searchSlots ??= new Semaphore(this.searchConcurrency);
    const settings = { ...options, statementTimeoutMs: options.statementTimeoutMs ?? this.limits.statementTimeoutMs ?? null };
    const release = await this.searchSlots.acquire();
    try {
      if (!this.hasReplicas) return await this.searchOn<T>('master', sql, parameters, settings);
      try {
        return await this.searchOn<T>('slave', sql, parameters, settings);
      } catch (error) {
        if (!isDatabaseUnavailableError(error)) throw error;
        return await this.searchOn<T>('master', sql, parameters, settings);
      }
    } catch (error) {
      if (settings.statementTimeoutMs && isStatementTimeoutError(error)) throw new StatementTimeoutError(settings.statementTimeoutMs, error);
      throw error;
    } finally {
      release();
    }
  }

  private async searchOn<T>(mode: Mode, sql: string, parameters: unknown[], options: SearchOptions): Promise<T> {
    const runner: QueryRunner = this.dataSource.createQueryRunner(mode);
    try {
      await runner.startTransaction();
      try {
        await applySearchSettings(runner, options);
        const rows = await runner.query(sql, parameters);
        await runner.commitTransaction();
        return rows;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /** A statement on the primary: writes, and reads that must see a write made just before. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SQL rows are untyped: callers name the row type where it matters
  query<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.dataSource.query(sql, parameters);
  }

  /** Runs `work` in one transaction on the primary (committed when it resolves, rolled back when it throws). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * A dedicated pg connection for COPY (which TypeORM's query runners cannot stream): from a read replica
   * for exports when there are any (chosen at random), from the primary otherwise or for loads. The caller
   * releases it (`release(error)` for one left mid-protocol, so it is discarded).
   */
  async connectForCopy(target: 'primary' | 'replica'): Promise<PoolClient> {
    const replicas = this.pools().replicas;
    const pool = target === 'replica' && replicas.length ? replicas[Math.floor(Math.random() * replicas.length)] : this.primaryPool().pool;
    return pool.connect();
  }

  /**
   * The primary's pg pool and its size, for work that holds several raw connections at once (an import
   * COPYs each table on its own connection, then builds indexes in parallel).
   */
  primaryPool(): { pool: Pool; size: number } {
    const { primary } = this.pools();
    if (!primary) throw new Error('the database handle needs an initialized PostgreSQL DataSource');
    // pg fills in its default (10) when the pool was configured without a size.
    return { pool: primary, size: primary.options.max ?? 10 };
  }

  /** Connections of each pool: in use, idle, and requests waiting for one. */
  poolStats(): PoolStats[] {
    const { primary, replicas } = this.pools();
    const stats = (role: PoolStats['role'], pool: Pool): PoolStats => ({ role, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return [...(primary ? [stats('primary', primary)] : []), ...replicas.map((pool) => stats('replica', pool))];
  }

  /** `SELECT 1` on each read replica, each settled on its own (empty without replicas). */
  pingReplicas(withTimeout: <R>(probe: Promise<R>) => Promise<R>): Promise<PromiseSettledResult<unknown>[]> {
    return Promise.allSettled(this.pools().replicas.map((pool) => withTimeout(pool.query('SELECT 1'))));
  }

  /**
   * One read-only statement on the primary and on every read replica, each result in that order: for
   * questions about what all servers agree on (the published versions, when answers are cached).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SQL rows are untyped: callers name the row type where it matters
  async readOnEveryServer<T = any>(sql: string, parameters?: unknown[]): Promise<T[]> {
    const { primary, replicas } = this.pools();
    return Promise.all([...(primary ? [primary] : []), ...replicas].map(async (pool) => (await pool.query(sql, parameters)).rows as T));
  }

  private pools(): { primary?: Pool; replicas: Pool[] } {
    const driver = this.dataSource.driver as unknown as { master?: Pool; slaves?: Pool[] };
    return { primary: driver.master, replicas: driver.slaves ?? [] };
  }

  /**
   * Runs `next` (the rest of an HTTP request) in a scope where `read` batches: the 2-4 lookups a
   * resolver starts together (Promise.all) go to PostgreSQL as one statement, one network round trip,
   * instead of one each. Only statements of the same request are combined, so the combined texts are few
   * and stay prepared.
   */
  static scope(next: () => void): void {
    scopes.run({ queues: new Map() }, next);
  }

  /** For tests: forget what was learned about statements. */
  static resetLearnedStatements(): void {
    profiles.clear();
    statementNames.clear();
    dataSourceIds = new WeakMap();
  }
}

/** What reads lookups: the handle itself, or a batch of `Database.readTogether`. */
export interface Reader {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SQL rows are untyped: callers name the row type where it matters
  read<T = any>(sql: string, parameters?: unknown[]): Promise<T>;
}

export interface PoolStats {
  role: 'primary' | 'replica';
  total: number;
  idle: number;
  waiting: number;
}

/** Limits the handle applies to search and research statements (the API sets them from its configuration). */
export interface DatabaseLimits {
  /** Longest a search statement may run (SET LOCAL statement_timeout); unset or 0: no limit. */
  statementTimeoutMs?: number;
  /** Search statements at once; unset: the pool size minus a quarter of it (at least 2 kept free), at least 1. */
  searchConcurrency?: number;
}

/**
 * Permits given first come, first served, or by rank when waiters give one: `acquire` resolves with the
 * function that gives the permit back. Waiters of equal rank (and those giving none) keep their order.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<{ rank: number; resolve: () => void }> = [];

  constructor(private readonly permits: number) {}

  async acquire(rank = Number.POSITIVE_INFINITY): Promise<() => void> {
    if (this.active < this.permits) this.active++;
    else
      await new Promise<void>((resolve) => {
        const after = this.waiting.findIndex((waiter) => waiter.rank > rank);
        this.waiting.splice(after < 0 ? this.waiting.length : after, 0, { rank, resolve });
      });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The permit passes straight to the next waiter, so a newcomer cannot overtake it.
      if (next) next.resolve();
      else this.active--;
    };
  }
}

export interface SearchOptions {
  /**
   * pg_trgm word-similarity threshold for the statement. The `<%` operator (the one the GIN trigram indexes
   * serve) compares against this setting rather than an argument, and the default 0.6 rejects ordinary
   * typos ("jonh smth" scores about 0.31 against "John Smith"). Set with set_config(..., true) inside a
   * transaction, so pooled connections are left as they were.
   */
  wordSimilarityThreshold?: number | null;
  /**
   * work_mem for the statement: research aggregates sort and hash hundreds of thousands of memberships,
   * which the default 4MB sends to disk.
   */
  workMem?: string | null;
  /**
   * statement_timeout for the statement, in ms (0 or null: none). Set by the handle from its limits: a
   * search that runs too long is stopped by PostgreSQL itself, freeing its connection.
   */
  statementTimeoutMs?: number | null;
}

/** Research queries: enough memory to count a few plans' networks (700k memberships) without spilling. */
export const RESEARCH_QUERY: SearchOptions = { workMem: '64MB' };

/**
 * Applies the options as transaction-local settings (the runner must be in a transaction), and a plan made
 * for this statement's own values: pooled sessions default to generic plans, right for `read`'s lookups
 * (see plan-cache.ts), wrong for a trigram search or a research aggregate.
 */
export async function applySearchSettings(runner: { query(sql: string, parameters?: unknown[]): Promise<unknown> }, options: SearchOptions): Promise<void> {
  await planForOwnValues(runner);
  if (options.wordSimilarityThreshold != null) {
    await runner.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(options.wordSimilarityThreshold)]);
  }
  if (options.workMem != null) await runner.query(`SELECT set_config('work_mem', $1, true)`, [options.workMem]);
  if (options.statementTimeoutMs) await runner.query(`SELECT set_config('statement_timeout', $1, true)`, [String(options.statementTimeoutMs)]);
}

// ------------------------------------------------------------------ driver pools

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

/**
 * Runs one statement on a pooled connection. `executed(ms)` gets the time from when it had the connection:
 * under load a lookup waits for one longer than it runs, and that wait says nothing about the statement.
 */
async function execute(db: DataSource, mode: Mode, sql: string, parameters?: unknown[], executed?: (ms: number) => void): Promise<PgResult> {
  const driver = db.driver as unknown as PostgresDriverPools;
  const [client, release] = mode === 'slave' ? await driver.obtainSlaveConnection() : await driver.obtainMasterConnection();
  let failure: unknown;
  try {
    const started = performance.now();
    const result = await client.query({ name: statementName(sql, parameters), text: sql, values: parameters });
    executed?.(performance.now() - started);
    return result;
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
const JSON_FAITHFUL_TYPES = new Set([
  16, 20, 21, 23, 25, 114, 700, 701, 1042, 1043, 1082, 1700, 2950, 3802, 1000, 1005, 1007, 1009, 1014, 1015, 1021, 1022, 199,
]);
/** Statements slower than this are never batched, so a slow one cannot hold up quick lookups. */
const BATCHABLE_MAX_MS = 20;
const MAX_BATCH = 8;

interface StatementProfile {
  /** Result columns all survive a trip through JSON unchanged. */
  jsonFaithful: boolean;
  /** Fastest plain execution seen, from when it had its connection (the first one also prepares the statement). */
  fastestMs: number;
}
/** Learned from each SQL text's plain executions: may it travel in a batch? */
const profiles = new Map<string, StatementProfile>();

function mayBatchText(sql: string): boolean {
  // The statement is wrapped as a subquery and its $n renumbered: no comments, no ';', no '$' in literals.
  // Literals are read in order from the start ('' is a quote inside one), so the text between two of them
  // (`'x', $2) ... '[]'`) is not mistaken for one; E'...' strings (backslash escapes) are not batched.
  if (/--|\/\*|;|\$\$|\$[A-Za-z_]|\bE'/i.test(sql) || !/^\s*(SELECT|WITH)\b/i.test(sql)) return false;
  return !(sql.match(/'(?:[^']|'')*'/g) ?? []).some((literal) => literal.includes('$'));
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

/** Per HTTP request (see Database.scope): statements issued in the same tick share one round trip. */
interface BatchScope {
  queues: Map<string, { db: DataSource; mode: Mode; items: Pending[] }>;
}
const scopes = new AsyncLocalStorage<BatchScope>();

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
  try {
    let executionMs = 0;
    const result = await execute(db, mode, sql, parameters, (ms) => (executionMs = ms));
    learn(sql, result, executionMs);
    return result.rows;
  } catch (error) {
    db.logger.logQueryError(error as Error, sql, parameters);
    throw error;
  }
}

function runOn<T>(db: DataSource, mode: Mode, sql: string, parameters?: unknown[]): Promise<T> {
  const scope = scopes.getStore();
  return asQueryFailure<T>(scope ? enqueue(scope, db, mode, sql, parameters) : runPlain(db, mode, sql, parameters), sql, parameters);
}

/** Failures as TypeORM's QueryFailedError, as `DataSource.query()` reports them. */
async function asQueryFailure<T>(rows: Promise<unknown[]>, sql: string, parameters?: unknown[]): Promise<T> {
  try {
    return (await rows) as T;
  } catch (error) {
    if (error instanceof QueryFailedError) throw error;
    throw new QueryFailedError(sql, parameters, error as Error);
  }
}

/** The statements of one `Database.readTogether`, sent together once its callback has issued them. */
class ExplicitBatch implements Reader {
  private readonly queues = new Map<Mode, Pending[]>();
  private readonly scope = scopes.getStore();
  private sent = false;

  constructor(
    private readonly db: DataSource,
    private readonly readVia: <T>(first: (mode: Mode) => Promise<T>, sql: string, parameters?: unknown[]) => Promise<T>,
  ) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SQL rows are untyped: callers name the row type where it matters
  read<T = any>(sql: string, parameters?: unknown[]): Promise<T> {
    if (this.sent) {
      return Promise.reject(new Error(`a statement was read through a batch that was already sent (an await before it?): ${sql.trim().slice(0, 80)}`));
    }
    return this.readVia(
      (mode) => {
        // Within a request, the batch joins the request's own (sent after this tick, so with every statement
        // of the batch), where lookups of other fields started in the same tick may join it too.
        if (this.scope) return asQueryFailure<T>(enqueue(this.scope, this.db, mode, sql, parameters), sql, parameters);
        let items = this.queues.get(mode);
        if (!items) this.queues.set(mode, (items = []));
        const queued = new Promise<unknown[]>((resolve, reject) => items!.push({ sql, parameters, resolve, reject }));
        return asQueryFailure<T>(queued, sql, parameters);
      },
      sql,
      parameters,
    );
  }

  send(): void {
    this.sent = true;
    for (const [mode, items] of this.queues) void flush(this.db, mode, items);
    this.queues.clear();
  }
}
