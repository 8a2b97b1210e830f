import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { CliUsageError, parseCommandLine, runCommandLine } from '../../common/command-line';
import { withCliDatabase } from '../../database/cli-database';
import { ImportError } from '../import-contract';
import { QhpImporter } from '../qhp-importer';

/**
 * npm run rollback -- --issuer 12345 [--to-version N]
 *
 * Republishes a kept version of the issuer (default: the one before the published version) in one
 * transaction, as a load publishes. Uses DATABASE_URL when set; otherwise the embedded PostgreSQL of `npm start`.
 */

const USAGE = `Usage: npm run rollback -- --issuer <5-digit id> [--to-version N]
  --issuer      the carrier's 5-digit HIOS issuer id (required)
  --to-version  the kept version to publish again (default: the kept version before the published one)
Uses DATABASE_URL, or the embedded PostgreSQL of \`npm start\` (.data/pg).`;

/** Wrong arguments (the shared command-line usage error). */
export { CliUsageError as RollbackUsageError };

export interface RollbackOptions {
  issuerId: string;
  toVersion?: number;
}

export function parseRollbackArguments(argv: string[]): RollbackOptions {
  const { values } = parseCommandLine(argv, { issuer: { type: 'string' }, 'to-version': { type: 'string' } });
  if (!values.issuer) throw new CliUsageError('--issuer is required (the 5-digit HIOS issuer id)');
  const toVersion = values['to-version'] === undefined ? undefined : Number(values['to-version']);
  if (toVersion !== undefined && !(Number.isSafeInteger(toVersion) && toVersion > 0)) {
    throw new CliUsageError(`--to-version must be a version id, e.g. 12 (got "${values['to-version']}")`);
  }
  return { issuerId: values.issuer, toVersion };
}

/** Rolls back and says what happened in one line. */
export async function runRollback(dataSource: DataSource, options: RollbackOptions): Promise<string> {
  const { versionId, previousVersionId } = await new QhpImporter(dataSource).rollback(options);
  return `issuer ${options.issuerId}: version ${versionId} is published again (version ${previousVersionId} is superseded)`;
}

if (require.main === module) {
  runCommandLine(
    USAGE,
    async () => {
      const options = parseRollbackArguments(process.argv.slice(2));
      await withCliDatabase(async ({ dataSource }) => console.log(await runRollback(dataSource, options)));
    },
    (error) => (error instanceof ImportError ? `rollback refused (${error.code}): ${error.message}` : null),
  );
}
