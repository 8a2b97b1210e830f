import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import pino, { DestinationStream, Level, LevelWithSilent, Logger, LoggerOptions, stdSerializers } from 'pino';
import type { SerializedRequest, SerializedResponse } from 'pino';
import { GraphQLErrorLogFilter } from './graphql-error-log.filter';

export interface LoggingSettings {
  level: LevelWithSilent;
  /** pino-pretty instead of JSON lines (development). */
  pretty?: boolean;
  /** Where lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
}

export const REQUEST_ID_HEADER = 'x-request-id';
export const REQUEST_LOGGER = 'REQUEST_LOGGER';
/** A caller's id is kept only when it is a reasonable token (no log injection, no megabyte ids). */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Header and field paths never written to logs: credentials travel in them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'databaseUrl',
  'password',
  '*.password',
];

/**
 * The request id: the caller's X-Request-Id when sensible, else a new UUID; set on the request (`req.id`,
 * which its log line reads) and echoed in the response.
 */
export function requestId(req: IncomingMessage & { id?: unknown }, res: ServerResponse): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  const id = given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  req.id = id;
  if (!res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}

/** What a request's log lines say of it: the request, and the GraphQL operation it names. */
function requestFields(req: IncomingMessage, operation: string | undefined): { req: IncomingMessage; operationName?: string } {
  return operation === undefined ? { req } : { req, operationName: operation };
}

/** Log level of a finished request: error for a failure or a 5xx, warn for a 4xx, info otherwise. */
function requestLevel(res: ServerResponse, error: unknown): Level {
  return error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
}

/** The operation a GraphQL request names (its parsed body is there by the time logging runs). */
function operationName(req: IncomingMessage): string | undefined {
  const body = (req as IncomingMessage & { body?: { operationName?: unknown } }).body;
  return typeof body?.operationName === 'string' ? body.operationName : undefined;
}

/**
 * What a log line says of a request: id, method, URL, client address and the headers worth knowing
 * (whether credentials were sent helps when debugging auth; their values never reach the logs).
 */
function requestSummary(req: IncomingMessage & { id?: unknown; originalUrl?: string }): SerializedRequest {
  const headers: Record<string, unknown> = { 'user-agent': req.headers['user-agent'] };
  if (req.headers['content-length'] !== undefined) headers['content-length'] = req.headers['content-length'];
  if (req.headers.authorization !== undefined) headers.authorization = '[redacted]';
  if (req.headers['x-api-key'] !== undefined) headers['x-api-key'] = '[redacted]';
  return { id: req.id, method: req.method, url: req.originalUrl ?? req.url, remoteAddress: req.socket?.remoteAddress, headers } as unknown as SerializedRequest;
}

/** What a log line says of a response: its status and length. */
function responseSummary(res: ServerResponse): SerializedResponse {
  const length = res.getHeader('content-length');
  return {
    statusCode: res.headersSent ? res.statusCode : null,
    ...(length !== undefined ? { contentLength: Number(length) } : {}),
  } as unknown as SerializedResponse;
}

/** A node request or response (what the summaries read), not something already summarized or logged under that key by hand. */
function isMessage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'socket' in value;
}

/** The options of the application's one pino logger: level, redaction, the request and response summaries. */
export function loggerOptions(settings: LoggingSettings): LoggerOptions {
  const pretty = settings.pretty && !settings.destination;
  return {
    level: settings.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: unknown) => (isMessage(req) ? requestSummary(req as IncomingMessage) : req),
      res: (res: unknown) => (isMessage(res) ? responseSummary(res as ServerResponse) : res),
      err: stdSerializers.err,
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
}

/**
 * The logger of the lines requests end with when they went well: the request and response as their
 * summaries (which hold no credential by construction), so without the root logger's redaction pass.
 */
function requestLineLogger(root: Logger): Logger {
  return root.child({}, { redact: [] });
}

/**
 * One line per request when it finishes ("request completed", "request aborted" or "request errored", with
 * the request, its operation name, the response and the time taken), and the request's logger for whatever
 * logs while it runs (nestjs-pino's PinoLogger and Nest's Logger read it from nestjs-pino's storage). That
 * logger (a pino child bound to the request) is made only when something logs during the request: most
 * requests log nothing but their line, which is written from the request's own values.
 */
export function requestLogging(root: Logger) {
  const lines = requestLineLogger(root);
  return (req: IncomingMessage & { id?: unknown }, res: ServerResponse, next: () => void): void => {
    requestId(req, res);
    const started = Date.now();
    const operation = operationName(req);
    let bound: Logger | undefined;
    const requestLogger = () => (bound ??= root.child(requestFields(req, operation)));
    const store = Object.create(Store.prototype) as Store;
    Object.defineProperty(store, 'logger', { get: requestLogger, set: (logger: Logger) => (bound = logger), enumerable: true });

    const finished = (error?: unknown) => {
      res.removeListener('close', finished);
      res.removeListener('finish', finished);
      res.removeListener('error', finished);
      // As pino-http: an error the response was given (res.err) also makes the request a failure.
      const failure = error instanceof Error ? error : (res as ServerResponse & { err?: Error }).err;
      const level = requestLevel(res, failure);
      if (!root.isLevelEnabled(level)) return;
      const responseTime = Date.now() - started;
      const request = bound ? {} : requestFields(req, operation);
      if (failure || res.statusCode >= 500) {
        const err = failure ?? new Error(`failed with status code ${res.statusCode}`);
        (bound ?? root)[level]({ ...request, res, err, responseTime }, 'request errored');
      } else {
        (bound ?? lines)[level]({ ...request, res, responseTime }, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
      }
    };
    res.on('close', finished);
    res.on('finish', finished);
    res.on('error', finished);
    storage.run(store, next);
  };
}

/**
 * The request line of requests answered before the Express chain (the answer fast path): the same line
 * requestLogging writes when the response is done, from the same values. `startedAt` is process.hrtime.bigint().
 */
export function earlyRequestLogging(root: Logger): (req: IncomingMessage & { id?: unknown }, res: ServerResponse, startedAt: bigint) => void {
  const lines = requestLineLogger(root);
  return (req, res, startedAt) => {
    const level = requestLevel(res, undefined);
    if (!lines.isLevelEnabled(level)) return;
    const responseTime = Math.round(Number(process.hrtime.bigint() - startedAt) / 1e6);
    lines[level]({ ...requestFields(req, operationName(req)), res, responseTime }, 'request completed');
  };
}

/**
 * JSON logs (nestjs-pino): one line per request with its id, method, status and duration; GraphQL errors as
 * warnings (client mistakes) or errors (see GraphQLErrorLogFilter).
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(settings: LoggingSettings): DynamicModule {
    const root = pino(loggerOptions(settings), ...(settings.destination ? [settings.destination] : []));
    return {
      module: LoggingModule,
      imports: [
        // nestjs-pino provides Nest's Logger and PinoLogger on this logger; the per-request part is requestLogging.
        LoggerModule.forRoot({ pinoHttp: { logger: root }, useExisting: true, forRoutes: [] }),
      ],
      providers: [
        { provide: APP_FILTER, useClass: GraphQLErrorLogFilter },
        { provide: REQUEST_LOGGER, useValue: root },
      ],
    };
  }

  constructor(@Inject(REQUEST_LOGGER) private readonly root: Logger) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestLogging(this.root)).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
