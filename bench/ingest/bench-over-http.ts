import { ChildProcess, fork } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadFeedConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { FeedFetcher } from '../../src/feeds/feed-fetcher';
import { ImportProgress } from '../../src/ingest/import-contract';
import { threadCpuSeconds } from '../lib/proc-cpu';

/**
 * `npm run bench:ingest -- --over-http`: the same generated files served over loopback HTTP (node:http,
 * with a cms-data-index.json listing them) and loaded through the feed fetch path (undici download,
 * decoding, size cap, health records, the importer following the files as they download), to compare
 * with loading them from disk.
 *
 * The files are served by a process of their own, a plain static server (no compression, each file
 * streamed from disk as is): the measured process does only what it does against a carrier's CDN, and
 * the server's CPU, which a CDN would spend, is reported apart.
 */

export interface ServedRequest {
  path: string;
  /** Epoch milliseconds: the request arrived, the last byte was handed to the socket. */
  startedAt: number;
  endedAt: number | null;
  bytes: number;
}

export interface ServerReport {
  /** CPU seconds the server process spent while the files were served. */
  cpuSeconds: number;
  requests: ServedRequest[];
}

export interface ServedFiles {
  indexUrl: string;
  /** Bytes served (the data files, once each). */
  bytes: number;
  /** Stops the server; what it served, and its CPU. */
  close(): Promise<ServerReport>;
}

const INDEX_KEYS = ['plan_urls', 'provider_urls', 'formulary_urls'] as const;

/** Server process side: serves the files a local cms-data-index.json lists, and an index listing them by their HTTP URLs. */
async function serveInThisProcess(indexPath: string): Promise<{ indexUrl: string; bytes: number; report(): ServerReport; server: Server }> {
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as Record<string, string[] | undefined>;
  const listed = INDEX_KEYS.flatMap((key) => (index[key] ?? []).map((url) => ({ key, path: resolve(dirname(indexPath), url) })));
  const routes = new Map(listed.map((file, i) => [`/files/${i}-${basename(file.path)}`, file.path]));
  const routeOf = (path: string) => [...routes].find(([, file]) => file === path)![0];
  const requests: ServedRequest[] = [];
  const cpuAtStart = process.cpuUsage();

  const server: Server = createServer((request, response) => {
    if (request.url === '/cms-data-index.json') {
      const urls = Object.fromEntries(INDEX_KEYS.map((key) => [key, listed.filter((file) => file.key === key).map((file) => `${base}${routeOf(file.path)}`)]));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(urls));
      return;
    }
    const path = routes.get(request.url ?? '');
    if (!path) {
      response.writeHead(404).end();
      return;
    }
    const size = statSync(path).size;
    const served: ServedRequest = { path: basename(path), startedAt: Date.now(), endedAt: null, bytes: size };
    requests.push(served);
    response.on('finish', () => (served.endedAt = Date.now()));
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': size });
    createReadStream(path, { highWaterMark: 1 << 20 }).pipe(response);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    indexUrl: `${base}/cms-data-index.json`,
    bytes: [...routes.values()].reduce((sum, path) => sum + statSync(path).size, 0),
    report: () => {
      const cpu = process.cpuUsage(cpuAtStart);
      return { cpuSeconds: (cpu.user + cpu.system) / 1e6, requests };
    },
    server,
  };
}

/** Serves the files a local cms-data-index.json lists from a process of its own. */
export async function serveIndexOverHttp(indexPath: string): Promise<ServedFiles> {
  const child: ChildProcess = fork(__filename, ['--serve-index', indexPath], { execArgv: ['-r', 'ts-node/register/transpile-only'] });
  const ready = await new Promise<{ indexUrl: string; bytes: number }>((resolveReady, reject) => {
    child.once('message', (message) => resolveReady(message as { indexUrl: string; bytes: number }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the file server exited with code ${code}`)));
  });
  return {
    ...ready,
    close: () =>
      new Promise<ServerReport>((resolveReport, reject) => {
        child.removeAllListeners('exit');
        child.once('message', (message) => resolveReport(message as ServerReport));
        child.once('exit', (code) => reject(new Error(`the file server exited with code ${code} before reporting`)));
        child.send('close');
      }),
  };
}

export interface FetchMeasurement {
  seconds: number;
  /** Epoch milliseconds when the check started (to place the server's request times). */
  startedAt: number;
  /**
   * Of `seconds`, the importer's, which overlaps the files' downloads (the rest: the index, the start of
   * the plans and first providers bodies, health records).
   */
  importSeconds: number | null;
  /** When each import phase (and each file's reading) started, in seconds from the start of the check. */
  phases: string;
  /** CPU seconds of the measuring process during the check, and of its main thread. */
  cpuSeconds: number;
  mainThreadCpuSeconds: number | null;
  outcome: string;
  error: string | null;
  counts: Record<string, number>;
  peakRssMb: number;
}

/** Child process side: one check of the served feed (download and load), timed, with the process's peak RSS. */
export async function measureFetch(databaseUrl: string, issuerId: string, indexUrl: string, poolSize: number): Promise<FetchMeasurement> {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 100);
  const db = new DataSource(buildDataSourceOptions({ url: databaseUrl, poolSize }));
  await db.initialize();
  const startedAt = Date.now();
  const firstSeen = new Map<string, number>();
  const onProgress = (_issuer: string, progress: ImportProgress) => {
    const key = progress.phase === 'reading' ? `reading ${basename(progress.file ?? '')}` : progress.phase;
    if (!firstSeen.has(key)) firstSeen.set(key, Date.now());
  };
  const fetcher = new FeedFetcher(db, loadFeedConfig({}), { loadedBy: 'bench-ingest', onProgress });
  try {
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const mainBefore = threadCpuSeconds(process.pid);
    const result = await fetcher.fetch({ issuerId, indexUrl, issuerName: 'Bench issuer', source: 'bench' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const mainAfter = threadCpuSeconds(process.pid);
    clearInterval(timer);
    sample();
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return {
      seconds,
      startedAt,
      importSeconds: result.import ? result.import.durationMs / 1000 : null,
      phases: [...firstSeen].map(([phase, at]) => `${phase} @${((at - startedAt) / 1000).toFixed(1)}s`).join(', '),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      mainThreadCpuSeconds: mainBefore === null || mainAfter === null ? null : mainAfter - mainBefore,
      outcome: result.outcome,
      error: result.error,
      counts: result.import?.counts ?? {},
      peakRssMb: Math.max(Math.round(peak / 1024 / 1024), hwm ? Math.round(Number(hwm[1]) / 1024) : 0),
    };
  } finally {
    clearInterval(timer);
    await fetcher.close();
    await db.destroy();
  }
}

/** What the server sent and when, relative to the start of the check, and its CPU. */
export function describeServing(report: ServerReport, measured: FetchMeasurement): string {
  const at = (ms: number | null) => (ms === null ? 'unfinished' : `${((ms - measured.startedAt) / 1000).toFixed(1)}s`);
  const files = report.requests.map((r) => `${r.path} ${(r.bytes / 1024 / 1024).toFixed(0)} MB @${at(r.startedAt)}-${at(r.endedAt)}`);
  return `file server (own process): CPU ${report.cpuSeconds.toFixed(1)} s; sent ${files.join(', ')}`;
}

if (process.argv[2] === '--serve-index') {
  serveInThisProcess(process.argv[3]).then(
    (served) => {
      process.on('message', () => {
        const report = served.report();
        served.server.close();
        served.server.closeAllConnections();
        process.send!(report, () => process.exit(0));
      });
      process.send!({ indexUrl: served.indexUrl, bytes: served.bytes });
    },
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
