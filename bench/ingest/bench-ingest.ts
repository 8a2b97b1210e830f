import { fork } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, runMigrations } from '../../src/database/data-source-options';
import { Database } from '../../src/database/database';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { COPY_PLAN, startCopy } from '../../src/ingest/store/copy-writer';
import { ImportProgress } from '../../src/ingest/import-contract';
import { defaultParseWorkers } from '../../src/ingest/render/provider-worker-pool';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { createVersionTables, dropVersionTables, indexAndAttachVersionTables, versionTableName } from '../../src/ingest/store/version-partitions';
import { PARTITIONED_TABLES, PLAN_TABLES, TableLayout } from '../../src/qhp/version-tables';
import { threadCpuSeconds, treeCpuSeconds } from '../lib/proc-cpu';
import { BenchData, writeBenchData } from './qhp-bench-data';
import { describeServing, FetchMeasurement, measureFetch, ServerReport, serveIndexOverHttp } from './bench-over-http';
import { StorageService } from '../../src/datasets/storage.service';
import { PRODUCTION_NODE_FLAGS } from '../lib/production-node-flags';

/**
 * Ingest benchmark: generates an issuer's QHP files, imports them with QhpImporter (in a fresh child
 * process, so its peak RSS is the import's alone), then, as the raw-COPY baseline, does the minimum
 * PostgreSQL work for the same end state: COPYs the very same rows (pre-rendered) into fresh version
 * tables (empty copies of the plan tables for those), builds the same indexes and attaches the partitions.
 *
 *   npm run bench:ingest -- [--providers 1000000] [--plans 30] [--networks 3] [--drugs 5000] [--pretty]
 *                           [--workers N[,M...]] [--keep] [--data-dir DIR] [--over-http] [--http-rounds N] [--profile DIR]
 * --networks N: the dense shape carriers publish (the plans sold on N networks, each provider listing
 * every plan of each network it joins; `--plans 40 --networks 3`); without it, each provider lists 3 plans.
 * --workers: the importer's parse worker threads (default: its own choice, one per core but one; 0 = none);
 * a list (--workers 0,2) imports once per setting, each into a fresh state, all against one baseline.
 * --data-dir: generate the files into DIR and keep them; a later run with the same options and the same
 * generating code (GENERATOR_SOURCES) reuses them instead of generating again (slow at 1M providers).
 * --over-http: also serves the files over loopback HTTP and loads them through the feed fetch path
 * (bench-over-http.ts), with its time and peak RSS against the first import from disk of the same run.
 * --http-rounds N: N such pairs (from disk, then over HTTP) in turn, and the median of their ratios.
 * --profile DIR: the import process runs with node --cpu-prof, writing a CPU profile of each of its
 * threads (the importing thread and the parse workers) into DIR; with --over-http, the fetching process too.
 * Uses DATABASE_URL when set, else a throwaway embedded PostgreSQL (fsync off).
 */

const ISSUER_ID = '70001';
const BASELINE_SCHEMA = 'bench_raw';
/** Connections of the importer's pool, and of the baseline's: both then use the same copy plan. */
const POOL_SIZE = 8;

interface Options {
  providers: number;
  plans: number;
  /** 0: sparse (3 plans per provider); N: dense, N networks (qhp-bench-data.ts). */
  networks: number;
  drugs: number;
  pretty: boolean;
  /** One import per setting; undefined: the importer's default. */
  workers: Array<number | undefined>;
  keep: boolean;
  dataDir: string | undefined;
  overHttp: boolean;
  /** Pairs of loads (from disk, then over HTTP) to run; the first pair's load from disk is the first import. */
  httpRounds: number;
  profileDir: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const count = (name: string, fallback: number): number => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw.replace(/[_,]/g, ''));
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive whole number (got ${raw})`);
    return parsed;
  };
  return {
    providers: count('--providers', 1_000_000),
    plans: count('--plans', 30),
    networks: value('--networks') === undefined ? 0 : count('--networks', 0),
    drugs: count('--drugs', 5_000),
    pretty: argv.includes('--pretty'),
    workers: value('--workers')
      ?.split(',')
      .map((n) => {
        if (!/^\d+$/.test(n)) throw new Error(`--workers takes whole numbers (got ${n})`);
        return Number(n);
      }) ?? [undefined],
    keep: argv.includes('--keep'),
    dataDir: value('--data-dir'),
    overHttp: argv.includes('--over-http') || value('--http-rounds') !== undefined,
    httpRounds: count('--http-rounds', 1),
    profileDir: value('--profile'),
  };
}

/** Peak resident memory of this process: sampled every 100 ms, and the kernel's high-water mark (VmHWM). */
class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.sample(), 100);
    this.sample();
  }

  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }

  stop(): { sampledMb: number; vmHwmMb: number | null } {
    clearInterval(this.timer);
    this.sample();
    const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    return { sampledMb: Math.round(this.peak / 1024 / 1024), vmHwmMb: hwm ? Math.round(Number(hwm[1]) / 1024) : null };
  }
}

/** CPU seconds used so far by the embedded server (postmaster and backends), from /proc; null elsewhere. */
function postgresCpuSeconds(dataDir: string | null): number | null {
  const pidFile = dataDir ? join(dataDir, 'postmaster.pid') : '';
  if (!dataDir || !existsSync(pidFile)) return null;
  return treeCpuSeconds(Number(readFileSync(pidFile, 'utf8').split('\n')[0].trim()));
}

interface ImportMeasurement {
  seconds: number;
  cpuSeconds: number;
  /** Of cpuSeconds, the main thread's (reading, splitting, hashing, COPY); null when unknown. */
  mainThreadCpuSeconds: number | null;
  counts: Record<string, number>;
  rejectedByReason: Record<string, number>;
  phases: string;
  /** From the start until indexing began: reading every file and copying its rows (null when not seen). */
  readingSeconds: number | null;
  peak: { sampledMb: number; vmHwmMb: number | null };
}

/** Child process side: one import, measured. */
async function measureImport(databaseUrl: string, dataDir: string | null, indexPath: string, parseWorkers: number | undefined): Promise<ImportMeasurement> {
  const memory = new RssSampler();
  const db = new DataSource(buildDataSourceOptions({ url: databaseUrl, poolSize: POOL_SIZE }));
  await db.initialize();
  try {
    const clock = phaseClock(dataDir);
    const cpuBefore = process.cpuUsage();
    const mainCpuBefore = threadCpuSeconds(process.pid);
    const started = process.hrtime.bigint();
    const result = await new QhpImporter(db).import({
      issuerId: ISSUER_ID,
      issuerName: 'Bench issuer',
      paths: [indexPath],
      source: 'bench',
      loadedBy: 'bench-ingest',
      parseWorkers,
      onProgress: clock.onProgress,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const mainCpuAfter = threadCpuSeconds(process.pid);
    return {
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      mainThreadCpuSeconds: mainCpuBefore === null || mainCpuAfter === null ? null : mainCpuAfter - mainCpuBefore,
      counts: result.counts,
      rejectedByReason: result.report.rejectedByReason,
      phases: clock.phases(),
      readingSeconds: clock.secondsUntil('indexing'),
      peak: memory.stop(),
    };
  } finally {
    await db.destroy();
  }
}

/** Runs measureImport in a fresh Node process and returns what it measured. */
function importInChildProcess(database: BenchDatabase, indexPath: string, workers: number | undefined, profileDir?: string): Promise<ImportMeasurement> {
  return new Promise((resolve, reject) => {
    const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
    const child = fork(__filename, ['--child-import', database.url, database.dataDir ?? '', indexPath, workers === undefined ? 'default' : String(workers)], {
      // As the API runs import jobs (the flags of start:prod).
      execArgv: [...PRODUCTION_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', ...profile],
    });
    let measurement: ImportMeasurement | null = null;
    child.on('message', (message) => {
      measurement = message as ImportMeasurement;
    });
    child.on('error', reject);
    child.on('exit', (code) => (measurement ? resolve(measurement) : reject(new Error(`the import process exited with code ${code}`))));
  });
}

interface BenchDatabase {
  url: string;
  /** The embedded server's data directory (for CPU accounting); null with DATABASE_URL. */
  dataDir: string | null;
  stop(): Promise<void>;
}

async function startDatabase(): Promise<BenchDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, dataDir: null, stop: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-pg-'));
  const dataDir = join(dir, 'pg');
  const server = await startEmbeddedPostgres({ dataDir, persistent: false, durable: false });
  return {
    url: server.url,
    dataDir,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** WAL written per provider by a load (its rows and index builds), roughly. */
const WAL_BYTES_PER_PROVIDER = 1600;

/**
 * Writes about a load's worth of WAL once, then checkpoints: every measured load then reuses WAL files
 * the way a running server does. On a fresh cluster the first load alone created them, and PostgreSQL
 * spent clearly more CPU reading the first import of a run than later ones.
 */
async function warmUpWal(db: DataSource, providers: number): Promise<void> {
  const rows = Math.round(Math.min(providers * WAL_BYTES_PER_PROVIDER, 3.5 * 1024 ** 3) / 250);
  await db.query(`CREATE TABLE bench_wal_warmup AS SELECT g, repeat('x', 200) AS filler FROM generate_series(1, ${rows}) g`);
  await db.query('DROP TABLE bench_wal_warmup');
  await db.query('CHECKPOINT');
}

/**
 * The baseline's version (status 'failed', never read) and empty copies of the plan tables (same columns,
 * checks, indexes and version foreign key); the partitioned tables get fresh version tables in rawCopy.
 */
async function createBaselineTables(db: DataSource): Promise<number> {
  await db.query(`DROP SCHEMA IF EXISTS ${BASELINE_SCHEMA} CASCADE`);
  await db.query(`CREATE SCHEMA ${BASELINE_SCHEMA}`);
  for (const { table } of PLAN_TABLES) {
    await db.query(`CREATE TABLE ${BASELINE_SCHEMA}.${table} (LIKE public.${table} INCLUDING ALL)`);
    await db.query(`ALTER TABLE ${BASELINE_SCHEMA}.${table} ADD FOREIGN KEY (version_id) REFERENCES public.dataset_version(id) ON DELETE CASCADE`);
  }
  await db.query(`INSERT INTO issuer (issuer_id, name) VALUES ($1, 'Bench issuer') ON CONFLICT DO NOTHING`, [ISSUER_ID]);
  const [row] = await db.query(`INSERT INTO dataset_version (issuer_id, status, source, loaded_by) VALUES ($1, 'failed', 'bench', 'baseline') RETURNING id`, [
    ISSUER_ID,
  ]);
  return Number(row.id);
}

/** COPYs one pre-rendered file into `table`; a version table as the importer loads it (fresh: truncated in the COPY's transaction, frozen). */
async function copyFile(pool: Pool, path: string, layout: TableLayout, freshTable: boolean): Promise<void> {
  const client = await pool.connect();
  let healthy = false;
  try {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), await startCopy(client, layout, freshTable));
    if (freshTable) await client.query('COMMIT');
    healthy = true;
  } finally {
    client.release(!healthy);
  }
}

/**
 * The minimum PostgreSQL work for the import's end state: fresh version tables, the pre-rendered files
 * COPYed with the importer's copy plan (phase by phase, the tables of a phase in parallel), the same
 * index builds and ATTACH PARTITION.
 */
async function rawCopy(
  pool: Pool,
  poolSize: number,
  data: BenchData,
  versionId: number,
  dataDir: string | null,
): Promise<{ seconds: number; copySeconds: number; copyPgCpu: number | null; statements: Array<{ sql: string; seconds: number }> }> {
  const partitioned = new Set<string>(PARTITIONED_TABLES);
  const started = process.hrtime.bigint();
  await createVersionTables(pool, versionId);
  for (const phase of [COPY_PLAN.plans, COPY_PLAN.providers, COPY_PLAN.drugs]) {
    await Promise.all(
      phase.map(({ layout }) => {
        const file = data.baselineFiles.find((f) => f.table === layout.table)!;
        const versioned = partitioned.has(layout.table);
        const target = versioned ? versionTableName(layout.table, versionId) : `${BASELINE_SCHEMA}.${layout.table}`;
        return copyFile(pool, file.path, { table: target, columns: layout.columns }, versioned);
      }),
    );
  }
  const copied = process.hrtime.bigint();
  const copyPgCpu = postgresCpuSeconds(dataDir);
  const statements: Array<{ sql: string; seconds: number }> = [];
  await indexAndAttachVersionTables(pool, poolSize - 1, versionId, (sql, seconds) => statements.push({ sql, seconds }));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, copySeconds: Number(copied - started) / 1e9, copyPgCpu, statements };
}

/** Removes what the imports loaded (versions and their tables), so the next import starts from the same state. */
async function removeImportedVersions(db: DataSource): Promise<void> {
  const versions: Array<{ id: string }> = await db.query(`SELECT id FROM dataset_version WHERE issuer_id = $1 AND loaded_by <> 'baseline'`, [ISSUER_ID]);
  await db.query(`UPDATE issuer SET current_version_id = NULL WHERE issuer_id = $1`, [ISSUER_ID]);
  await dropVersionTables(
    db,
    versions.map((v) => Number(v.id)),
  );
  await db.query(`DELETE FROM dataset_version WHERE id = ANY($1)`, [versions.map((v) => Number(v.id))]);
}

/** When each phase started, with PostgreSQL's CPU used by then (embedded server only). */
function phaseClock(dataDir: string | null): { onProgress: (p: ImportProgress) => void; phases: () => string; secondsUntil: (phase: string) => number | null } {
  const started = Date.now();
  const pgCpuAtStart = postgresCpuSeconds(dataDir);
  const firstSeen = new Map<string, string>();
  const firstSeenSeconds = new Map<string, number>();
  return {
    onProgress: (progress) => {
      const key = progress.phase === 'reading' ? `reading ${progress.file}` : progress.phase;
      if (firstSeen.has(key)) return;
      const pgCpu = postgresCpuSeconds(dataDir);
      const cpu = pgCpu === null || pgCpuAtStart === null ? '' : ` (PostgreSQL CPU ${(pgCpu - pgCpuAtStart).toFixed(1)} s)`;
      const seconds = (Date.now() - started) / 1000;
      firstSeenSeconds.set(key, seconds);
      firstSeen.set(key, `@${seconds.toFixed(1)}s${cpu}`);
    },
    phases: () => [...firstSeen].map(([phase, at]) => `${phase} ${at}`).join(', '),
    secondsUntil: (phase) => firstSeenSeconds.get(phase) ?? null,
  };
}

/**
 * The ingest modules the generator validates and renders with (qhp-bench-data.ts and what it imports from
 * src/ingest, transitively), and the seeds' NPI and random number modules: a change to any other module,
 * the importer's own, keeps the files reusable.
 */
const GENERATOR_SOURCES = [
  'qhp-bench-data.ts',
  '../../seeds/lib/npi.ts',
  '../../seeds/lib/prng.ts',
  ...[
    'render/table-rows',
    'render/network-sets',
    'render/copy-text',
    '../qhp/version-tables',
    '../qhp/vocabulary',
    'validate/qhp-records',
    'validate/qhp-validator',
    'validate/field-rules',
    'validate/reasons',
    'validate/validation-report',
    'import-contract',
    'validate/zip-geocoder',
  ].map((module) => `../../src/ingest/${module}.ts`),
];

/** Whatever decides the generated files: the options, the baseline's version and the code that writes and renders them. */
function benchDataKey(options: Options, baselineVersionId: number): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      issuerId: ISSUER_ID,
      providers: options.providers,
      plans: options.plans,
      networks: options.networks,
      drugs: options.drugs,
      pretty: options.pretty,
      baselineVersionId,
    }),
  );
  for (const file of GENERATOR_SOURCES) hash.update(readFileSync(join(__dirname, file)));
  return hash.digest('hex');
}

/** The benchmark's files: generated into `dir`, or reused from an earlier --data-dir run with the same key. */
async function benchData(dir: string, options: Options, baselineVersionId: number): Promise<BenchData> {
  const manifest = join(dir, 'bench-data.json');
  const key = benchDataKey(options, baselineVersionId);
  if (options.dataDir && existsSync(manifest)) {
    const saved = JSON.parse(readFileSync(manifest, 'utf8')) as { key: string; data: BenchData };
    if (saved.key === key) {
      console.log(`reusing the files in ${dir}; rows: ${JSON.stringify(saved.data.rows)}`);
      return saved.data;
    }
  }
  await mkdir(dir, { recursive: true });
  const shape = options.networks ? `dense: ${options.networks} networks` : 'sparse: 3 plans per provider';
  console.log(`generating ${options.providers} providers, ${options.plans} plans (${shape}), ${options.drugs} drugs in ${dir} ...`);
  const generated = Date.now();
  const data = await writeBenchData({ dir, issuerId: ISSUER_ID, ...options, baselineVersionId });
  console.log(
    `generated ${(data.jsonBytes / 1024 / 1024).toFixed(0)} MB of JSON in ${((Date.now() - generated) / 1000).toFixed(1)} s; rows: ${JSON.stringify(data.rows)}`,
  );
  if (options.dataDir) await writeFile(manifest, JSON.stringify({ key, data }));
  return data;
}

/** Rows per table and bytes on disk of the imported (published) version, as datasetVersions reports them. */
async function printVersionStorage(db: DataSource): Promise<void> {
  const [issuer] = await db.query(`SELECT current_version_id AS id FROM issuer WHERE issuer_id = $1`, [ISSUER_ID]);
  if (!issuer?.id) return;
  const [storage] = await new StorageService(new Database(db)).versionStorage([Number(issuer.id)]);
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`version rows per table: ${storage.tables.map((t) => `${t.table} ${t.rows}`).join(', ')}`);
  console.log(
    `version bytes on disk: ${mb(storage.bytes)} (${storage.tables
      .filter((t) => t.bytes)
      .map((t) => `${t.table} ${mb(t.bytes)}`)
      .join(', ')})`,
  );
}

/** The same files fetched over loopback HTTP and loaded (in a fresh child process), against the import from disk. */
async function compareOverHttp(db: DataSource, database: BenchDatabase, data: BenchData, fromDisk: ImportMeasurement, profileDir?: string): Promise<number> {
  await removeImportedVersions(db);
  await db.query('CHECKPOINT');
  const served = await serveIndexOverHttp(data.indexPath);
  let measured: FetchMeasurement;
  let serving: ServerReport | null = null;
  try {
    measured = await new Promise<FetchMeasurement>((resolve, reject) => {
      const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
      const child = fork(__filename, ['--child-fetch', database.url, served.indexUrl], {
        execArgv: [...PRODUCTION_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', ...profile],
      });
      let result: FetchMeasurement | null = null;
      child.on('message', (message) => (result = message as FetchMeasurement));
      child.on('error', reject);
      child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the fetch process exited with code ${code}`))));
    });
  } finally {
    serving = await served.close();
  }
  if (measured.outcome !== 'published') throw new Error(`the fetch over HTTP ended ${measured.outcome}: ${measured.error}`);
  const diskPeak = Math.max(fromDisk.peak.sampledMb, fromDisk.peak.vmHwmMb ?? 0);
  const split =
    measured.importSeconds === null
      ? ''
      : ` (outside the load ${(measured.seconds - measured.importSeconds).toFixed(2)} s, load, overlapping the providers downloads ${measured.importSeconds.toFixed(2)} s)`;
  console.log(
    `\nfetch over loopback HTTP + load: ${measured.seconds.toFixed(2)} s${split}, ${(served.bytes / 1024 / 1024 / measured.seconds).toFixed(1)} MB/s of files`,
  );
  console.log(`fetch phases: ${measured.phases}`);
  const mainThread = measured.mainThreadCpuSeconds === null ? '' : `: main thread ${measured.mainThreadCpuSeconds.toFixed(1)} s`;
  const diskMain = fromDisk.mainThreadCpuSeconds === null ? '' : `: main thread ${fromDisk.mainThreadCpuSeconds.toFixed(1)} s`;
  console.log(`fetching process CPU ${measured.cpuSeconds.toFixed(1)} s${mainThread} (import from disk: ${fromDisk.cpuSeconds.toFixed(1)} s${diskMain})`);
  console.log(describeServing(serving, measured));
  console.log(`rows loaded: ${JSON.stringify(measured.counts)}`);
  console.log(`peak RSS: ${measured.peakRssMb} MB (from disk: ${diskPeak} MB)`);
  const ratio = measured.seconds / fromDisk.seconds;
  console.log(`ratio fetch+load over HTTP vs load from disk: ${ratio.toFixed(2)}x (from disk ${fromDisk.seconds.toFixed(2)} s)`);
  return ratio;
}

/**
 * `--http-rounds N`: N pairs of loads, from disk then over HTTP, one after the other, so a drift of the
 * machine's speed (5–10% within minutes on a shared VM) weighs on both sides alike; the median ratio.
 */
async function compareOverHttpRounds(db: DataSource, database: BenchDatabase, data: BenchData, first: ImportMeasurement, options: Options): Promise<void> {
  const ratios = [await compareOverHttp(db, database, data, first, options.profileDir)];
  for (let round = 2; round <= options.httpRounds; round++) {
    await removeImportedVersions(db);
    await db.query('CHECKPOINT');
    const fromDisk = await importInChildProcess(database, data.indexPath, undefined);
    console.log(
      `\nround ${round} of ${options.httpRounds}: import from disk ${fromDisk.seconds.toFixed(2)} s (importer CPU ${fromDisk.cpuSeconds.toFixed(1)} s)`,
    );
    ratios.push(await compareOverHttp(db, database, data, fromDisk));
  }
  if (ratios.length < 2) return;
  const sorted = [...ratios].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  console.log(
    `\nratio fetch+load over HTTP vs load from disk over ${ratios.length} alternating rounds: median ${median.toFixed(2)}x ` +
      `(rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target <= 1.1: ${median <= 1.1 ? 'PASS' : 'FAIL'})`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const database = await startDatabase();
  const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'bench-ingest-')));
  const db = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: POOL_SIZE }));
  try {
    await runMigrations(database.url);
    await db.initialize();
    if (database.dataDir) await warmUpWal(db, options.providers);
    const baselineVersionId = await createBaselineTables(db);

    const data = await benchData(dir, options, baselineVersionId);

    const cpu = (from: number | null, to: number | null) => (from === null || to === null ? 'n/a' : `${(to - from).toFixed(1)} s`);
    const imports: Array<{ workers: string; measured: ImportMeasurement; pgCpu: string }> = [];
    for (const [i, workers] of options.workers.entries()) {
      if (i > 0) await removeImportedVersions(db);
      await db.query('CHECKPOINT');
      const loadBefore = loadavg()[0];
      const pgCpuBefore = postgresCpuSeconds(database.dataDir);
      const measured = await importInChildProcess(database, data.indexPath, workers, options.profileDir);
      const pgCpu = cpu(pgCpuBefore, postgresCpuSeconds(database.dataDir));
      const providers = measured.counts.providers ?? 0;
      if (providers !== options.providers)
        throw new Error(`expected ${options.providers} providers loaded, got ${providers}: ${JSON.stringify(measured.rejectedByReason)}`);
      const label = workers === undefined ? `default (${defaultParseWorkers()})` : String(workers);
      imports.push({ workers: label, measured, pgCpu });
      console.log(`\nimport with parse worker threads: ${label}${options.pretty ? ' (pretty-printed files)' : ''}`);
      console.log(`load average (1 min) before the import: ${loadBefore.toFixed(2)} on ${cpus().length} cores`);
      console.log(`import phases: ${measured.phases}`);
      console.log(`rows loaded: ${JSON.stringify(measured.counts)}`);
      const threads =
        measured.mainThreadCpuSeconds === null
          ? ''
          : `: main thread ${measured.mainThreadCpuSeconds.toFixed(1)} s, other threads ${(measured.cpuSeconds - measured.mainThreadCpuSeconds).toFixed(1)} s`;
      console.log(`import time: ${measured.seconds.toFixed(2)} s (importer CPU ${measured.cpuSeconds.toFixed(1)} s${threads}; PostgreSQL CPU ${pgCpu})`);
      console.log(`providers/s: ${Math.round(providers / measured.seconds)}`);
      const readingRate = measured.readingSeconds
        ? `; while reading and copying (until indexing): ${(data.jsonBytes / 1024 / 1024 / measured.readingSeconds).toFixed(1)}`
        : '';
      console.log(`MB/s of JSON: ${(data.jsonBytes / 1024 / 1024 / measured.seconds).toFixed(1)} over the whole import${readingRate}`);
      await printVersionStorage(db);
      console.log(
        `peak RSS: ${Math.max(measured.peak.sampledMb, measured.peak.vmHwmMb ?? 0)} MB (sampled every 100 ms: ${measured.peak.sampledMb} MB, VmHWM: ${measured.peak.vmHwmMb ?? 'n/a'} MB)`,
      );
    }

    if (options.overHttp) await compareOverHttpRounds(db, database, data, imports[0].measured, options);

    await db.query('CHECKPOINT');
    const pgCpuBaselineStart = postgresCpuSeconds(database.dataDir);
    const raw = await rawCopy(new Database(db).primaryPool().pool, POOL_SIZE, data, baselineVersionId, database.dataDir);
    const rawSeconds = raw.seconds;
    const pgCpuBaselineEnd = postgresCpuSeconds(database.dataDir);
    console.log(
      `\nraw COPY baseline (COPY into fresh version tables + the same index builds + attach) time: ${rawSeconds.toFixed(2)} s ` +
        `(COPY ${raw.copySeconds.toFixed(1)} s with PostgreSQL CPU ${cpu(pgCpuBaselineStart, raw.copyPgCpu)}, ` +
        `indexes and attach ${(rawSeconds - raw.copySeconds).toFixed(1)} s with PostgreSQL CPU ${cpu(raw.copyPgCpu, pgCpuBaselineEnd)}); ` +
        `raw COPY providers/s: ${Math.round(options.providers / rawSeconds)}`,
    );
    // Two builds run at once (one per core), so each one's time includes sharing the machine with the other.
    const named = raw.statements.map(({ sql, seconds }) => {
      const what = /^(?:CREATE (?:UNIQUE )?INDEX (\S+)|(ANALYZE \S+))/.exec(sql);
      return `${what?.[1] ?? what?.[2] ?? sql} ${seconds.toFixed(1)} s`;
    });
    console.log(`baseline index phase, statement by statement: ${named.join(', ')}`);
    for (const { workers, measured } of imports) {
      console.log(
        `ratio vs raw COPY (parse worker threads: ${workers}): ${(measured.seconds / rawSeconds).toFixed(2)}x, ${Math.round(options.providers / measured.seconds)} providers/s`,
      );
    }
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${BASELINE_SCHEMA} CASCADE`).catch(() => undefined);
    if (db.isInitialized) {
      const [baseline] = await db.query(`SELECT id FROM dataset_version WHERE loaded_by = 'baseline'`).catch(() => []);
      if (baseline) await dropVersionTables(db, [Number(baseline.id)]).catch(() => undefined);
    }
    if (db.isInitialized) await db.destroy();
    await database.stop();
    if (options.keep || options.dataDir) console.log(`files kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child-fetch') {
  const [, , , databaseUrl, indexUrl] = process.argv;
  measureFetch(databaseUrl, ISSUER_ID, indexUrl, POOL_SIZE).then(
    (measurement) => process.send!(measurement, () => process.exit(0)),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
} else if (process.argv[2] === '--child-import') {
  const [, , , databaseUrl, dataDir, indexPath, workers] = process.argv;
  measureImport(databaseUrl, dataDir || null, indexPath, workers === 'default' ? undefined : Number(workers)).then(
    (measurement) => process.send!(measurement, () => process.exit(0)),
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
} else {
  main().catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
