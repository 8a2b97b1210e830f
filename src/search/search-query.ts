import { DataSource, QueryRunner } from 'typeorm';
import { isDatabaseUnavailableError } from '../database/database-errors';
import { planForOwnValues } from '../database/plan-cache';
import { hasReplicas } from '../database/read-query';

export interface SearchQueryOptions {
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
}

/** Research queries: enough memory to count a few plans' networks (700k memberships) without spilling. */
export const RESEARCH_QUERY: SearchQueryOptions = { workMem: '64MB' };

/**
 * Applies the options as transaction-local settings (the runner must be in a transaction), and a plan made
 * for this statement's own values: pooled sessions default to generic plans, right for readQuery's lookups
 * (see src/database/plan-cache.ts), wrong for a trigram search or a research aggregate.
 */
export async function applySearchSettings(runner: QueryRunner, options: SearchQueryOptions): Promise<void> {
  await planForOwnValues(runner);
  if (options.wordSimilarityThreshold != null) {
    await runner.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(options.wordSimilarityThreshold)]);
  }
  if (options.workMem != null) await runner.query(`SELECT set_config('work_mem', $1, true)`, [options.workMem]);
}

async function runOn<T>(db: DataSource, mode: 'master' | 'slave', sql: string, params: unknown[], options: SearchQueryOptions): Promise<T> {
  const runner: QueryRunner = db.createQueryRunner(mode);
  try {
    await runner.startTransaction();
    try {
      await applySearchSettings(runner, options);
      const rows = await runner.query(sql, params);
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

/**
 * A read-only search or research query, on a read replica when there are any (falling back to the primary,
 * as readQuery does), run as an unnamed statement in a short transaction. Unlike readQuery's prepared
 * statements, the SQL here is assembled per request and its best plan depends on the values (trigram
 * selectivity, the earth box, a state's size), so each execution gets a plan made for its own parameters
 * (force_custom_plan, transaction-local: pooled sessions default to generic plans).
 */
export async function searchQuery<T = any>(db: DataSource, sql: string, params: unknown[], options: SearchQueryOptions = {}): Promise<T> {
  if (!hasReplicas(db)) return runOn<T>(db, 'master', sql, params, options);
  try {
    return await runOn<T>(db, 'slave', sql, params, options);
  } catch (error) {
    if (!isDatabaseUnavailableError(error)) throw error;
    return runOn<T>(db, 'master', sql, params, options);
  }
}
