/**
 * Query benchmark: the two core questions through the real API versus the same lookup as ONE raw SQL
 * query behind a bare Node http handler, under the same load.
 *
 *   npm run bench:query -- [--providers 1000000] [--duration 15] [--connections 50] [--pool 20]
 *                          [--warmup 3] [--rounds 3] [--api-workers 1] [--pg-dir .data/bench-pg] [--log-level info]
 *                          [--profile DIR] [--import DIR/cms-data-index.json]
 *
 * --import: instead of the demo seed, loads these QHP files (through the importer) into an empty database,
 * e.g. the dense shape carriers publish, generated and kept by
 * `npm run bench:ingest -- --providers 1000000 --plans 40 --networks 3 --data-dir DIR`.
 * Database: DATABASE_URL when set (seeded only when it holds no published data), otherwise a throwaway
 * embedded PostgreSQL (or a kept one with --pg-dir, so a 1M-provider seed is paid once).
 * The API and the baseline each run in their own child process (one Node process each, like one
 * instance); autocannon drives them from this process, alternating in rounds (--duration is split
 * between them) so that other load on the machine affects both alike.
 * --profile DIR writes a V8 CPU profile of the API process(es) to DIR (open it in Chrome DevTools).
 *
 * More contenders in the same rounds (each ratio is against figures of the same run):
 * --zipf S            lookups drawn by Zipf-distributed rank (exponent S, e.g. 1.1) over the sampled pool, so
 *                     popular doctors, drugs and plans are asked far more often (every contender draws the same
 *                     way); adds the API with its in-process answer cache on (--answer-cache-bytes, default
 *                     64 MiB): hit rate, throughput, p99, ratio to the raw baseline.
 * --conditional       adds clients revalidating over GET what they already hold (each lookup of the pool is
 *                     fetched once before the rounds): every request carries If-None-Match with the ETag its
 *                     last answer had, so the API answers 304 without running it; ratio to the API answering
 *                     the same lookups in full.
 * --api-workers N>1   adds one API process beside the N-process cluster: ratio N processes / 1 process.
 */
import 'reflect-metadata';
import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import cluster from 'node:cluster';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { treeCpuSeconds } from '../lib/proc-cpu';
import { ShopperLookup as Lookup, shopperQueryBody } from '../lib/shopper-queries';
import { forkServer } from '../lib/cpu-per-request';
import { rawLookupServer } from '../lib/raw-lookup-baseline';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

interface Options {
  providers: number;
  duration: number;
  warmup: number;
  connections: number;
  pool: number;
  pgDir: string | null;
  logLevel: string;
  samples: number;
  /** API and baseline alternate in this many rounds, so background load on the machine hits both alike. */
  rounds: number;
  /** API processes (node:cluster on one port); 1 = a single instance, like the baseline. */
  apiWorkers: number;
  /** Directory for a CPU profile (node --cpu-prof) of the API process(es). */
  profileDir: string | null;
  /** QHP files (a cms-data-index.json) to import instead of seeding demo data. */
  importPath: string | null;
  /** Zipf exponent of the lookup popularity (null: every lookup equally likely). */
  zipf: number | null;
  /** Bytes of the answer cache of the cached API contender (with --zipf). */
  answerCacheBytes: number;
  /** Adds clients revalidating with If-None-Match over GET. */
  conditional: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    providers: 1_000_000,
    duration: 15,
    warmup: 3,
    connections: 50,
    pool: 20,
    pgDir: null,
    logLevel: 'info',
    samples: 5000,
    rounds: 3,
    apiWorkers: 1,
    profileDir: null,
    importPath: null,
    zipf: null,
    answerCacheBytes: 64 * 1024 * 1024,
    conditional: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const int = () => {
      const v = Number(value().replace(/_/g, ''));
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} needs a whole number`);
      return v;
    };
    switch (arg) {
      case '--import':
        options.importPath = value();
        break;
      case '--providers':
        options.providers = int();
        break;
      case '--duration':
        options.duration = int();
        break;
      case '--warmup':
        options.warmup = int();
        break;
      case '--connections':
        options.connections = int();
        break;
      case '--pool':
        options.pool = int();
        break;
      case '--samples':
        options.samples = int();
        break;
      case '--rounds':
        options.rounds = Math.max(1, int());
        break;
      case '--api-workers':
        options.apiWorkers = Math.max(1, int());
        break;
      case '--pg-dir':
        options.pgDir = value();
        break;
      case '--log-level':
        options.logLevel = value();
        break;
      case '--profile':
        options.profileDir = value();
        break;
      case '--zipf': {
        const exponent = Number(value());
        if (!(exponent > 0)) throw new Error('--zipf needs an exponent above 0 (e.g. 1.1)');
        options.zipf = exponent;
        break;
      }
      case '--answer-cache-bytes':
        options.answerCacheBytes = Math.max(1, int());
        break;
      case '--conditional':
        options.conditional = true;
        break;
      default:
        throw new Error(`unknown option ${arg} (see the header of bench/query/bench-query.ts)`);
    }
  }
  return options;
}

// ---------------------------------------------------------------- the two questions, both ways

/** The same question as a GraphQL GET (what a CDN or a revalidating client sends). */
function graphqlGetPath(lookup: Lookup): string {
  const { operationName, query, variables } = JSON.parse(shopperQueryBody(lookup));
  return `/graphql?${new URLSearchParams({ operationName, query, variables: JSON.stringify(variables) })}`;
}

/** Apollo's CSRF prevention: a GET shows it is not a simple cross-site request. */
const GET_HEADERS = { 'apollo-require-preflight': 'true' };

/** Fetches every path once (`concurrency` at a time) and keeps the ETag each answer carried. */
async function fetchEtags(origin: string, paths: string[], etags: Array<string | undefined>, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      const response = await fetch(origin + paths[i], { headers: GET_HEADERS });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET ${paths[i].slice(0, 80)}… answered ${response.status}`);
      etags[i] = response.headers.get('etag') ?? undefined;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Draws indexes 0..n-1: uniformly, or by Zipf-distributed rank (P(k) ∝ 1/k^s), index 0 the most popular.
 * The sampled pool is in random order, so the popular ones are random doctors, drugs and plans.
 */
function indexDrawer(n: number, zipf: number | null): () => number {
  if (zipf === null) return () => Math.floor(Math.random() * n);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cumulative[k] = total += 1 / Math.pow(k + 1, zipf);
  return () => {
    const u = Math.random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * What autocannon sends next: a POST body, or a GET path with its headers; `answered` is told the status and
 * headers of its answer (a revalidating client keeps the ETag it got).
 */
type NextRequest = () =>
  | { method: 'POST'; body: string; answered?: undefined }
  | { method: 'GET'; path: string; headers: Record<string, string>; answered?: (status: number, headers: Record<string, string>) => void };

// ---------------------------------------------------------------- child processes

/** Production requires a key sealing reporters' emails; the benchmark files none, so any key does. */
const BENCH_PERSONAL_DATA_KEY = randomBytes(32).toString('base64');

async function serveApi(databaseUrl: string, port: number, pool: number, workers: number): Promise<void> {
  if (workers > 1 && cluster.isPrimary) {
    // N instances of the API on one machine (node:cluster shares the port), as a deployment would run one per core.
    const forked = Array.from({ length: workers }, () => cluster.fork());
    await Promise.all(forked.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
    process.send?.({ ready: true });
    process.on('message', async (message: { stop?: boolean }) => {
      if (message?.stop) {
        await Promise.all(
          forked.map(
            (worker) =>
              new Promise((resolve) => {
                worker.once('exit', resolve);
                worker.send({ stop: true });
              }),
          ),
        );
        process.exit(0);
      }
    });
    return;
  }
  const { createApp } = await import('../../src/bootstrap');
  const app = await createApp({ dbPoolSize: pool }, databaseUrl);
  await app.listen(port, '127.0.0.1');
  process.send?.({ ready: true });
  process.on('message', async (message: { stop?: boolean }) => {
    if (message?.stop) {
      await app.close();
      process.exit(0);
    }
  });
}

async function serveBaseline(databaseUrl: string, port: number, poolSize: number, _workers = 1): Promise<void> {
  const { server, pool } = rawLookupServer(databaseUrl, poolSize);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.send?.({ ready: true });
  process.on('message', async (message: { stop?: boolean }) => {
    if (message?.stop) {
      server.close();
      await pool.end();
      process.exit(0);
    }
  });
}

function startChild(
  role: 'api' | 'baseline',
  databaseUrl: string,
  port: number,
  options: Options,
  overrides: { workers?: number; env?: Record<string, string> } = {},
): Promise<ChildProcess> {
  // Both servers run with the Node flags of `npm run start:prod` (package.json).
  const workers = overrides.workers ?? (role === 'api' ? options.apiWorkers : 1);
  return forkServer(__filename, ['--serve', role, databaseUrl, String(port), String(options.pool), String(workers)], `${role} server`, {
    execArgv: role === 'api' && options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [],
    env: {
      PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY ?? BENCH_PERSONAL_DATA_KEY,
      LOG_LEVEL: options.logLevel,
      DB_POOL_SIZE: String(options.pool),
      // Off unless a contender turns it on (the API's default).
      ANSWER_CACHE_MAX_BYTES: '0',
      ...overrides.env,
    },
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ stop: true });
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

// ---------------------------------------------------------------- load

interface Figures {
  requests: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  /** Answers 304 Not Modified (revalidations). */
  notModified: number;
  /** Server CPU time per answered request, in ms (user + system, all its processes); NaN when not measured. */
  cpuMsPerRequest: number;
  /** PostgreSQL's CPU time (postmaster and backends) per answered request, in ms; NaN when not measured. */
  postgresCpuMsPerRequest: number;
}

interface Run {
  requests: number;
  seconds: number;
  /** Every response time, in ms (from autocannon's 'response' events). */
  latencies: number[];
  errors: number;
  non2xx: number;
  timeouts: number;
  /** Answers 304 Not Modified. */
  notModified?: number;
  /** CPU time of the server process(es) during the run, when measurable. */
  cpuSeconds?: number;
  /** CPU time of PostgreSQL during the run, when it runs on this machine. */
  postgresCpuSeconds?: number;
}

/** The postmaster's process id, when PostgreSQL runs on this machine (its data directory is readable here). */
async function findPostmasterPid(databaseUrl: string): Promise<number | null> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query('SHOW data_directory');
    const pid = Number(readFileSync(join(rows[0].data_directory, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  } finally {
    await pool.end();
  }
}

/**
 * drive(), also counting the CPU time the server process (tree) spent on it, and PostgreSQL's (its
 * backends serve both servers' pools, but only the one under load is busy).
 */
async function driveMeasured(
  server: ChildProcess,
  url: string,
  next: NextRequest,
  duration: number,
  connections: number,
  postmasterPid: number | null,
): Promise<Run> {
  const cpu = () => ({ server: treeCpuSeconds(server.pid!), postgres: postmasterPid ? treeCpuSeconds(postmasterPid) : null });
  const before = cpu();
  const run = await drive(url, next, duration, connections);
  const after = cpu();
  const spent = (a: number | null, b: number | null) => (a === null || b === null ? undefined : b - a);
  return { ...run, cpuSeconds: spent(before.server, after.server), postgresCpuSeconds: spent(before.postgres, after.postgres) };
}

/** Closed loop: each connection sends its next request as soon as the last one is answered. */
function drive(url: string, next: NextRequest, duration: number, connections: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections,
        duration,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            // A connection sends one request at a time: its context holds what the answer is for.
            setupRequest: (request: Record<string, unknown>, context: { answered?: (status: number, headers: Record<string, string>) => void }) => {
              const chosen = next();
              context.answered = chosen.answered;
              if (chosen.method === 'POST') return { ...request, method: 'POST', body: chosen.body };
              return { ...request, method: 'GET', path: chosen.path, body: undefined, headers: chosen.headers };
            },
            onResponse: (
              status: number,
              _body: string,
              context: { answered?: (status: number, headers: Record<string, string>) => void },
              headers: Record<string, string>,
            ) => context.answered?.(status, headers),
          },
        ],
      },
      (error: Error | null, result: any) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          seconds: result.duration,
          latencies,
          errors: result.errors,
          // A 304 is the answer a revalidating client expects, not a failure.
          non2xx: result.non2xx - (statuses.get(304) ?? 0),
          timeouts: result.timeouts,
          notModified: statuses.get(304) ?? 0,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Rounds merged: throughput over their total time, exact percentiles over every response. */
function combine(runs: Run[]): Figures {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const requests = runs.reduce((n, r) => n + r.requests, 0);
  return {
    requests,
    throughput: requests / runs.reduce((t, r) => t + r.seconds, 0),
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
    notModified: runs.reduce((n, r) => n + (r.notModified ?? 0), 0),
    cpuMsPerRequest: runs.every((r) => r.cpuSeconds !== undefined) ? (1000 * runs.reduce((t, r) => t + r.cpuSeconds!, 0)) / requests : NaN,
    postgresCpuMsPerRequest: runs.every((r) => r.postgresCpuSeconds !== undefined)
      ? (1000 * runs.reduce((t, r) => t + r.postgresCpuSeconds!, 0)) / requests
      : NaN,
  };
}

// ---------------------------------------------------------------- main

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function line(label: string, f: Figures): string {
  return (
    `${label.padEnd(66)} ${fmt(f.throughput).padStart(7)} req/s   p50 ${fmt(f.p50, 1).padStart(6)} ms   p90 ${fmt(f.p90, 1).padStart(6)} ms   ` +
    `p99 ${fmt(f.p99, 1).padStart(6)} ms   max ${fmt(f.max).padStart(5)} ms   requests ${fmt(f.requests)}   errors ${f.errors + f.timeouts}   non-2xx ${f.non2xx}` +
    (f.notModified ? `   304 ${fmt(f.notModified)}` : '') +
    (Number.isNaN(f.cpuMsPerRequest) ? '' : `   server CPU ${fmt(f.cpuMsPerRequest, 2)} ms/request`) +
    (Number.isNaN(f.postgresCpuMsPerRequest) ? '' : `   PostgreSQL CPU ${fmt(f.postgresCpuMsPerRequest, 2)} ms/request`)
  );
}

async function sampleLookups(databaseUrl: string, samples: number): Promise<{ lookups: Lookup[]; counts: Record<string, number> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const plans: string[] = (await pool.query(`SELECT p.plan_id FROM plan p JOIN issuer i ON i.current_version_id = p.version_id ORDER BY 1`)).rows.map(
      (r) => r.plan_id,
    );
    const npis: Array<{ npi: string; plans: string[] }> = (
      await pool.query(
        `SELECT s.npi, array_agg(DISTINCT m.plan_id) AS plans
           FROM (SELECT p.npi FROM provider p JOIN issuer i ON i.current_version_id = p.version_id
                  WHERE p.npi IS NOT NULL ORDER BY random() LIMIT $1) s
           JOIN provider mp ON mp.npi = s.npi
           JOIN issuer mi ON mi.current_version_id = mp.version_id
           JOIN network_membership m ON m.version_id = mp.version_id AND m.record_no = mp.record_no
          GROUP BY s.npi`,
        [samples],
      )
    ).rows;
    const drugs: Array<{ rxnorm_id: string; plans: string[] }> = (
      await pool.query(
        `SELECT f.rxnorm_id, array_agg(DISTINCT f.plan_id) AS plans
           FROM formulary_entry f JOIN issuer i ON i.current_version_id = f.version_id
          GROUP BY f.rxnorm_id ORDER BY random() LIMIT $1`,
        [samples],
      )
    ).rows;
    const counts = (
      await pool.query(
        `SELECT (SELECT count(*) FROM provider p JOIN issuer i ON i.current_version_id = p.version_id)::int AS providers,
                (SELECT count(*) FROM network_membership m JOIN issuer i ON i.current_version_id = m.version_id)::int AS memberships,
                (SELECT count(*) FROM formulary_entry f JOIN issuer i ON i.current_version_id = f.version_id)::int AS "formularyEntries",
                (SELECT count(DISTINCT rxnorm_id) FROM drug d JOIN issuer i ON i.current_version_id = d.version_id)::int AS drugs`,
      )
    ).rows[0];
    counts.plans = plans.length;
    if (!npis.length || !drugs.length || !plans.length) throw new Error('the database holds no published providers, drugs or plans');

    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
    // Up to two plans the provider/drug is really in, plus one other: IN/OUT of network, COVERED/NOT_COVERED answers.
    const planSet = (own: string[]) => [...new Set([...own.sort(() => Math.random() - 0.5).slice(0, 2), pick(plans)])];
    const lookups: Lookup[] = [];
    for (let i = 0; i < samples; i++) {
      const n = pick(npis);
      lookups.push({ kind: 'network', id: n.npi.trim(), planIds: planSet(n.plans.map((p) => p.trim())) });
      const d = pick(drugs);
      lookups.push({ kind: 'drug', id: d.rxnorm_id, planIds: planSet(d.plans.map((p) => p.trim())) });
    }
    return { lookups, counts };
  } finally {
    await pool.end();
  }
}

/** The API answers every sampled lookup without errors, and the answers are real (not all UNKNOWN). */
async function checkAnswers(apiUrl: string, lookups: Lookup[]): Promise<string> {
  const statuses: Record<string, number> = {};
  for (const lookup of lookups.slice(0, 200)) {
    const res = await fetch(apiUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: shopperQueryBody(lookup) });
    const body = (await res.json()) as { data?: Record<string, Array<{ status: string }>>; errors?: Array<{ message: string }> };
    if (res.status !== 200 || body.errors) throw new Error(`API answered ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
    for (const answer of Object.values(body.data!)[0]) statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  }
  if (!statuses.IN_NETWORK || !statuses.COVERED) throw new Error(`sampled answers look wrong: ${JSON.stringify(statuses)}`);
  return Object.entries(statuses)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
}

/** The answer cache's lookups and evictions, from the API's /metrics. */
async function answerCacheLookups(metricsUrl: string): Promise<{ hits: number; misses: number; evictions: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const sample = (series: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${series} `))
        ?.slice(series.length + 1) ?? 0,
    );
  return {
    hits: sample('graphql_answer_cache_lookups_total{outcome="hit"}'),
    misses: sample('graphql_answer_cache_lookups_total{outcome="miss"}'),
    evictions: sample('graphql_answer_cache_evictions_total'),
  };
}

/** Imports the QHP files at `indexPath` (issuer 70001, as bench:ingest generates them) unless the database holds published data. */
async function importIfEmpty(databaseUrl: string, indexPath: string, log: (line: string) => void): Promise<boolean> {
  const { DataSource } = await import('typeorm');
  const { buildDataSourceOptions } = await import('../../src/database/data-source-options');
  const { QhpImporter } = await import('../../src/ingest/qhp-importer');
  const db = new DataSource(buildDataSourceOptions({ url: databaseUrl, poolSize: 8 }));
  await db.initialize();
  try {
    const [{ published }] = await db.query(`SELECT count(*)::int AS published FROM issuer WHERE current_version_id IS NOT NULL`);
    if (published) {
      log('database already holds published data: not importing');
      return false;
    }
    log(`importing ${indexPath} …`);
    const result = await new QhpImporter(db).import({
      issuerId: '70001',
      issuerName: 'Bench issuer',
      paths: [indexPath],
      source: 'bench',
      loadedBy: 'bench-query',
    });
    if (result.status !== 'published') throw new Error(`import of ${indexPath} did not publish: ${JSON.stringify(result.report.rejectedByReason)}`);
    log(`imported: ${JSON.stringify(result.counts)}`);
    return true;
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const log = (message: string) => console.log(`[bench:query] ${message}`);
  const { runMigrations } = await import('../../src/database/data-source-options');
  const { findFreePort, startEmbeddedPostgres } = await import('../../src/database/embedded-postgres');
  const { seedDemoDataIfEmpty } = await import('../../seeds/seed-database');

  let databaseUrl = process.env.DATABASE_URL ?? '';
  let stopDatabase = async () => undefined as void;
  let tempDir: string | null = null;
  if (!databaseUrl) {
    const dataDir = options.pgDir ?? join((tempDir = mkdtempSync(join(tmpdir(), 'bench-query-'))), 'pg');
    const database = await startEmbeddedPostgres({ dataDir, persistent: Boolean(options.pgDir), durable: false });
    databaseUrl = database.url;
    stopDatabase = () => database.stop();
    log(`embedded PostgreSQL at ${databaseUrl} (${options.pgDir ? `kept in ${options.pgDir}` : 'throwaway'})`);
  }
  const children: ChildProcess[] = [];
  try {
    await runMigrations(databaseUrl);
    const seedStarted = Date.now();
    const seeded = options.importPath
      ? await importIfEmpty(databaseUrl, options.importPath, log)
      : await seedDemoDataIfEmpty(databaseUrl, options.providers, (l) => log(l));
    if (seeded) log(`loaded the data set in ${fmt((Date.now() - seedStarted) / 1000, 1)} s`);
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    await pool.query('VACUUM ANALYZE').catch(() => undefined);
    await pool.end();

    const postmasterPid = await findPostmasterPid(databaseUrl);
    const { lookups, counts } = await sampleLookups(databaseUrl, options.samples);
    log(
      `dataset: ${Object.entries(counts)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}`,
    );
    if (!options.importPath && counts.providers < options.providers * 0.9) {
      log(`note: the database holds ${fmt(counts.providers)} providers, not ${fmt(options.providers)} (already seeded; use another --pg-dir for a new size)`);
    }

    // --- the servers up; they take turns under load
    const draw = indexDrawer(lookups.length, options.zipf);
    const apiBodies = lookups.map(shopperQueryBody);
    const baseBodies = lookups.map((l) => JSON.stringify(l));
    const postApi: NextRequest = () => ({ method: 'POST', body: apiBodies[draw()] });
    const postBase: NextRequest = () => ({ method: 'POST', body: baseBodies[draw()] });

    interface Contender {
      label: string;
      child: ChildProcess;
      port: number;
      url: string;
      next: NextRequest;
      rounds: Run[];
    }
    const contenders: Contender[] = [];
    const start = async (label: string, role: 'api' | 'baseline', next: NextRequest, overrides: Parameters<typeof startChild>[4] = {}) => {
      const port = await findFreePort();
      const child = await startChild(role, databaseUrl, port, options, overrides);
      children.push(child);
      const contender = { label, child, port, url: `http://127.0.0.1:${port}${role === 'api' ? '/graphql' : '/'}`, next, rounds: [] };
      contenders.push(contender);
      return contender;
    };
    const api = await start(`API (GraphQL networkCoverage + drugCoverage)${options.apiWorkers > 1 ? `, ${options.apiWorkers} processes` : ''}`, 'api', postApi);
    log(`sample answers: ${await checkAnswers(api.url, lookups)}`);
    const base = await start('baseline (1 raw SQL, bare node http + pg)', 'baseline', postBase);
    const single = options.apiWorkers > 1 ? await start('API, 1 process', 'api', postApi, { workers: 1 }) : null;
    const cached =
      options.zipf !== null
        ? await start(`API with its answer cache (${fmt(options.answerCacheBytes / 1048576, 1)} MiB)`, 'api', postApi, {
            env: { ANSWER_CACHE_MAX_BYTES: String(options.answerCacheBytes) },
          })
        : null;
    let conditional: Contender | null = null;
    if (options.conditional) {
      // Clients revalidate what they already hold, as a CDN or a browser cache in front does: every lookup of the
      // pool is fetched once over GET before the rounds (not measured), then each request carries If-None-Match
      // with the ETag its last answer had. An answer that changed comes back in full and its new ETag is kept.
      const paths = lookups.map(graphqlGetPath);
      const etags: Array<string | undefined> = new Array(paths.length);
      conditional = await start('API, GET with If-None-Match (clients revalidating)', 'api', () => {
        const i = draw();
        return {
          method: 'GET',
          path: paths[i],
          headers: etags[i] ? { ...GET_HEADERS, 'if-none-match': etags[i]! } : GET_HEADERS,
          answered: (status, headers) => {
            const etag = Object.entries(headers).find(([name]) => name.toLowerCase() === 'etag')?.[1];
            if (status === 200 && etag) etags[i] = etag;
          },
        };
      });
      log(`revalidating clients fetch each of the ${fmt(paths.length)} lookups once first…`);
      await fetchEtags(conditional.url.replace(/\/graphql$/, ''), paths, etags, 16);
    }
    if (options.warmup) for (const contender of contenders) await drive(contender.url, contender.next, options.warmup, options.connections);
    // The hit rate counts the measured rounds, not the warm-up that filled the cache.
    const cacheBefore = cached ? await answerCacheLookups(`http://127.0.0.1:${cached.port}/metrics`) : null;
    const slice = Math.max(1, Math.round(options.duration / options.rounds));
    for (let round = 1; round <= options.rounds; round++) {
      log(`round ${round}/${options.rounds}: ${contenders.length} servers in turn, ${options.connections} connections, ${slice} s each…`);
      for (const contender of contenders)
        contender.rounds.push(await driveMeasured(contender.child, contender.url, contender.next, slice, options.connections, postmasterPid));
    }
    // Service time without queueing: one connection, so latency is the cost of one request, not the wait behind 49 others.
    log('single connection (no queueing), 3 s each…');
    const apiSingle = combine([await driveMeasured(api.child, api.url, postApi, 3, 1, postmasterPid)]);
    const baseSingle = combine([await driveMeasured(base.child, base.url, postBase, 3, 1, postmasterPid)]);
    const cacheAfter = cached ? await answerCacheLookups(`http://127.0.0.1:${cached.port}/metrics`) : null;
    const cacheLookups =
      cacheBefore && cacheAfter
        ? { hits: cacheAfter.hits - cacheBefore.hits, misses: cacheAfter.misses - cacheBefore.misses, evictions: cacheAfter.evictions - cacheBefore.evictions }
        : null;
    for (const contender of contenders) await stopChild(contender.child);
    const apiFigures = combine(api.rounds);
    const baseFigures = combine(base.rounds);

    const ratio = apiFigures.throughput / baseFigures.throughput;
    const p99Ok = apiFigures.p99 < 20;
    const ratioOk = ratio >= 0.75;
    const cpuOk = apiFigures.cpuMsPerRequest <= 0.6;
    console.log('');
    console.log(
      `bench:query  providers=${fmt(counts.providers)}  plans=${counts.plans}  drugs=${fmt(counts.drugs)}  duration=${options.duration}s  ` +
        `connections=${options.connections}  db pool=${options.pool}/process  api processes=${options.apiWorkers}  cpus=${cpus().length}  node ${process.version}` +
        `  lookups ${options.zipf === null ? 'uniform' : `Zipf s=${options.zipf}`} over ${fmt(lookups.length)}`,
    );
    for (const contender of contenders) console.log(line(`${contender.label}, ${options.connections} connections`, combine(contender.rounds)));
    console.log(line('API, 1 connection', apiSingle));
    console.log(line('baseline, 1 connection', baseSingle));
    console.log(`throughput ratio API/baseline: ${ratio.toFixed(2)} (target >= 0.75: ${ratioOk ? 'PASS' : 'FAIL'})`);
    console.log(
      `API Node CPU per request at ${options.connections} connections: ${fmt(apiFigures.cpuMsPerRequest, 2)} ms (target <= 0.6: ${cpuOk ? 'PASS' : 'FAIL'})`,
    );
    console.log(
      `API p99 latency at ${options.connections} connections (closed loop): ${fmt(apiFigures.p99, 1)} ms (target < 20 ms: ${p99Ok ? 'PASS' : 'FAIL'})`,
    );
    if (single) {
      const one = combine(single.rounds);
      console.log(
        `${options.apiWorkers} processes / 1 process: throughput ${(apiFigures.throughput / one.throughput).toFixed(2)}x ` +
          `(${fmt(apiFigures.throughput)} vs ${fmt(one.throughput)} req/s), p99 ${fmt(apiFigures.p99, 1)} vs ${fmt(one.p99, 1)} ms`,
      );
    }
    if (cached && cacheLookups) {
      const figures = combine(cached.rounds);
      const hitRate = cacheLookups.hits / Math.max(1, cacheLookups.hits + cacheLookups.misses);
      const cachedRatio = figures.throughput / baseFigures.throughput;
      console.log(
        `answer cache: hit rate ${(100 * hitRate).toFixed(1)}% (${fmt(cacheLookups.hits)} hits, ${fmt(cacheLookups.misses)} misses, ${fmt(cacheLookups.evictions)} evictions), ` +
          `${fmt(figures.throughput)} req/s, p99 ${fmt(figures.p99, 1)} ms; ratio to the raw baseline ${cachedRatio.toFixed(2)} ` +
          `(target >= 1.0: ${cachedRatio >= 1 ? 'PASS' : 'FAIL'}); to the API without it ${(figures.throughput / apiFigures.throughput).toFixed(2)}`,
      );
    }
    if (conditional) {
      const figures = combine(conditional.rounds);
      const conditionalRatio = figures.throughput / apiFigures.throughput;
      console.log(
        `revalidations: ${fmt(figures.notModified)} of ${fmt(figures.requests)} answered 304, ${fmt(figures.throughput)} req/s, p99 ${fmt(figures.p99, 1)} ms; ` +
          `ratio to the API answering in full ${conditionalRatio.toFixed(2)} (target >= 5: ${conditionalRatio >= 5 ? 'PASS' : 'FAIL'})`,
      );
    }
    console.log(
      `machine load average (1 min) at the end: ${loadavg()[0].toFixed(2)} on ${cpus().length} cpus (API, baseline, PostgreSQL and autocannon share them)`,
    );
    for (const contender of contenders) {
      const figures = combine(contender.rounds);
      if (figures.errors + figures.timeouts + figures.non2xx > 0) console.log(`WARNING: ${contender.label} had errors or non-2xx answers during the run`);
    }
    process.exitCode = 0;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await stopDatabase();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  const [, , , role, databaseUrl, port, pool, workers] = process.argv;
  (role === 'api' ? serveApi : serveBaseline)(databaseUrl, Number(port), Number(pool), Number(workers ?? 1)).catch((error) => {
    console.error(`${role} server: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(`bench:query failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
}
