import { types } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { POOLED_PLAN_CACHE_MODE } from './plan-cache';

// numeric and bigint arrive as strings by default; our values (dollars, rates, version ids) fit in doubles.
types.setTypeParser(types.builtins.NUMERIC, (value) => parseFloat(value));
types.setTypeParser(types.builtins.INT8, (value) => parseInt(value, 10));
// A plain DATE is a calendar day, not an instant: keep 'YYYY-MM-DD' instead of a time-zone-shifted Date.
types.setTypeParser(types.builtins.DATE, (value) => value);

export interface DatabaseSettings {
  url: string;
  /** Connection pool size per instance (and per replica). */
  poolSize?: number;
  /**
   * Read replicas. With replicas, TypeORM keeps one pool per server: `Database.read()` and `Database.search()`
   * go to a replica; writes, transactions, migrations, repositories and plain `DataSource.query()` to `url`.
   */
  replicaUrls?: string[];
  /** Longest a search or research statement may run, in ms (0 or unset: no limit); see Database.search. */
  statementTimeoutMs?: number;
  /** Search and research statements at once per pool; unset: derived from poolSize (see Database). */
  searchConcurrency?: number | null;
  /** Entities for repositories used outside Nest (a command-line tool's). */
  entities?: DataSourceOptions['entities'];
}

export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const replicas = settings.replicaUrls ?? [];
  return {
    type: 'postgres',
    ...(replicas.length
      ? {
          // Repositories serve the small write-side tables (API keys, import jobs, reports...), whose reads
          // must see the write made just before: on the primary. Lookups choose replicas through Database.
          replication: { master: { url: settings.url }, slaves: replicas.map((url) => ({ url })), defaultMode: 'master' as const },
        }
      : { url: settings.url }),
    // Entities come from the feature modules that use them (TypeOrmModule.forFeature, autoLoadEntities);
    // a plain DataSource (command-line tools) lists the few its repositories need.
    entities: settings.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // Schema changes only ever come from migrations/.
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: settings.poolSize ?? 20,
      connectionTimeoutMillis: 5_000,
      application_name: 'coverage-api',
      // Generic plans for prepared lookups (see plan-cache.ts).
      options: `-c plan_cache_mode=${POOLED_PLAN_CACHE_MODE}`,
    },
  };
}

/** Applies pending migrations with a short-lived connection, one transaction each. */
export async function runMigrations(url: string, log: (line: string) => void = () => undefined): Promise<void> {
  const dataSource = new DataSource({ ...buildDataSourceOptions({ url, poolSize: 2 }), migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations();
    for (const migration of applied) log(`applied migration ${migration.name}`);
  } finally {
    await dataSource.destroy();
  }
}
