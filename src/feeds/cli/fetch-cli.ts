import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, FeedConfig, loadCliConfig, loadFeedConfig } from '../../config/app-config';
import { processEnvironment } from '../../config/environment';
import { CliUsageError, parseCommandLine, runCommandLine } from '../../common/command-line';
import { withCliDatabase } from '../../database/cli-database';
import { cleanUpAbandonedLoads } from '../../ingest/qhp-importer';
import { FeedFetcher, FeedRunResult } from '../feed-fetcher';
import { jobQueueOn } from '../../jobs/job-queue';
import { enqueueFeedChecks } from '../feed-jobs.service';
import { FeedSource } from '../feed-store';
import { DownloadError } from '../http-download';
import { PufError, readPuf } from '../puf-reader';

/**
 * npm run fetch -- <cms-data-index.json URL> --issuer 12345 [--issuer-name "Name"]
 * npm run fetch -- --puf <Machine-Readable URL PUF: .xlsx or .csv, a path or a URL> [--state OH] [--concurrency N]
 * npm run fetch -- --refresh          (check every known feed, load the changed ones)
 *   --enqueue (with --puf or --refresh): queue the checks as jobs for the API instances' workers instead
 *
 * Common options: [--max-file-size 8GB] [--workers N]. Settings not given come from the FEED_* environment
 * variables. Uses DATABASE_URL when set; otherwise the embedded PostgreSQL of `npm start` (.data/pg).
 */

const USAGE =
  'Usage: npm run fetch -- <index URL> --issuer <5-digit id> [--issuer-name "Name"]\n' +
  '       npm run fetch -- --puf <file or URL (.xlsx or .csv)> [--state XX] [--concurrency N]\n' +
  '       npm run fetch -- --refresh [--concurrency N]\n' +
  '       --enqueue (with --puf or --refresh): queue the checks for the running API instances instead\n' +
  '       common: [--max-file-size 8GB] [--workers N]';
/** Connections per concurrent load: one COPY per provider table, the heartbeat, and index builds. */
const CONNECTIONS_PER_LOAD = 5;
const ABANDONED_AFTER_MS = 2 * 60_000;

const UsageError = CliUsageError;

interface CliOptions {
  mode: 'url' | 'puf' | 'refresh';
  target?: string;
  issuerId?: string;
  issuerName?: string;
  state?: string;
  parseWorkers?: number;
  enqueue: boolean;
  config: FeedConfig;
}

function parseArguments(argv: string[]): CliOptions {
  const text = { type: 'string' } as const;
  const { values: flags, positionals: positional } = parseCommandLine(
    argv,
    {
      issuer: text,
      'issuer-name': text,
      puf: text,
      state: text,
      concurrency: text,
      'max-file-size': text,
      workers: text,
      refresh: { type: 'boolean' },
      enqueue: { type: 'boolean' },
    },
    { positionals: true },
  );

  const env = { ...processEnvironment() };
  if (flags.concurrency) env.FEED_CONCURRENCY = flags.concurrency;
  if (flags['max-file-size']) env.FEED_MAX_FILE_SIZE = flags['max-file-size'];
  let config: FeedConfig;
  try {
    config = loadFeedConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new UsageError(error.message.replace('FEED_CONCURRENCY', '--concurrency').replace('FEED_MAX_FILE_SIZE', '--max-file-size'));
    throw error;
  }
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64))
    throw new UsageError('--workers must be a whole number from 0 to 64');
  const base = { config, parseWorkers: workers, enqueue: flags.enqueue === true };

  if (flags.refresh) {
    if (positional.length || flags.puf || flags.issuer) throw new UsageError(`--refresh takes no URL, --puf or --issuer`);
    return { ...base, mode: 'refresh' };
  }
  if (flags.puf) {
    if (positional.length || flags.issuer) throw new UsageError(`--puf takes no index URL or --issuer (the file lists them)`);
    return { ...base, mode: 'puf', target: flags.puf, state: flags.state?.toUpperCase() };
  }
  if (base.enqueue) throw new UsageError(`--enqueue goes with --puf or --refresh`);
  if (positional.length !== 1) throw new UsageError(`give one index URL (or --puf, or --refresh)`);
  if (!flags.issuer) throw new UsageError(`--issuer is required (the 5-digit HIOS issuer id)`);
  return { ...base, mode: 'url', target: positional[0], issuerId: flags.issuer, issuerName: flags['issuer-name'] };
}

function describe(result: FeedRunResult): string {
  const took = `${(result.durationMs / 1000).toFixed(1)} s`;
  switch (result.outcome) {
    case 'published':
      return `${result.issuerId}: published version ${result.versionId} (${took})`;
    case 'unchanged':
      return `${result.issuerId}: unchanged, same content as published version ${result.versionId} (${took})`;
    case 'not-modified':
      return `${result.issuerId}: not modified since the last check (${took})`;
    default:
      return `${result.issuerId}: FAILED (${result.errorCode}) ${result.error}`;
  }
}

/** The PUF's issuers: read from a local file, or downloaded first when given as a URL. */
async function pufSources(fetcher: FeedFetcher, target: string, state: string | undefined): Promise<FeedSource[]> {
  let path = target;
  let spool: string | null = null;
  try {
    if (/^https?:\/\//i.test(target)) {
      spool = await mkdtemp(join(tmpdir(), 'puf-'));
      path = join(spool, 'puf');
      await fetcher.download(target, path);
    }
    const { entries, skipped } = await readPuf(path, target);
    for (const skip of skipped) console.log(`  skipped row ${skip.row}: ${skip.reason}`);
    const chosen = entries.filter((entry) => !state || entry.state === state);
    console.log(`${target}: ${entries.length} issuers${state ? `, ${chosen.length} in ${state}` : ''}`);
    return chosen.map((entry) => ({ issuerId: entry.issuerId, indexUrl: entry.indexUrl, issuerName: entry.issuerName, state: entry.state, source: 'puf' }));
  } finally {
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}

let interrupted = false;

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const abort = new AbortController();
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error('\ninterrupted: stopping (nothing unfinished is published); press Ctrl-C again to quit at once');
    abort.abort();
  });
  const concurrency = options.mode === 'url' ? 1 : options.config.concurrency;
  return withCliDatabase(
    async ({ dataSource, origin }) => {
      console.log(`database: ${origin}`);
      await cleanUpAbandonedLoads(dataSource, ABANDONED_AFTER_MS);
      const fetcher = new FeedFetcher(dataSource, options.config, { loadedBy: loadCliConfig().cliUser, parseWorkers: options.parseWorkers });
      try {
        let results: FeedRunResult[];
        if (options.enqueue) {
          const sources = options.mode === 'puf' ? await pufSources(fetcher, options.target!, options.state) : [];
          for (const source of sources) await fetcher.store.register(source);
          const issuerIds = options.mode === 'puf' ? sources.map((source) => source.issuerId) : (await fetcher.store.feeds()).map((feed) => feed.issuerId);
          const boss = jobQueueOn(dataSource, { supervise: false });
          await boss.start();
          try {
            const jobs = await enqueueFeedChecks(boss, issuerIds);
            console.log(`${jobs.length} feed checks queued (${issuerIds.length - jobs.length} already waiting); the API instances' workers run them`);
          } finally {
            await boss.stop({ graceful: false, close: false });
          }
          return 0;
        }
        if (options.mode === 'url') {
          const result = await fetcher.fetch(
            { issuerId: options.issuerId!, indexUrl: options.target!, issuerName: options.issuerName, source: 'cli' },
            abort.signal,
          );
          console.log(describe(result));
          results = [result];
        } else {
          const report = (result: FeedRunResult) => console.log(describe(result));
          results =
            options.mode === 'puf'
              ? await fetcher.fetchAll(await pufSources(fetcher, options.target!, options.state), report, abort.signal)
              : await fetcher.refreshAll(abort.signal, report);
          const failed = results.filter((result) => result.outcome === 'failed').length;
          console.log(
            `${results.length} feeds: ${results.length - failed} ok, ${failed} broken (details: GraphQL feeds(brokenOnly: true) or /export/feeds.csv)`,
          );
        }
        return results.some((result) => result.outcome === 'failed') ? 1 : 0;
      } finally {
        await fetcher.close();
      }
    },
    { poolSize: CONNECTIONS_PER_LOAD * concurrency, log: (line) => line.startsWith('applied migration') && console.log(line) },
  );
}

runCommandLine(USAGE, main, (error) => {
  if (error instanceof PufError || error instanceof DownloadError) return error.message;
  if (interrupted) return `fetch interrupted: ${error instanceof Error ? error.message : error}; nothing unfinished was published`;
  return null;
});
