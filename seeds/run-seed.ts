import { resolve } from 'node:path';
import { withCliDatabase } from '../src/database/cli-database';
import { seedDemoData } from './seed-database';
import { writeQhpFiles } from './write-qhp-files';

const USAGE = `usage: npm run seed -- [--providers N] [--out DIR]
  --providers N  demo providers to generate across the five demo issuers (default 2000)
  --out DIR      only write the QHP files (cms-data-index.json, plans.json, providers-N.json, drugs.json) to DIR
Without --out the files are loaded through the importer into DATABASE_URL, or the embedded cluster in .data/pg.`;

function parseArgs(argv: string[]): { providers: number; out: string | null } {
  let providers = 2000;
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--providers') providers = Number(argv[++i]);
    else if (arg === '--out') out = argv[++i];
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (!Number.isInteger(providers) || providers < 7) throw new Error(`--providers must be a whole number of at least 7 (the fixed demo cases)`);
  return { providers, out };
}

async function main(): Promise<void> {
  const { providers, out } = parseArgs(process.argv.slice(2));
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

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
