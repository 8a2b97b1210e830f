import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import { GraphQLErrorLogFilter } from './graphql-error-log.filter';

export interface LoggingSettings {
  level: LevelWithSilent;
  /** pino-pretty instead of JSON lines (development). */
  pretty?: boolean;
  /** Where lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
}

export const REQUEST_ID_HEADER = 'x-request-id';
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

/** The request id: the caller's X-Request-Id when sensible, else a new UUID; echoed in the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const given = Array.isArray(header) ? header[0] : header;
  const id = given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  if (!res.headersSent) res.setHeader('X-Request-Id', id);
  return id;
}

export function pinoHttpOptions(settings: LoggingSettings): Options {
  const pretty = settings.pretty && !settings.destination;
  return {
    level: settings.level,
    genReqId: requestId,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customProps: (req) => {
      const body = (req as IncomingMessage & { body?: { operationName?: unknown } }).body;
      return typeof body?.operationName === 'string' ? { operationName: body.operationName } : {};
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => {
        const headers: Record<string, unknown> = { 'user-agent': req.headers['user-agent'] };
        if (req.headers['content-length'] !== undefined) headers['content-length'] = req.headers['content-length'];
        // Whether credentials were sent helps when debugging auth; their values never reach the logs.
        if (req.headers.authorization !== undefined) headers.authorization = '[redacted]';
        if (req.headers['x-api-key'] !== undefined) headers['x-api-key'] = '[redacted]';
        return { id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress, headers };
      },
      res: (res: { statusCode: number; headers?: Record<string, unknown> }) => ({
        statusCode: res.statusCode,
        ...(res.headers?.['content-length'] !== undefined ? { contentLength: Number(res.headers['content-length']) } : {}),
      }),
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
  };
}

/**
 * JSON logs (nestjs-pino): one line per request with its id, method, status and duration; GraphQL errors as
 * warnings (client mistakes) or errors (see GraphQLErrorLogFilter).
 */
@Module({})
export class LoggingModule {
  static forRoot(settings: LoggingSettings): DynamicModule {
    const options = pinoHttpOptions(settings);
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: settings.destination ? [options, settings.destination] : options,
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        }),
      ],
      providers: [{ provide: APP_FILTER, useClass: GraphQLErrorLogFilter }],
    };
  }
}
