/**
 * The real entry point (src/main.ts, which `npm start` runs with demo seeding): one-line errors at start, and a graceful
 * stop on SIGTERM/SIGINT that lets an in-flight request finish and stops the embedded PostgreSQL.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePort } from '../../src/database/embedded-postgres';

const ROOT = resolve(__dirname, '../..');

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function startMain(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', DATABASE_REPLICA_URLS: '', NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: Run = { child, stdout: '', stderr: '', exit: new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code))) };
  child.stdout!.on('data', (chunk) => (run.stdout += chunk));
  child.stderr!.on('data', (chunk) => (run.stderr += chunk));
  return run;
}

async function waitFor(run: Run, pattern: RegExp, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!pattern.test(run.stdout)) {
    if (run.child.exitCode !== null) throw new Error(`main exited (${run.child.exitCode}) before ${pattern}: ${run.stderr}\n${run.stdout}`);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern}: ${run.stdout}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('start-up errors are one clear line and exit 1', () => {
  it.each([
    [
      { DATABASE_URL: 'mysql://root@localhost/coverage' },
      /^Configuration error: DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/ \(got mysql:\/\/\)$/,
    ],
    [{ PORT: 'eighty' }, /^Configuration error: PORT=eighty is invalid: expected a whole number from 0 to 65535$/],
    [{ RATE_LIMIT_PER_MINUTE: '-5' }, /^Configuration error: RATE_LIMIT_PER_MINUTE=-5 is invalid: expected a whole number from 0 to 100000000$/],
  ])('%j', async (env, message) => {
    const run = startMain(env as Record<string, string>);
    expect(await run.exit).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('an unreachable database: one line naming it (password masked), exit 1', async () => {
    const port = await findFreePort();
    const run = startMain({ DATABASE_URL: `postgres://app:s3cretPassw0rd@127.0.0.1:${port}/coverage` });
    expect(await run.exit).toBe(1);
    expect(run.stderr.trim()).toBe(`Cannot connect to PostgreSQL at postgres://app:***@127.0.0.1:${port}/coverage: ECONNREFUSED`);
    expect(run.stdout + run.stderr).not.toContain('s3cretPassw0rd');
  });
});

describe('graceful shutdown of `npm start` (embedded PostgreSQL)', () => {
  const root = mkdtempSync(join(tmpdir(), 'hardening-main-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function startServing(name: string): Promise<{ run: Run; port: number; dataDir: string }> {
    const port = await findFreePort();
    const dataDir = join(root, name);
    const run = startMain({ PORT: String(port), EMBEDDED_PG_DIR: dataDir, SEED_PROVIDERS: '0', SHUTDOWN_GRACE_MS: '10000' });
    await waitFor(run, /GraphQL API at http:\/\/localhost:\d+\/graphql/, 90_000);
    return { run, port, dataDir };
  }

  it('SIGTERM: an in-flight request completes, new connections are refused, PostgreSQL stops, exit 0', async () => {
    const { run, port, dataDir } = await startServing('term');
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true);

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify({ query: '{ networkCoverage(npis: ["1234567893"], planIds: ["99999ZZ9999999"]) { status reason } }' });
    const socket: Socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (chunk) => (response += chunk));
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(`POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 20));
    await new Promise((r) => setTimeout(r, 200));

    run.child.kill('SIGTERM');
    await waitFor(run, /SIGTERM received: finishing in-flight requests/, 10_000);
    await new Promise((r) => setTimeout(r, 300));

    // The listener is closed: a new client cannot get in.
    const refused = await new Promise<boolean>((r) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('error', () => r(true));
      probe.once('connect', () => {
        probe.destroy();
        r(false);
      });
    });
    expect(refused).toBe(true);

    socket.write(body.slice(20));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain('"reason":"PLAN_NOT_LOADED"');

    expect(await run.exit).toBe(0);
    expect(run.stdout).toMatch(/"msg":"stopped"/);
    expect(run.stderr).toBe('');
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  });

  it('SIGINT (Ctrl-C): stops cleanly and the data survives a restart', async () => {
    const first = await startServing('int');
    first.run.child.kill('SIGINT');
    expect(await first.run.exit).toBe(0);
    expect(existsSync(join(first.dataDir, 'postmaster.pid'))).toBe(false);

    // Same data directory again: PostgreSQL was shut down cleanly, so it starts without recovery.
    const second = await startServing('int');
    const res = await fetch(`http://127.0.0.1:${second.port}/ready`);
    expect(res.status).toBe(200);
    second.run.child.kill('SIGTERM');
    expect(await second.run.exit).toBe(0);
  });
});
