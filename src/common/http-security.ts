import type { INestApplication } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;
/** The `cors` package Nest's enableCors() uses (a dependency of @nestjs/platform-express). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const corsMiddleware: (options: CorsOptions) => Middleware = require(require.resolve('cors', { paths: [require.resolve('@nestjs/platform-express')] }));

export interface HttpSecuritySettings {
  /** '*' or exact origins allowed to call the API from a browser. */
  corsOrigins: string[] | '*';
  /** Largest JSON / urlencoded body, in bytes. */
  bodyLimitBytes: number;
  trustProxy?: boolean | number | string;
}

/** Pages that run the offline GraphiQL explorer, whose bootstrap is an inline script. */
export function isExplorerPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.path.replace(/\/+$/, '') || '/';
  return path === '/explorer' || path === '/graphql';
}

/** Swagger UI of the REST API (/api/v1/docs and its assets, served from node_modules/swagger-ui-dist). */
export function isSwaggerUiPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  return req.path === '/api/v1/docs' || req.path.startsWith('/api/v1/docs/');
}

/**
 * The headers a helmet middleware sets, worked out once: with static options (no per-request CSP nonces)
 * helmet sets the same headers on every response, through a chain of a dozen middlewares per request.
 * The returned middleware sets that list directly (and removes what helmet removes).
 */
export function fixedHeaders(middleware: Middleware): Middleware {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  let called = false;
  const recorder = {
    setHeader: (name: string, value: string) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  middleware({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    called = true;
  });
  if (!called) throw new Error('fixedHeaders: the middleware did not finish synchronously');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

const strictHeaders = helmet({
  // An API read by plan-shopping sites from other origins (CORS decides who may read with credentials-free fetch).
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      // Would rewrite the explorer's /explorer/assets URLs to https:// on plain-HTTP deployments (localhost, internal).
      upgradeInsecureRequests: null,
    },
  },
});

/** Same headers, but the explorer page may run its one inline script (GraphiQL itself comes from /explorer/assets). */
const explorerHeaders = helmet({
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      // Would rewrite the explorer's /explorer/assets URLs to https:// on plain-HTTP deployments (localhost, internal).
      upgradeInsecureRequests: null,
    },
  },
});

/**
 * Same headers for Swagger UI: its scripts are files of this origin (no inline script), but it styles
 * elements inline and draws icons from data: URIs.
 */
const swaggerUiHeaders = helmet({
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
});

export function corsOptions(origins: string[] | '*'): CorsOptions {
  return {
    origin: origins === '*' ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Accept', 'Authorization', 'X-API-Key', 'X-Request-Id', 'Apollo-Require-Preflight', 'X-Apollo-Operation-Name'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'X-RateLimit-Limit-ip', 'X-RateLimit-Remaining-ip', 'X-RateLimit-Reset-ip'],
    maxAge: 600,
  };
}

function kilobytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} kB` : `${bytes} bytes`;
}

/** What body-parser attaches to the errors it raises. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  statusCode?: number;
  length?: number;
}

/** body-parser failures as JSON a client can read (GraphQL-shaped on /graphql), instead of an HTML page. */
export function bodyErrorHandler(limitBytes: number) {
  return (error: BodyParserError | undefined, req: Request, res: Response, next: NextFunction) => {
    if (
      !error ||
      typeof error.type !== 'string' ||
      (!error.type.startsWith('entity.') &&
        !['encoding.unsupported', 'charset.unsupported', 'request.aborted', 'request.size.invalid', 'stream.encoding.set', 'parameters.too.many'].includes(
          error.type,
        ))
    ) {
      return next(error);
    }
    const status: number = error.status ?? error.statusCode ?? 400;
    let message: string;
    let code: string;
    if (error.type === 'entity.too.large') {
      code = 'PAYLOAD_TOO_LARGE';
      message = `Request body too large: ${error.length ?? 'more than'} bytes exceeds the limit of ${kilobytes(limitBytes)}`;
    } else if (error.type === 'entity.parse.failed') {
      code = 'BAD_REQUEST';
      message = `Request body is not valid JSON: ${error.message}`;
    } else {
      code = 'BAD_REQUEST';
      message = `Request body could not be read: ${error.message}`;
    }
    if (res.headersSent) return next(error);
    res.status(status);
    if (req.path.startsWith('/graphql')) res.json({ errors: [{ message, extensions: { code } }] });
    else res.json({ statusCode: status, error: code, message });
  };
}

/**
 * The security headers (helmet) and CORS headers of a response, set on a bare node response: what the
 * Express chain sets, for handlers that answer before it (see AnswerFastPath.frontDoor). `path` is the
 * request's path without its query string.
 */
export type ResponseHeaders = (req: IncomingMessage, res: ServerResponse, path: string) => void;

/** For header setters called outside a middleware chain: they set headers synchronously and call on. */
const noNext = () => undefined;

interface HeaderSetters {
  security: ResponseHeaders;
  cors: Middleware;
}

function headerSetters(settings: Pick<HttpSecuritySettings, 'corsOrigins'>): HeaderSetters {
  const strict = fixedHeaders(strictHeaders);
  const explorer = fixedHeaders(explorerHeaders);
  const swaggerUi = fixedHeaders(swaggerUiHeaders);
  return {
    security: (req, res, path) => {
      const page = { method: req.method, path } as Request;
      (isExplorerPage(page) ? explorer : isSwaggerUiPage(page) ? swaggerUi : strict)(req as Request, res as Response, noNext);
    },
    cors: corsMiddleware(corsOptions(settings.corsOrigins)),
  };
}

function securityAndCors({ security, cors }: HeaderSetters): ResponseHeaders {
  return (req, res, path) => {
    security(req, res, path);
    // CORS only concerns browsers, which always send Origin on the requests it governs; server-to-server
    // callers (most plan-shopping backends) skip the work. With static options the cors package decides
    // synchronously; a preflight (OPTIONS) is answered by it and never comes here.
    if (req.headers.origin !== undefined) cors(req as Request, res as Response, noNext);
  };
}

/** What handlers answering before the Express chain share with it (see AnswerFastPath.frontDoor). */
export interface EarlyAnswering {
  /** The security and CORS headers the chain sets. */
  headers: ResponseHeaders;
  /** The chain's JSON body parser (with its limit); a body it has read is not read again by the chain. */
  readJson: Middleware;
}

/** Set on a request whose body was read before the Express chain, when reading it failed (see EarlyAnswering.readJson). */
export const EARLY_BODY_ERROR = Symbol('earlyBodyError');

/**
 * Security headers (helmet), CORS, body limits and trust proxy. Call before `app.init()` (Nest's own body
 * parser must be off: `NestFactory.create(..., { bodyParser: false })`). Returns the header setter and the
 * JSON body parser it uses, for handlers that answer before the Express chain.
 */
export function applyHttpSecurity(app: INestApplication, settings: HttpSecuritySettings): EarlyAnswering {
  const instance = app.getHttpAdapter().getInstance() as express.Express;
  instance.disable('x-powered-by');
  // Express would hash every body for an ETag; cacheable reads get theirs from the question and the
  // published versions instead (src/graphql/answer-caching.ts), without hashing the answer.
  instance.set('etag', false);
  if (settings.trustProxy !== undefined && settings.trustProxy !== false) instance.set('trust proxy', settings.trustProxy);

  const setters = headerSetters(settings);
  const { security, cors } = setters;
  const headers = securityAndCors(setters);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'OPTIONS' || req.headers.origin === undefined) {
      headers(req, res, req.path);
      return next();
    }
    // A CORS preflight: answered by the cors package.
    security(req, res, req.path);
    cors(req, res, next);
  });

  // A body read (and refused) before the chain fails here, where the body parsers would have failed it.
  app.use((req: Request, _res: Response, next: NextFunction) => next((req as unknown as Record<symbol, unknown>)[EARLY_BODY_ERROR]));
  // JSON (GraphQL) and forms only; multipart uploads are streamed by their own handler and never buffered here.
  // The JSON parser is also the one that reads bodies before the chain (a body it has read is not read again).
  const readJson = express.json({ limit: settings.bodyLimitBytes });
  app.use(readJson);
  app.use(express.urlencoded({ extended: true, limit: settings.bodyLimitBytes }));
  app.use(bodyErrorHandler(settings.bodyLimitBytes));
  return { headers, readJson };
}
