/**
 * `npm test` never touches a database it did not create: given a server (TEST_DATABASE_URL), it works in a
 * fresh database of its own and drops only that one; a developer's DATABASE_URL is never used.
 */
import { Client } from 'pg';
import globalSetup from '../global-setup';
import globalTeardown from '../global-teardown';
import { testDatabaseUrl } from '../helpers/test-app';

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function query<T = any>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the test database', () => {
  const runUrl = testDatabaseUrl();
  const developerDb = `developer_data_${process.pid}`;
  const developerUrl = withDatabase(runUrl, developerDb);
  const saved = { env: { ...process.env }, handle: (globalThis as any).__TEST_DATABASE__, created: (globalThis as any).__TEST_CREATED_DATABASE__ };

  beforeAll(async () => {
    await query(runUrl, `DROP DATABASE IF EXISTS ${developerDb}`);
    await query(runUrl, `CREATE DATABASE ${developerDb}`);
    await query(developerUrl, `CREATE TABLE public.keep_me (id int); INSERT INTO public.keep_me VALUES (42)`);
  });

  afterAll(async () => {
    process.env = saved.env;
    (globalThis as any).__TEST_DATABASE__ = saved.handle;
    (globalThis as any).__TEST_CREATED_DATABASE__ = saved.created;
    await query(runUrl, `DROP DATABASE IF EXISTS ${developerDb} WITH (FORCE)`);
  });

  it('setup and teardown on a named server leave that database as it was, and use a database of their own', async () => {
    process.env.DATABASE_URL = developerUrl;
    process.env.TEST_DATABASE_URL = developerUrl;
    (globalThis as any).__TEST_DATABASE__ = undefined;

    await globalSetup();
    const used = new URL(process.env.TEST_DATABASE_URL!).pathname.slice(1);
    expect(used).toMatch(/^coverage_test_[0-9a-f]+$/);
    expect(process.env.DATABASE_URL).toBeUndefined();
    const migrated = await query(process.env.TEST_DATABASE_URL!, `SELECT count(*)::int AS n FROM schema_migrations`);
    expect(migrated[0].n).toBeGreaterThan(0);
    await globalTeardown();

    expect(await query(developerUrl, `SELECT id FROM public.keep_me`)).toEqual([{ id: 42 }]);
    expect(await query(runUrl, `SELECT datname FROM pg_database WHERE datname = '${used}'`)).toEqual([]);
  });
});
