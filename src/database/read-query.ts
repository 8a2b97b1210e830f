import { DataSource } from 'typeorm';
import { isDatabaseUnavailableError } from './database-errors';

/** True when the DataSource was configured with read replicas (DATABASE_REPLICA_URLS). */
export function hasReplicas(db: DataSource): boolean {
  return Boolean((db.options as { replication?: unknown }).replication);
}

async function runOn<T>(db: DataSource, mode: 'master' | 'slave', sql: string, parameters?: unknown[]): Promise<T> {
  const runner = db.createQueryRunner(mode);
  try {
    return await runner.query(sql, parameters);
  } finally {
    await runner.release();
  }
}

/**
 * A read-only SQL query, answered by a read replica when replicas are configured.
 *
 * `DataSource.query()` always runs on the primary (TypeORM's `master`), even with replication set up;
 * GraphQL lookups use this instead so N API instances spread their reads over the replicas and leave
 * the primary to imports. A replica that cannot be reached is skipped: the query is retried on the
 * primary. Never use it for writes, or for reads that must see a write made just before (replicas lag
 * slightly behind the primary).
 */
export async function readQuery<T = any>(db: DataSource, sql: string, parameters?: unknown[]): Promise<T> {
  if (!hasReplicas(db)) return db.query(sql, parameters);
  try {
    return await runOn<T>(db, 'slave', sql, parameters);
  } catch (error) {
    if (!isDatabaseUnavailableError(error)) throw error;
    return runOn<T>(db, 'master', sql, parameters);
  }
}
