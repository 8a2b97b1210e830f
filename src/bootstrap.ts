import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream, Logger as RootLogger } from 'pino';
import { AppModule } from './app.module';
import { KeyUsage, PresentedKeys, presentedKeyMiddleware } from './auth/presented-keys';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { RequestListener, Server } from 'node:http';
import { applyHttpSecurity, isSwaggerUiPage, type EarlyAnswering, type ResponseHeaders } from './common/http-security';
import { AnonymousIpLimit } from './common/rate-limit';
import { PublishedFingerprint, restAnswerCaching } from './graphql/answer-caching';
import { AnswerFastPath } from './graphql/answer-fast-path';
import { AppConfig, loadConfig } from './config/app-config';
import { Database } from './database/database';
import { setupMarketplaceDocs } from './marketplace/openapi';
import { httpMetricsMiddleware, Metrics } from './observability/metrics';
import { earlyRequestLogging, REQUEST_LOGGER, requestLogging } from './observability/logging.module';
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';

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
  const logAnsweredEarly = earlyRequestLogging(requestLog);
  const door = app.get(AnswerFastPath).frontDoor(
    {
      path: '/graphql',
      headers,
      readJson: (req, res, done) => readJson(req as never, res as never, done),
      limit: settings.rateLimit.perIp > 0 ? app.get(AnonymousIpLimit) : undefined,
      clientIp: (req) => proxyAddr(req, express.get('trust proxy fn')),
      answered: (req, res, started) => {
        metrics.httpAnswered(req.method!, '/graphql', res.statusCode, started);
        logAnsweredEarly(req, res, started);
      },
      endpoint: graphqlEndpoint(app, express, headers, metrics, requestLog),
    },
    chain,
  );
  server.removeListener('request', chain);
  server.on('request', door);
}

/**
 * The GraphQL endpoint as the Express chain reaches it for an anonymous request, called directly: the
 * chain's steps that concern such a request (Express's request and response objects, the batching scope,
 * HTTP metrics, security and CORS headers, the request log line) and then the Apollo handler Nest mounts,
 * with Nest's context. Routing through the chain would run every middleware and test every route
 * registered before it; the steps left out (body parsers, key checks, REST caching) do nothing for it.
 */
function graphqlEndpoint(app: INestApplication, express: Express, headers: ResponseHeaders, metrics: Metrics, requestLog: RootLogger): RequestListener {
  // Made on the first request: Apollo starts when the application initializes, after createApp returns.
  let apollo: RequestHandler | undefined;
  const apolloHandler = (): RequestHandler => {
    if (apollo) return apollo;
    const graphql = app.get<GraphQLModule<ApolloDriver>>(GraphQLModule);
    const context = graphql.completeOptions?.context;
    if (!context) throw new Error('the GraphQL module has not started');
    return (apollo = expressMiddleware(graphql.graphQlAdapter.instance, { context }));
  };
  const countAnswer = httpMetricsMiddleware(metrics);
  const logRequest = requestLogging(requestLog);
  const logger = new Logger('GraphQL');
  return (req, res) => {
    // What Express's app.handle does before routing.
    const request = Object.setPrototypeOf(req, express.request) as Request & { res: Response; body?: unknown };
    const response = Object.setPrototypeOf(res, express.response) as Response;
    request.res = response;
    response.req = request;
    // What Express's router sets as it starts routing.
    request.originalUrl ??= request.url;
    request.baseUrl = '';
    response.locals ??= Object.create(null);
    // Nest's GraphQL driver mounts the same default before Apollo's handler (GET requests have no body).
    request.body ??= {};
    Database.scope(() =>
      countAnswer(request, response, () => {
        headers(request, response, '/graphql');
        logRequest(request, response, () => {
          // The handler is async (typed as Express's void RequestHandler); Express would pass a rejection to its error handler.
          (apolloHandler()(request, response, () => undefined) as unknown as Promise<void>).catch((error: unknown) => {
            logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
            if (response.headersSent) return void response.destroy();
            response.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
          });
        });
      }),
    );
  };
}
