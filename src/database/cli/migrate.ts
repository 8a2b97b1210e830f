import { parseCommandLine, runCommandLine } from '../../common/command-line';
import { withCliDatabase } from '../cli-database';

const USAGE = `Usage: npm run migration:run

Applies pending migrations (migrations/) to DATABASE_URL, or to the embedded PostgreSQL of \`npm start\`
(EMBEDDED_PG_DIR, default .data/pg). \`npm start\` and the other tools apply them too.`;

/** `npm run migration:run`: applies pending migrations to DATABASE_URL or the embedded cluster. */
runCommandLine(
  USAGE,
  async () => {
    parseCommandLine(process.argv.slice(2), {});
    await withCliDatabase(async (db) => console.log(`migrations applied (${db.origin})`), { log: (line) => console.log(line) });
  },
  (error) => `migration failed: ${error instanceof Error ? error.message : error}`,
);
