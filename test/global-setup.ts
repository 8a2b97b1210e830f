import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../src/database/data-source-options';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

/**
 * One PostgreSQL for the whole run: a throwaway embedded cluster by default, or the server in
 * DATABASE_URL, whose public schema is dropped and rebuilt from the migrations.
 */
export default async function globalSetup(): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (url) {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
    await client.end();
  } else {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'coverage-test-pg-')), 'pg');
    const database = await startEmbeddedPostgres({ dataDir, persistent: false, durable: false });
    (globalThis as any).__TEST_DATABASE__ = database;
    url = database.url;
  }
  process.env.TEST_DATABASE_URL = url;
  // The key sealing reporters' contact emails (required when a test starts the API with NODE_ENV=production).
  process.env.PERSONAL_DATA_KEY ??= randomBytes(32).toString('base64');
  await runMigrations(url);
}
