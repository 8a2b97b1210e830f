import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadFeedConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { FeedFetcher } from '../../src/feeds/feed-fetcher';

/**
 * `npm run bench:ingest -- --over-http`: the same generated files served over loopback HTTP (node:http,
 * with a cms-data-index.json listing them) and loaded through the feed fetch path (undici download,
 * decoding, size cap, health records, then the importer), to compare with loading them from disk.
 */

export interface ServedFiles {
  indexUrl: string;
  /** Bytes served (the data files, once each). */
  bytes: number;
  close(): Promise<void>;
}

const INDEX_KEYS = ['plan_urls', 'provider_urls', 'formulary_urls'] as const;

/** Serves the files a local cms-data-index.json lists, and an index listing them by their HTTP URLs. */
export async function serveIndexOverHttp(indexPath: string): Promise<ServedFiles> {
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as Record<string, string[] | undefined>;
  const listed = INDEX_KEYS.flatMap((key) => (index[key] ?? []).map((url) => ({ key, path: resolve(dirname(indexPath), url) })));
  const routes = new Map(listed.map((file, i) => [`/files/${i}-${basename(file.path)}`, file.path]));
  const routeOf = (path: string) => [...routes].find(([, file]) => file === path)![0];

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
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': statSync(path).size });
    createReadStream(path, { highWaterMark: 1 << 20 }).pipe(response);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    indexUrl: `${base}/cms-data-index.json`,
    bytes: [...routes.values()].reduce((sum, path) => sum + statSync(path).size, 0),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export interface FetchMeasurement {
  seconds: number;
  /** Of `seconds`, the importer's (the rest: the index, downloads to the spool and health records). */
  importSeconds: number | null;
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
  const fetcher = new FeedFetcher(db, loadFeedConfig({}), { loadedBy: 'bench-ingest' });
  try {
    const started = process.hrtime.bigint();
    const result = await fetcher.fetch({ issuerId, indexUrl, issuerName: 'Bench issuer', source: 'bench' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(timer);
    sample();
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return {
      seconds,
      importSeconds: result.import ? result.import.durationMs / 1000 : null,
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
