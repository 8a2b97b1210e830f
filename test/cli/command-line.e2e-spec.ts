/**
 * The command-line tools, run as an operator runs them (a child process): each answers --help without
 * touching a database, takes `--flag value` and `--flag=value` alike, names a missing file, and
 * `api-key create` refuses an issuer that does not exist unless told otherwise.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { testDatabaseUrl } from '../helpers/test-app';

const ROOT = join(__dirname, '../..');
/** Nothing listens here: a tool that tries to reach the database fails loudly instead of finding one. */
const NO_DATABASE = 'postgres://nobody@127.0.0.1:9/nothing';

const CLIS = {
  import: 'src/ingest/cli/import-cli.ts',
  apiKey: 'src/auth/cli/api-key-cli.ts',
  migrate: 'src/database/cli/migrate.ts',
  loadReference: 'src/pricing/cli/load-reference-cli.ts',
  seed: 'seeds/run-seed.ts',
  rollback: 'src/ingest/cli/rollback-cli.ts',
  fetch: 'src/feeds/cli/fetch-cli.ts',
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], databaseUrl = NO_DATABASE): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', script, ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, EMBEDDED_PG_DIR: join(tmpdir(), 'no-embedded-here') }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('command-line tools', () => {
  it('every tool answers --help with its usage and exit code 0, without a database', async () => {
    const runs = await Promise.all(Object.values(CLIS).map((script) => run(script, ['--help'])));
    for (const [i, result] of runs.entries()) {
      const name = Object.keys(CLIS)[i];
      expect({ name, code: result.code, stderr: result.stderr }).toEqual({ name, code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Usage: npm run /);
    }
  });

  it('migration:run --help does not run migrations', async () => {
    const admin = testDatabaseUrl();
    const name = `cli_help_${process.pid}`;
    await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name}`).then(() => c.query(`CREATE DATABASE ${name}`)));
    const url = new URL(admin);
    url.pathname = `/${name}`;
    try {
      const result = await run(CLIS.migrate, ['--help'], url.toString());
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: npm run migration:run');
      const tables = await withClient(url.toString(), (c) => c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`));
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
    }
  });

  it('the import names a missing file before reaching any database', async () => {
    const result = await run(CLIS.import, ['no-such-dir/plans.json', '--issuer=10001']);
    expect(result.stderr.trim()).toBe('file not found: no-such-dir/plans.json');
    expect(result.code).toBe(1);
  });

  it('load-reference takes --flag=value and names a missing file', async () => {
    const result = await run(CLIS.loadReference, ['--crosswalk=missing-crosswalk.csv']);
    expect(result.stderr.trim()).toBe('file not found: missing-crosswalk.csv');
    expect(result.code).toBe(1);
  });

  it('seed takes --flag=value and --flag value alike', async () => {
    const out = mkdtempSync(join(tmpdir(), 'seed-out-'));
    const result = await run(CLIS.seed, ['--providers=7', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(out).length).toBeGreaterThan(0);
  });

  it('an unknown option is a usage error naming it', async () => {
    const result = await run(CLIS.apiKey, ['list', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^unknown option --bogus\n\nUsage: npm run api-key/);
  });

  describe('api-key create against the test database', () => {
    it('refuses an issuer that does not exist, unless --allow-unknown-issuer', async () => {
      const refused = await run(CLIS.apiKey, ['create', '--issuer=99997', '--label=Nobody'], testDatabaseUrl());
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'Error: issuer 99997 does not exist (nothing was ever loaded for it): check the id, or pass --allow-unknown-issuer to create the key anyway',
      );
      expect(refused.stdout).not.toContain('cov_');

      const allowed = await run(CLIS.apiKey, ['create', '--issuer=99997', '--label', 'Before first load', '--allow-unknown-issuer'], testDatabaseUrl());
      expect(allowed.stderr).not.toContain('Error');
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toContain(`"Before first load"  issuers 99997  active`);
      expect(allowed.stdout).toMatch(/cov_[A-Za-z0-9_-]{43}/);
    });
  });
});
