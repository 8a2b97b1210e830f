import 'reflect-metadata';
import { CliDatabase, withCliDatabase } from '../../database/cli-database';
import { ReferenceCsvError } from '../reference-csv';
import { loadDrugCrosswalk, loadDrugPrices } from '../reference-data.loader';

const USAGE = `Usage:
  ts-node --transpile-only src/pricing/cli/load-reference-cli.ts [--crosswalk drug-ingredients.csv] [--prices drug-prices.csv]

Loads the ingredient/strength crosswalk (generic equivalents) and/or list prices (out-of-pocket estimates)
into the database named by DATABASE_URL, or the embedded one of \`npm start\`. Formats: docs/pricing-csv.md.
A file with any bad line loads nothing; rows for an RXCUI already loaded are replaced.`;

export class CliUsageError extends Error {}

export interface LoadReferenceCommand {
  crosswalk: string | null;
  prices: string | null;
}

export function parseLoadReferenceCommand(argv: string[]): LoadReferenceCommand {
  const command: LoadReferenceCommand = { crosswalk: null, prices: null };
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i];
    const value = argv[i + 1];
    if ((option === '--crosswalk' || option === '--prices') && value !== undefined && !value.startsWith('--')) {
      command[option === '--crosswalk' ? 'crosswalk' : 'prices'] = value;
      i++;
    } else {
      throw new CliUsageError(`unexpected argument "${option}"`);
    }
  }
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
  let command: LoadReferenceCommand;
  try {
    command = parseLoadReferenceCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  await withCliDatabase(async (db) => {
    console.error(`using ${db.origin}`);
    await runLoadReference(command, db, (line) => console.log(line));
  });
}

if (require.main === module) {
  main().catch((error) => {
    const known = error instanceof ReferenceCsvError || (error as NodeJS.ErrnoException)?.code === 'ENOENT';
    console.error(known ? `Error: ${error.message}` : error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
