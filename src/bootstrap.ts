import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream, Logger as RootLogger } from 'pino';
import { AppModule } from './app.module';
import { KeyUsage, PresentedKeys, presentedKeyMiddleware } from './auth/presented-keys';
import type { Express } from 'express';
import type { RequestListener, Server } from 'node:http';
import { applyHttpSecurity, isSwaggerUiPage, type EarlyAnswering } from './common/http-security';
import { AnonymousIpLimit } from './common/rate-limit';
import { PublishedFingerprint, restAnswerCaching } from './graphql/answer-caching';
import { AnswerFastPath } from './graphql/answer-fast-path';
import { AppConfig, loadConfig } from './config/app-config';
import { Database } from './database/database';
import { setupMarketplaceDocs } from './marketplace/openapi';
import { httpMetricsMiddleware, Metrics } from './observability/metrics';
import { logAnsweredEarly, REQUEST_LOGGER } from './observability/logging.module';

export interface CreateAppOptions {
  /** false: no log output at all (tests). */
  logger?: false | Logger;
  /** Where JSON log lines go instead of stdout (tests that read logs). */
  logDestination?: DestinationStream;
}

/** Settings createApp needs; anything not given comes from the environment (loadConfig) and its defaults. Given values win. */
export type CreateAppConfig = Pick<AppConfig, 'dbPoolSize'> & Partial<AppConfig>;

/** Builds the Nest application (without listening), shared by `npm start`, tests and benchmarks. */
export async function createApp(config: CreateAppConfig, databaseUrl: string, options: CreateAppOptions = {}): Promise<INestApplication> {
  const settings: AppConfig = { ...loadConfig(), ...config };
  const quiet = options.logger === false;
  const app = await NestFactory.create(
    AppModule.forRoot({
      config: settings,
      database: {
        url: databaseUrl,
        poolSize: settings.dbPoolSize,
        replicaUrls: settings.databaseReplicaUrls,
        statementTimeoutMs: settings.dbStatementTimeoutMs,
        searchConcurrency: settings.dbSearchConcurrency,
      },
      hardening: {
        logging: { level: quiet && !options.logDestination ? 'silent' : settings.logLevel, pretty: settings.logPretty, destination: options.logDestination },
        rateLimit: { ...settings.rateLimit, redisUrl: settings.redisUrl },
        graphql: {
          maxDepth: settings.graphqlMaxDepth,
          maxComplexity: settings.graphqlMaxComplexity,
          maxAliases: settings.graphqlMaxAliases,
          maxRootFields: settings.graphqlMaxRootFields,
        },
      },
    }),
    {
      logger: quiet ? false : undefined,
      bufferLogs: !quiet,
      // Body parsers are registered by applyHttpSecurity, with limits and readable errors.
      bodyParser: false,
    },
  );
  if (!quiet) app.useLogger(app.get(PinoLogger));
  // Lookups a request starts together share one database round trip (see Database.read).
  app.use((_req: unknown, _res: unknown, next: () => void) => Database.scope(next));
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  const early = applyHttpSecurity(app, {
    corsOrigins: settings.corsOrigins,
    bodyLimitBytes: settings.bodyLimitBytes,
    trustProxy: settings.trustProxy,
  });
  // Who is calling, before anything else runs: a bad key is refused, a good one sets the rate limit.
  app.use(presentedKeyMiddleware(app.get(PresentedKeys), app.get(KeyUsage)));
  // Repeats of cacheable anonymous GraphQL reads answered from memory while nothing was published since,
  // before the Express chain runs (see AnswerFastPath.frontDoor).
  frontDoor(app, settings, early);
  // REST reads get the ETag and Cache-Control GraphQL reads over GET get (before Nest's routes run).
  app.use(
    restAnswerCaching('/api/v1/', isSwaggerUiPage, {
      fingerprint: new PublishedFingerprint(app.get(Database)),
      settings: settings.httpCache,
      fastPath: app.get(AnswerFastPath),
    }),
  );
  setupMarketplaceDocs(app);
  return app;
}

/** proxy-addr, what Express reads req.ip with (a dependency of express). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyAddr: (req: unknown, trust: unknown) => string = require(require.resolve('proxy-addr', { paths: [require.resolve('express')] }));

/** Puts the answer fast path in front of the Express application on the HTTP server. */
function frontDoor(app: INestApplication, settings: AppConfig, { headers, readJson }: EarlyAnswering): void {
  const server = app.getHttpServer() as Server;
  const express = app.getHttpAdapter().getInstance() as Express;
  const [chain, ...others] = server.listeners('request') as RequestListener[];
  if (!chain || others.length) throw new Error('the HTTP server has no single request listener to put the answer fast path in front of');
  const metrics = app.get(Metrics);
  const requestLog = app.get<RootLogger>(REQUEST_LOGGER);
  const door = app.get(AnswerFastPath).frontDoor(
    {
      path: '/graphql',
      headers,
      readJson: (req, res, done) => readJson(req as never, res as never, done),
      limit: settings.rateLimit.perIp > 0 ? app.get(AnonymousIpLimit) : undefined,
      clientIp: (req) => proxyAddr(req, express.get('trust proxy fn')),
      answered: (req, res, started) => {
        metrics.httpAnswered(req.method!, '/graphql', res.statusCode, started);
        logAnsweredEarly(requestLog, req, res, started);
      },
    },
    chain,
  );
  server.removeListener('request', chain);
  server.on('request', door);
}
