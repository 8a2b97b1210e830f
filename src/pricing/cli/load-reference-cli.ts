import 'reflect-metadata';
import { CliUsageError, parseCommandLine, requireFiles, runCommandLine } from '../../common/command-line';
import { CliDatabase, withCliDatabase } from '../../database/cli-database';
import { ReferenceCsvError } from '../reference-csv';
import { loadDrugCrosswalk, loadDrugPrices } from '../reference-data.loader';

const USAGE = `Usage: npm run load-reference -- [--crosswalk drug-ingredients.csv] [--prices drug-prices.csv]

Loads the ingredient/strength crosswalk (generic equivalents) and/or list prices (out-of-pocket estimates)
into the database named by DATABASE_URL, or the embedded one of \`npm start\`. Formats: docs/pricing-csv.md.
A file with any bad line loads nothing; rows for an RXCUI already loaded are replaced.`;

export { CliUsageError };

export interface LoadReferenceCommand {
  crosswalk: string | null;
  prices: string | null;
}

export function parseLoadReferenceCommand(argv: string[]): LoadReferenceCommand {
  const { values } = parseCommandLine(argv, { crosswalk: { type: 'string' }, prices: { type: 'string' } });
  const command: LoadReferenceCommand = { crosswalk: values.crosswalk ?? null, prices: values.prices ?? null };
  if (!command.crosswalk && !command.prices) throw new CliUsageError('give --crosswalk and/or --prices');
  return command;
}

/** Loads the named files (crosswalk first); `print` receives one line per file. */
export async function runLoadReference(command: LoadReferenceCommand, db: CliDatabase, print: (line: string) => void): Promise<void> {
  if (command.crosswalk) {
    const result = await loadDrugCrosswalk(db.database, command.crosswalk);
    print(`crosswalk: ${result.rows} rows loaded from ${result.file}`);
  }
  if (command.prices) {
    const result = await loadDrugPrices(db.database, command.prices);
    print(`prices: ${result.rows} rows loaded from ${result.file}`);
  }
}

async function main(): Promise<void> {
  const command = parseLoadReferenceCommand(process.argv.slice(2));
  // Before any database is opened (or an embedded one started).
  requireFiles([command.crosswalk, command.prices].filter((path): path is string => path !== null));
  await withCliDatabase(async (db) => {
    console.error(`using ${db.origin}`);
    await runLoadReference(command, db, (line) => console.log(line));
  });
}

if (require.main === module) {
  runCommandLine(USAGE, main, (error) => (error instanceof ReferenceCsvError ? `Error: ${error.message}` : null));
}
