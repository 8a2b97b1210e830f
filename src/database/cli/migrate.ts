import { withCliDatabase } from '../cli-database';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL or the embedded cluster. */
withCliDatabase(async (db) => console.log(`migrations applied (${db.origin})`), { log: (line) => console.log(line) }).catch((error) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
