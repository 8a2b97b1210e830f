import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
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

const USAGE =
  'usage: npm run import -- <cms-data-index.json | plans.json providers*.json drugs*.json | *.csv ...> --issuer <5-digit id> ' +
  '[--issuer-name "Name"] [--max-file-size 2GB] [--workers N] [--replace-all] [--allow-shrink]';
/** Options that take no value. */
const SWITCHES = ['replace-all', 'allow-shrink'];
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

class UsageError extends Error {}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)?$/i.exec(text.trim());
  if (!match) throw new UsageError(`--max-file-size "${text}" is not a size such as 500MB or 2GB`);
  const units: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };
  return Math.round(Number(match[1]) * units[(match[2] ?? 'B').toUpperCase()]);
}

function parseArguments(argv: string[]): CliOptions {
  const paths: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    if (!arg.startsWith('--')) {
      paths.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (SWITCHES.includes(name) && inline === undefined) {
      flags[name] = 'true';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value\n${USAGE}`);
    flags[name] = value;
  }
  const known = ['issuer', 'issuer-name', 'max-file-size', 'workers', ...SWITCHES];
  const unknown = Object.keys(flags).filter((name) => !known.includes(name));
  if (unknown.length) throw new UsageError(`unknown option --${unknown[0]}\n${USAGE}`);
  if (!flags.issuer) throw new UsageError(`--issuer is required (the 5-digit HIOS issuer id)\n${USAGE}`);
  if (!paths.length) throw new UsageError(`no files given\n${USAGE}`);
  const workers = flags.workers === undefined ? undefined : Number(flags.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64))
    throw new UsageError('--workers must be a whole number from 0 to 64');
  return {
    paths,
    parseWorkers: workers,
    issuerId: flags.issuer,
    issuerName: flags['issuer-name'],
    maxFileBytes: flags['max-file-size'] ? parseSize(flags['max-file-size']) : undefined,
    replaceAll: flags['replace-all'] === 'true',
    allowShrink: flags['allow-shrink'] === 'true',
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

function printResult(result: ImportResult): void {
  const { report } = result;
  console.log(
    result.unchanged
      ? `unchanged: these files are already issuer ${result.issuerId}'s published version ${result.versionId}`
      : `published version ${result.versionId} of issuer ${result.issuerId} in ${(result.durationMs / 1000).toFixed(1)} s`,
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
        printResult(result);
        return 0;
      } finally {
        bar.stop();
      }
    },
    // Only our own lines (migrations); the embedded server's log would drown the progress bar.
    { poolSize: IMPORT_POOL_SIZE, log: (line) => line.startsWith('applied migration') && console.log(line) },
  );
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof UsageError) console.error(error.message);
    else if (error instanceof ImportError) console.error(`import failed (${error.code}): ${error.message}`);
    // Ctrl-C also stops an embedded server (same process group): its unfinished version is failed on the next run.
    else if (interrupted) console.error(`import interrupted: ${error instanceof Error ? error.message : error}; nothing was published`);
    else console.error(error instanceof Error ? error.stack : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
