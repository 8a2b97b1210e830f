import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { CliUsageError as UsageError, parseCommandLine, requireFiles, runCommandLine } from '../../common/command-line';
import { loadCliConfig } from '../../config/app-config';
import { withCliDatabase } from '../../database/cli-database';
import { ImportError, ImportProgress, ImportResult, RejectionSample } from '../import-contract';
import { cleanUpAbandonedLoads, QhpImporter } from '../qhp-importer';

/**
 * npm run import -- <cms-data-index.json | plans.json providers.json drugs.json ...> --issuer 12345
 *                   [--issuer-name "Vandelay Insurance"] [--max-file-size 2GB]
 *                   [--workers N]   (threads parsing providers.json; default one per core but one for files >= 16 MB, 0 = none)
 *                   [--replace-all]  (publish exactly these files; default: kinds not given carry forward from the published version)
 *                   [--allow-shrink] (publish even if the load removes more than IMPORT_MAX_SHRINK_PERCENT of the published rows)
 *
 * Uses DATABASE_URL when set; otherwise the embedded PostgreSQL of `npm start` (.data/pg): the one the
 * running app serves, or one started for the duration of the command.
 */

const USAGE = `Usage: npm run import -- <cms-data-index.json | plans.json providers*.json drugs*.json | *.csv ...> --issuer <5-digit id>
                          [--issuer-name "Name"] [--max-file-size 2GB] [--workers N] [--replace-all] [--allow-shrink]
  --issuer         the carrier's 5-digit HIOS issuer id (required)
  --issuer-name    the carrier's name, when no plans file gives it
  --max-file-size  largest file accepted, e.g. 500MB or 2GB
  --workers        threads parsing providers.json (default one per core, one for files under 16 MB; 0: none)
  --replace-all    publish exactly the kinds of file given (default: the kinds not given carry forward from the published version)
  --allow-shrink   publish even when the load removes more of the published listings or formulary entries than IMPORT_MAX_SHRINK_PERCENT
Loads into DATABASE_URL, or the embedded PostgreSQL of \`npm start\` (.data/pg).`;
const SAMPLES_SHOWN = 3;
/**
 * One COPY per provider table and one connection for other queries (copy-writer.ts COPY_PLAN); while the
 * drug tables COPY, two more build the provider tables' indexes (version-loader.ts).
 */
const IMPORT_POOL_SIZE = 5;
/** Loads of other processes beat every 5 s; one silent this long has died (e.g. an interrupted CLI run). */
const ABANDONED_AFTER_MS = 2 * 60_000;

interface CliOptions {
  paths: string[];
  issuerId: string;
  issuerName?: string;
  maxFileBytes?: number;
  parseWorkers?: number;
  replaceAll: boolean;
  allowShrink: boolean;
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`--max-file-size "${text}" is not a size such as 500MB or 2GB`);
  const units: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
  return Math.round(Number(match[1]) * units[(match[2] ?? 'B').toUpperCase()]);
}

function parseArguments(argv: string[]): CliOptions {
  const { values: flags, positionals: paths } = parseCommandLine(
    argv,
    {
      issuer: { type: 'string' },
      'issuer-name': { type: 'string' },
      'max-file-size': { type: 'string' },
      workers: { type: 'string' },
      'replace-all': { type: 'boolean' },
      'allow-shrink': { type: 'boolean' },
    },
    { positionals: true },
  );
  if (!flags.issuer) throw new UsageError('--issuer is required (the 5-digit HIOS issuer id)');
  if (!paths.length) throw new UsageError('no files given');
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64))
    throw new UsageError('--workers must be a whole number from 0 to 64');
  return {
    paths,
    parseWorkers: workers,
    issuerId: flags.issuer,
    issuerName: flags['issuer-name'],
    maxFileBytes: flags['max-file-size'] ? parseSize(flags['max-file-size']) : undefined,
    replaceAll: flags['replace-all'] === true,
    allowShrink: flags['allow-shrink'] === true,
  };
}

/** A progress bar over bytes (its ETA), with records and records/s alongside. */
function progressBar(): { update(progress: ImportProgress): void; stop(): void } {
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {records} records ({rate}/s) | {rejected} rejected | ETA {eta_formatted} | {phase} {file}',
    hideCursor: true,
    fps: 5,
  });
  const startedAt = Date.now();
  let started = false;
  return {
    update(progress) {
      const payload = {
        records: progress.recordsRead.toLocaleString('en-US'),
        rate: Math.round(progress.recordsRead / Math.max((Date.now() - startedAt) / 1000, 0.001)).toLocaleString('en-US'),
        rejected: progress.recordsRejected.toLocaleString('en-US'),
        phase: progress.phase,
        file: progress.file ?? '',
      };
      if (!started) {
        bar.start(Math.max(progress.bytesTotal, 1), progress.bytesRead, payload);
        started = true;
      } else {
        bar.update(progress.bytesRead, payload);
      }
    },
    stop: () => bar.stop(),
  };
}

function describeSample(sample: RejectionSample): string {
  return `      ${sample.file} ${sample.path}: ${sample.message}`;
}

/** "version 3 of issuer 10001 (id 57)": the issuer's own count of its loads, with the global id beside it. */
function describeVersion(result: ImportResult, number: number | null): string {
  return number == null
    ? `version id ${result.versionId} of issuer ${result.issuerId}`
    : `version ${number} of issuer ${result.issuerId} (id ${result.versionId})`;
}

function printResult(result: ImportResult, number: number | null): void {
  const { report } = result;
  console.log(
    result.unchanged
      ? `unchanged: these files are already the published ${describeVersion(result, number)}`
      : `published ${describeVersion(result, number)} in ${(result.durationMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `loaded:   ${
      Object.entries(report.loaded)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ') || 'nothing'
    }`,
  );
  if (report.carriedForward?.length) {
    console.log(`replaced: ${report.replaced?.join(', ')}; carried forward from version ${report.carriedFromVersionId}: ${report.carriedForward.join(', ')}`);
  }
  const shrink = Object.entries(report.shrink ?? {});
  if (shrink.length) console.log(`fewer than published: ${shrink.map(([name, f]) => `${name} ${f.before} → ${f.after} (-${f.percent}%)`).join(', ')}`);
  const dropped = Object.entries(report.droppedWithRemovedPlans ?? {});
  if (dropped.length) console.log(`left out (their plan is no longer in plans.json): ${dropped.map(([table, n]) => `${table} ${n}`).join(', ')}`);
  const rejected = Object.entries(report.rejected ?? {});
  if (rejected.length) console.log(`rejected: ${rejected.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  for (const [reason, count] of Object.entries(report.rejectedByReason ?? {})) {
    console.log(`  ${reason}: ${count}`);
    for (const sample of (report.samples[reason] ?? []).slice(0, SAMPLES_SHOWN)) console.log(describeSample(sample));
  }
  const warnings = Object.entries(report.warningsByReason ?? {});
  if (warnings.length) console.log('warnings:');
  for (const [reason, count] of warnings) {
    console.log(`  ${reason}: ${count}`);
    for (const sample of report.warnings.filter((w) => w.reason === reason).slice(0, SAMPLES_SHOWN)) console.log(describeSample(sample));
  }
}

let interrupted = false;

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  // Before any database is opened (or an embedded one started).
  requireFiles(options.paths);
  const abort = new AbortController();
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error('\ninterrupted: stopping the import (nothing of it will be published); press Ctrl-C again to quit at once');
    abort.abort();
  });

  return withCliDatabase(
    async ({ dataSource, origin }) => {
      console.log(`database: ${origin}`);
      const { failedVersionIds } = await cleanUpAbandonedLoads(dataSource, ABANDONED_AFTER_MS);
      if (failedVersionIds.length) console.log(`cleaned up abandoned load(s): version ${failedVersionIds.join(', ')}`);
      const bar = progressBar();
      const config = loadCliConfig();
      try {
        const result = await new QhpImporter(dataSource).import({
          issuerId: options.issuerId,
          issuerName: options.issuerName,
          paths: options.paths,
          source: 'cli',
          loadedBy: config.cliUser,
          maxFileBytes: options.maxFileBytes,
          parseWorkers: options.parseWorkers,
          replaceAll: options.replaceAll,
          allowShrink: options.allowShrink,
          ...config.imports,
          signal: abort.signal,
          onProgress: (progress) => bar.update(progress),
        });
        bar.stop();
        const [version] = await dataSource.query(`SELECT number FROM dataset_version WHERE id = $1`, [result.versionId]);
        printResult(result, version?.number ?? null);
        return 0;
      } finally {
        bar.stop();
      }
    },
    // Only our own lines (migrations); the embedded server's log would drown the progress bar.
    { poolSize: IMPORT_POOL_SIZE, log: (line) => line.startsWith('applied migration') && console.log(line) },
  );
}

runCommandLine(USAGE, main, (error) => {
  if (error instanceof ImportError) return `import failed (${error.code}): ${error.message}`;
  // Ctrl-C also stops an embedded server (same process group): its unfinished version is failed on the next run.
  if (interrupted) return `import interrupted: ${error instanceof Error ? error.message : error}; nothing was published`;
  return null;
});
