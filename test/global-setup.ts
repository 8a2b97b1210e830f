import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

/** The database a URL names, replaced by `name`. */
function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A client on the server of `url`: its own database, or `postgres` when that one does not exist. */
async function connectToServer(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code !== '3D000') throw error;
    const fallback = new Client({ connectionString: withDatabase(url, 'postgres') });
    await fallback.connect();
    return fallback;
  }
}

/**
 * One PostgreSQL for the whole run. With TEST_DATABASE_URL, a server to use: the run creates a database of
 * its own there (coverage_test_<random>) and global teardown drops it; the database the URL names is only
 * connected to, never changed. Without it, a throwaway embedded cluster. DATABASE_URL is never used: a
 * developer's exported one (and its replicas) must not reach the tests or the processes they start.
 */
export default async function globalSetup(): Promise<void> {
  const server = process.env.TEST_DATABASE_URL;
  delete process.env.DATABASE_URL;
  delete process.env.DATABASE_REPLICA_URLS;
  let url: string;
  if (server) {
    const name = `coverage_test_${randomBytes(6).toString('hex')}`;
    const client = await connectToServer(server);
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    (globalThis as any).__TEST_CREATED_DATABASE__ = { server, name };
    url = withDatabase(server, name);
  } else {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'coverage-test-pg-')), 'pg');
    const database = await startEmbeddedPostgres({ dataDir, persistent: false, durable: false });
    (globalThis as any).__TEST_DATABASE__ = database;
    url = database.url;
  }
  // From here on TEST_DATABASE_URL names the run's own database (tests read it through testDatabaseUrl()).
  process.env.TEST_DATABASE_URL = url;
  // The key sealing reporters' contact emails (required when a test starts the API with NODE_ENV=production).
  process.env.PERSONAL_DATA_KEY ??= randomBytes(32).toString('base64');
  await runMigrations(url);
}

/** Drops the database globalSetup created on a TEST_DATABASE_URL server (and nothing else). */
export async function dropCreatedDatabase(): Promise<void> {
  const created = (globalThis as any).__TEST_CREATED_DATABASE__ as { server: string; name: string } | undefined;
  if (!created) return;
  (globalThis as any).__TEST_CREATED_DATABASE__ = undefined;
  const client = await connectToServer(created.server);
  try {
    // FORCE: a pool a failed test left open must not keep the database alive.
    await client.query(`DROP DATABASE IF EXISTS ${created.name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
