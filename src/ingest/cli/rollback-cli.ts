import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { withCliDatabase } from '../../database/cli-database';
import { ImportError } from '../import-contract';
import { QhpImporter } from '../qhp-importer';

/**
 * npm run rollback -- --issuer 12345 [--to-version N]
 *
 * Republishes a kept version of the issuer (default: the one before the published version) in one
 * transaction, as a load publishes. Uses DATABASE_URL when set; otherwise the embedded PostgreSQL of `npm start`.
 */

const USAGE = 'usage: npm run rollback -- --issuer <5-digit id> [--to-version N]   (default: the kept version before the published one)';

export class RollbackUsageError extends Error {}

export interface RollbackOptions {
  issuerId: string;
  toVersion?: number;
}

export function parseRollbackArguments(argv: string[]): RollbackOptions {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') throw new RollbackUsageError(USAGE);
    if (!arg.startsWith('--')) throw new RollbackUsageError(`unexpected argument "${arg}"\n${USAGE}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new RollbackUsageError(`--${name} needs a value\n${USAGE}`);
    if (name !== 'issuer' && name !== 'to-version') throw new RollbackUsageError(`unknown option --${name}\n${USAGE}`);
    flags[name] = value;
  }
  if (!flags.issuer) throw new RollbackUsageError(`--issuer is required (the 5-digit HIOS issuer id)\n${USAGE}`);
  const toVersion = flags['to-version'] === undefined ? undefined : Number(flags['to-version']);
  if (toVersion !== undefined && !(Number.isSafeInteger(toVersion) && toVersion > 0)) {
    throw new RollbackUsageError(`--to-version must be a version id, e.g. 12 (got "${flags['to-version']}")`);
  }
  return { issuerId: flags.issuer, toVersion };
}

/** Rolls back and says what happened in one line. */
export async function runRollback(dataSource: DataSource, options: RollbackOptions): Promise<string> {
  const { versionId, previousVersionId } = await new QhpImporter(dataSource).rollback(options);
  return `issuer ${options.issuerId}: version ${versionId} is published again (version ${previousVersionId} is superseded)`;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => parseRollbackArguments(process.argv.slice(2)))
    .then((options) => withCliDatabase(async ({ dataSource }) => console.log(await runRollback(dataSource, options))))
    .then(
      () => process.exit(0),
      (error) => {
        if (error instanceof RollbackUsageError) console.error(error.message);
        else if (error instanceof ImportError) console.error(`rollback refused (${error.code}): ${error.message}`);
        else console.error(error instanceof Error ? error.stack : error);
        process.exit(error instanceof RollbackUsageError ? 2 : 1);
      },
    );
}
