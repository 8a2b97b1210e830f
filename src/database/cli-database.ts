import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadCliConfig } from '../config/app-config';
import { buildDataSourceOptions, DatabaseSettings, runMigrations } from './data-source-options';
import { Database } from './database';
import { startEmbeddedPostgres } from './embedded-postgres';

/** The database a command-line tool works on, and how to let go of it. */
export interface CliDatabase {
  url: string;
  /** How the database was found, for one log line: "DATABASE_URL", "running embedded server", ... */
  origin: string;
  dataSource: DataSource;
  /** The handle over `dataSource` (see Database). */
  database: Database;
  close(): Promise<void>;
}

export interface CliDatabaseOptions {
  /** Where `npm start` keeps its embedded cluster (EMBEDDED_PG_DIR, default .data/pg). */
  dataDir?: string;
  /** Apply pending migrations first, as `npm start` does (default true). */
  migrate?: boolean;
  /** Connections of the DataSource (default 4: queries; an import COPYs through more at once). */
  poolSize?: number;
  log?: (line: string) => void;
  /** Entities the command's repositories use (the application registers its own per feature module). */
  entities?: DatabaseSettings['entities'];
}

/**
 * The port of the PostgreSQL already serving `dataDir`, read from postmaster.pid (line 1 is the pid,
 * line 4 the port), or null when no live server owns the directory.
 */
export function runningEmbeddedPort(dataDir: string): number | null {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; anything else: a stale pid file.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return port;
}

async function accepts(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Connects a CLI to the same database the app uses: DATABASE_URL when set; otherwise the embedded
 * cluster in .data/pg, reusing the server of a running app (two servers cannot share one data
 * directory) or starting one for the duration of the command.
 */
export async function openCliDatabase(options: CliDatabaseOptions = {}): Promise<CliDatabase> {
  const config = loadCliConfig();
  const dataDir = options.dataDir ?? config.embeddedDataDir;
  const log = options.log ?? (() => undefined);
  let url: string;
  let origin: string;
  let stopServer = async (): Promise<void> => undefined;

  const runningPort = config.databaseUrl ? null : runningEmbeddedPort(dataDir);
  if (config.databaseUrl) {
    url = config.databaseUrl;
    origin = 'DATABASE_URL';
  } else if (runningPort !== null && (await accepts(`postgres://postgres@127.0.0.1:${runningPort}/postgres`))) {
    url = `postgres://postgres@127.0.0.1:${runningPort}/postgres`;
    origin = `embedded PostgreSQL already running on port ${runningPort}`;
  } else {
    const server = await startEmbeddedPostgres({ dataDir, persistent: true, log });
    url = server.url;
    origin = `embedded PostgreSQL started from ${resolve(dataDir)}`;
    stopServer = () => server.stop();
  }

  try {
    if (options.migrate !== false) await runMigrations(url, log);
    const dataSource = new DataSource(buildDataSourceOptions({ url, poolSize: options.poolSize ?? 4, entities: options.entities }));
    await dataSource.initialize();
    return {
      url,
      origin,
      dataSource,
      database: new Database(dataSource),
      close: async () => {
        await dataSource.destroy().catch(() => undefined);
        await stopServer();
      },
    };
  } catch (error) {
    await stopServer();
    throw error;
  }
}

/** Runs `work` against the CLI database, always releasing connections and any server it started. */
export async function withCliDatabase<T>(work: (db: CliDatabase) => Promise<T>, options?: CliDatabaseOptions): Promise<T> {
  const db = await openCliDatabase(options);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
