import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig, redactUrl } from './config/app-config';
import { runMigrations } from './database/data-source-options';
import { DatabaseHandle, resolveDatabase } from './database/embedded-postgres';
import { seedDemoDataIfEmpty } from '../seeds/seed-database';

const logger = new Logger('Main');

async function main(): Promise<void> {
  const config = loadConfig();
  const database: DatabaseHandle = await resolveDatabase(config.embeddedDataDir);
  logger.log(database.embedded ? `embedded PostgreSQL running at ${database.url} (data in ${config.embeddedDataDir})` : `using ${redactUrl(database.url)}`);

  let stopping = false;
  const stopDatabase = async () => {
    await database.stop().catch((error) => logger.error(`stopping PostgreSQL: ${error}`));
  };

  try {
    await runMigrations(database.url, (line) => logger.log(line));
    if (config.seedProviders > 0) await seedDemoDataIfEmpty(database.url, config.seedProviders, (line) => logger.log(line));
  } catch (error) {
    await stopDatabase();
    throw error;
  }

  const app = await createApp(config, database.url);
  // Nest's shutdown hooks close the HTTP server (letting in-flight requests finish) and the pool; then PostgreSQL stops.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing in-flight requests`);
    await app.close();
    await stopDatabase();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen(config.port);
  logger.log(`GraphQL API at http://localhost:${config.port}/graphql`);
}

main().catch((error) => {
  // Configuration and connection problems are one clear line; anything else keeps its stack.
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
  else console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
