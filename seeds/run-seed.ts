import { resolve } from 'node:path';
import { CliUsageError, parseCommandLine, runCommandLine } from '../src/common/command-line';
import { withCliDatabase } from '../src/database/cli-database';
import { seedDemoData } from './seed-database';
import { writeQhpFiles } from './write-qhp-files';

const USAGE = `Usage: npm run seed -- [--providers N] [--out DIR]
  --providers N  demo providers to generate across the five demo issuers (default 2000)
  --out DIR      only write the QHP files (cms-data-index.json, plans.json, providers-N.json, drugs.json) to DIR
Without --out the files are loaded through the importer into DATABASE_URL, or the embedded cluster in .data/pg.`;

function parseSeedArgs(argv: string[]): { providers: number; out: string | null } {
  const { values } = parseCommandLine(argv, { providers: { type: 'string' }, out: { type: 'string' } });
  const providers = values.providers === undefined ? 2000 : Number(values.providers);
  if (!Number.isInteger(providers) || providers < 7) throw new CliUsageError(`--providers must be a whole number of at least 7 (the fixed demo cases)`);
  return { providers, out: values.out ?? null };
}

async function main(): Promise<void> {
  const { providers, out } = parseSeedArgs(process.argv.slice(2));
  if (out) {
    const issuers = await writeQhpFiles(resolve(out), { providers });
    for (const issuer of issuers) console.log(`${issuer.issuerId} ${issuer.issuerName}: ${issuer.indexPath}`);
    return;
  }
  await withCliDatabase(
    async (db) => {
      console.log(`seeding ${providers} providers into ${db.origin}`);
      await seedDemoData(db.url, providers, (line) => console.log(line));
    },
    { log: (line) => console.log(line) },
  );
}

runCommandLine(USAGE, main, (error) => (error instanceof Error ? error.message : String(error)));
