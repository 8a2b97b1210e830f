import { DataSource, QueryRunner } from 'typeorm';
import { isDatabaseUnavailableError } from '../database/database-errors';
import { hasReplicas } from '../database/read-query';

async function inTransactionOn<T>(db: DataSource, mode: 'master' | 'slave', threshold: number, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner(mode);
  try {
    await runner.startTransaction();
    try {
      await runner.query(`SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)`, [String(threshold)]);
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}

/**
 * Runs read-only `work` in a transaction whose pg_trgm word-similarity threshold is `threshold`.
 * The `<%` operator (the one the GIN trigram indexes serve) compares against this setting rather than an
 * argument, and the default 0.6 rejects ordinary typos ("jonh smth" scores about 0.31 against "John Smith").
 * set_config(..., true) is transaction-local, so pooled connections are left as they were.
 * Like readQuery, it reads from a replica when there are any, and falls back to the primary.
 */
export async function withWordSimilarityThreshold<T>(db: DataSource, threshold: number, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  if (!hasReplicas(db)) return inTransactionOn(db, 'master', threshold, work);
  try {
    return await inTransactionOn(db, 'slave', threshold, work);
  } catch (error) {
    if (!isDatabaseUnavailableError(error)) throw error;
    return inTransactionOn(db, 'master', threshold, work);
  }
}
