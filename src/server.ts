import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import pino from 'pino';
import { AppConfig, ConfigError, loadConfig, redactUrl, StartupError } from './config/app-config';
import { assertDatabaseReachable } from './database/check-connection';
import { DatabaseHandle, resolveDatabase } from './database/embedded-postgres';

/** Work done on the migrated database before the API starts listening (e.g. `npm start` seeding demo data). */
export type BeforeListen = (databaseUrl: string, config: AppConfig, log: (line: string) => void) => Promise<void>;

/**
 * Starts the API: configuration, database (DATABASE_URL or the embedded PostgreSQL), migrations, then
 * HTTP, with a graceful stop on SIGTERM/SIGINT. Shared by the production entry (main.ts) and `npm start`.
 */
async function startServer(beforeListen?: BeforeListen): Promise<void> {
  const config = loadConfig();
  // The same JSON lines as the application's own logs (nestjs-pino), from the first line on.
  const log = pino({
    level: config.logLevel,
    ...(config.logPretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  }).child({ context: 'Main' });
  const logger = { log: (m: string) => log.info(m), warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) };
  let database: DatabaseHandle;
  try {
    database = await resolveDatabase(config);
  } catch (error) {
    throw new StartupError(`Cannot start the embedded PostgreSQL: ${(error as Error).message}`);
  }
  logger.log(database.embedded ? `embedded PostgreSQL running at ${database.url} (data in ${config.embeddedDataDir})` : `using ${redactUrl(database.url)}`);

  let stopping = false;
  const stopDatabase = async () => {
    await database.stop().catch((error) => logger.error(`stopping PostgreSQL: ${error}`));
  };
  let app: INestApplication | null = null;

  // app.close() drains HTTP first (Apollo's drain plugin: no new connections, in-flight requests get up
  // to 10 s), then runs shutdown hooks (import jobs abandoned, pools closed); PostgreSQL stops last.
  // Registered before migrations and seeding, so a signal during a long seed still stops PostgreSQL.
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn(`${signal} received again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal} received: ${app ? 'finishing in-flight requests' : 'stopping'}`);
    const forced = setTimeout(() => {
      logger.error(`shutdown took longer than SHUTDOWN_GRACE_MS=${config.shutdownGraceMs}: exiting`);
      void stopDatabase().finally(() => process.exit(1));
    }, config.shutdownGraceMs);
    forced.unref();
    try {
      await app?.close();
    } catch (error) {
      logger.error(`closing the application: ${error}`);
    }
    await stopDatabase();
    logger.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let createApp: typeof import('./bootstrap').createApp;
  try {
    await assertDatabaseReachable(database.url);
    // Replicas must answer at start (a typo in DATABASE_REPLICA_URLS should not go unnoticed); one that
    // goes away later is skipped by readQuery(), which then reads from the primary.
    for (const replica of config.databaseReplicaUrls) await assertDatabaseReachable(replica, 5_000, 'PostgreSQL replica');
    // The application (Nest, TypeORM...) loads only once configuration and database are known to be good.
    const [bootstrap, { runMigrations }] = await Promise.all([import('./bootstrap'), import('./database/data-source-options')]);
    createApp = bootstrap.createApp;
    if (config.databaseReplicaUrls.length)
      logger.log(`reads go to ${config.databaseReplicaUrls.length} replica(s): ${config.databaseReplicaUrls.map(redactUrl).join(', ')}`);
    await runMigrations(database.url, (line) => logger.log(line));
    if (beforeListen) await beforeListen(database.url, config, (line) => logger.log(line));
  } catch (error) {
    await stopDatabase();
    throw error;
  }

  if (stopping) return;
  app = await createApp(config, database.url).catch(async (error) => {
    await stopDatabase();
    throw error;
  });

  try {
    await app.listen(config.port);
  } catch (error) {
    await app.close().catch(() => undefined);
    await stopDatabase();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE') throw new StartupError(`Port ${config.port} is already in use: stop the other server or set PORT`);
    if (code === 'EACCES') throw new StartupError(`Port ${config.port} needs privileges this process does not have: set PORT above 1023`);
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(apiLocation(`http://localhost:${port}`));
}

/** The one line saying where the API is. */
export function apiLocation(base: string): string {
  return `GraphQL API at ${base}/graphql (open it in a browser to explore), REST API docs at ${base}/api/v1/docs`;
}

/** Runs the server as the process's entry point; configuration and connection problems end it with one clear line. */
export function runServer(beforeListen?: BeforeListen): void {
  startServer(beforeListen).catch((error) => {
    // Configuration and connection problems are one clear line; anything else keeps its stack.
    if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`);
    else if (error instanceof StartupError) console.error(error.message);
    else console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
