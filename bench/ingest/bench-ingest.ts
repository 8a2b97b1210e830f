import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, runMigrations } from '../../src/database/data-source-options';
import { DatabaseHandle, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { ImportProgress } from '../../src/ingest/import-contract';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { DRUG_TABLES, PLAN_TABLES, PROVIDER_TABLES } from '../../src/ingest/table-rows';
import { BenchData, writeBenchData } from './qhp-bench-data';

/**
 * Ingest benchmark: generates an issuer's QHP files, imports them with QhpImporter, then COPYs the
 * very same rows (pre-rendered) into empty copies of the tables as the raw-COPY baseline.
 *
 *   npm run bench:ingest -- [--providers 1000000] [--plans 30] [--drugs 5000] [--pretty]
 *                           [--json-parser fast|stream-json] [--keep]
 * Uses DATABASE_URL when set, else a throwaway embedded PostgreSQL (fsync off).
 */

const ISSUER_ID = '70001';
const BASELINE_SCHEMA = 'bench_raw';

interface Options {
  providers: number;
  plans: number;
  drugs: number;
  pretty: boolean;
  jsonParser: 'fast' | 'stream-json';
  keep: boolean;
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
  const jsonParser = value('--json-parser') ?? 'fast';
  if (jsonParser !== 'fast' && jsonParser !== 'stream-json') throw new Error('--json-parser must be fast or stream-json');
  return {
    providers: count('--providers', 1_000_000),
    plans: count('--plans', 30),
    drugs: count('--drugs', 5_000),
    pretty: argv.includes('--pretty'),
    jsonParser,
    keep: argv.includes('--keep'),
  };
}

/** Peak resident memory of this process: sampled every 100 ms, and the kernel's high-water mark. */
class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    // Forget the generator's peak: only the import is measured (Linux: "5" resets VmHWM).
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      // not Linux, or not permitted: VmHWM then covers the whole run
    }
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

async function startDatabase(): Promise<DatabaseHandle> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-pg-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false, durable: false });
  return { ...server, stop: async () => { await server.stop(); await rm(dir, { recursive: true, force: true }); } };
}

/** Empty copies of the carrier tables (same columns, checks, indexes and version foreign key) for the baseline. */
async function createBaselineTables(db: DataSource): Promise<number> {
  await db.query(`DROP SCHEMA IF EXISTS ${BASELINE_SCHEMA} CASCADE`);
  await db.query(`CREATE SCHEMA ${BASELINE_SCHEMA}`);
  for (const { table } of [...PLAN_TABLES, ...PROVIDER_TABLES, ...DRUG_TABLES]) {
    await db.query(`CREATE TABLE ${BASELINE_SCHEMA}.${table} (LIKE public.${table} INCLUDING ALL)`);
    await db.query(`ALTER TABLE ${BASELINE_SCHEMA}.${table} ADD FOREIGN KEY (version_id) REFERENCES public.dataset_version(id) ON DELETE CASCADE`);
  }
  await db.query(`INSERT INTO issuer (issuer_id, name) VALUES ($1, 'Bench issuer') ON CONFLICT DO NOTHING`, [ISSUER_ID]);
  const [row] = await db.query(`INSERT INTO dataset_version (issuer_id, status, source, loaded_by) VALUES ($1, 'failed', 'bench', 'baseline') RETURNING id`, [ISSUER_ID]);
  return Number(row.id);
}

/** COPYs the pre-rendered files phase by phase (plans, providers, drugs), tables of a phase in parallel, as the importer does. */
async function rawCopy(pool: Pool, data: BenchData): Promise<number> {
  const started = process.hrtime.bigint();
  for (const phase of [PLAN_TABLES, PROVIDER_TABLES, DRUG_TABLES]) {
    const tables = phase.map((t) => t.table);
    await Promise.all(
      data.baselineFiles
        .filter((file) => tables.includes(file.table))
        .map(async (file) => {
          const client = await pool.connect();
          try {
            await client.query('SET synchronous_commit = off');
            const copy = client.query(copyFrom(`COPY ${BASELINE_SCHEMA}.${file.table} (${file.columns.join(', ')}) FROM STDIN`));
            await pipeline(createReadStream(file.path, { highWaterMark: 1 << 20 }), copy);
          } finally {
            client.release();
          }
        }),
    );
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function phaseClock(): { onProgress: (p: ImportProgress) => void; phases: () => string } {
  const started = Date.now();
  const firstSeen = new Map<string, number>();
  return {
    onProgress: (progress) => {
      const key = progress.phase === 'reading' ? `reading ${progress.file}` : progress.phase;
      if (!firstSeen.has(key)) firstSeen.set(key, Date.now() - started);
    },
    phases: () => [...firstSeen].map(([phase, ms]) => `${phase} @${(ms / 1000).toFixed(1)}s`).join(', '),
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const database = await startDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
  const db = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 8 }));
  try {
    await runMigrations(database.url);
    await db.initialize();
    const baselineVersionId = await createBaselineTables(db);

    console.log(`generating ${options.providers} providers, ${options.plans} plans, ${options.drugs} drugs in ${dir} ...`);
    const generated = Date.now();
    const data = await writeBenchData({ dir, issuerId: ISSUER_ID, ...options, baselineVersionId });
    console.log(`generated ${(data.jsonBytes / 1024 / 1024).toFixed(0)} MB of JSON in ${((Date.now() - generated) / 1000).toFixed(1)} s; rows: ${JSON.stringify(data.rows)}`);

    await db.query('CHECKPOINT');
    const clock = phaseClock();
    const memory = new RssSampler();
    const importStarted = process.hrtime.bigint();
    const result = await new QhpImporter(db).import({
      issuerId: ISSUER_ID,
      issuerName: 'Bench issuer',
      paths: [data.indexPath],
      source: 'bench',
      loadedBy: 'bench-ingest',
      jsonParser: options.jsonParser,
      onProgress: clock.onProgress,
    });
    const importSeconds = Number(process.hrtime.bigint() - importStarted) / 1e9;
    const peak = memory.stop();
    const providers = result.counts.providers ?? 0;
    if (providers !== options.providers) throw new Error(`expected ${options.providers} providers loaded, got ${providers}: ${JSON.stringify(result.report.rejectedByReason)}`);

    await db.query('CHECKPOINT');
    const rawSeconds = await rawCopy((db.driver as unknown as { master: Pool }).master, data);

    console.log(`json parser: ${options.jsonParser}${options.pretty ? ' (pretty-printed files)' : ''}`);
    console.log(`import phases: ${clock.phases()}`);
    console.log(`rows loaded: ${JSON.stringify(result.counts)}`);
    console.log(`import time: ${importSeconds.toFixed(2)} s`);
    console.log(`providers/s: ${Math.round(providers / importSeconds)}`);
    console.log(`MB/s of JSON: ${(data.jsonBytes / 1024 / 1024 / importSeconds).toFixed(1)}`);
    console.log(`peak RSS: ${Math.max(peak.sampledMb, peak.vmHwmMb ?? 0)} MB (sampled every 100 ms: ${peak.sampledMb} MB, VmHWM: ${peak.vmHwmMb ?? 'n/a'} MB)`);
    console.log(`raw COPY time: ${rawSeconds.toFixed(2)} s`);
    console.log(`ratio vs raw COPY: ${(importSeconds / rawSeconds).toFixed(2)}x`);
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${BASELINE_SCHEMA} CASCADE`).catch(() => undefined);
    if (db.isInitialized) await db.destroy();
    await database.stop();
    if (options.keep) console.log(`files kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
