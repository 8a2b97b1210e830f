import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { Client, type ClientConfig } from 'pg';
import { EARLY_BODY_ERROR, type ResponseHeaders } from '../common/http-security';
import { markOverIpLimit, presentedApiKey, type AnonymousIpLimit } from '../common/rate-limit';
import { requestId } from '../observability/logging.module';
import type { Database } from '../database/database';
import { PUBLISH_CHANNEL } from '../database/publish-notifications';
import type { AnswerCache } from './answer-cache';
import { ANSWER_VARY, ifNoneMatchHits, NO_STORE, utcDay } from './answer-caching';

/**
 * One dedicated `LISTEN coverage_published` connection to the primary, and a generation counter moved on
 * every notification, on every (re)connect, and while the connection is down. Something remembered at one
 * generation is trusted only while the generation is the same and the listener is up: a missed
 * notification (connection lost) can never leave a remembered answer in service.
 */
export class PublishListener {
  private client: Client | null = null;
  private listening = false;
  private closed = false;
  private retryMs = 0;
  private retry: NodeJS.Timeout | null = null;
  private counter = 0;
  private readonly logger = new Logger('PublishListener');

  constructor(private readonly config: ClientConfig) {}

  /** The current generation, or null while not listening (nothing remembered may be trusted). */
  generation(): number | null {
    return this.listening ? this.counter : null;
  }

  async start(): Promise<void> {
    if (this.closed || this.client) return;
    const client = new Client(this.config);
    this.client = client;
    const down = (error?: Error) => {
      if (this.client !== client) return;
      this.listening = false;
      this.counter++;
      this.client = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.closed) return;
      if (error) this.logger.warn(`publish notifications lost (${error.message}): answering every request in full until listening again`);
      this.retryMs = Math.min(Math.max(this.retryMs * 2, 100), 5000);
      this.retry = setTimeout(() => {
        this.retry = null;
        void this.start();
      }, this.retryMs);
      this.retry.unref();
    };
    client.on('error', (error) => down(error));
    client.on('end', () => down(new Error('connection ended')));
    client.on('notification', () => {
      this.counter++;
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PUBLISH_CHANNEL}`);
      if (this.client !== client) return;
      // Anything published while this connection was being opened is covered by the bump.
      this.counter++;
      this.listening = true;
      this.retryMs = 0;
    } catch (error) {
      down(error as Error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * What a cacheable answer sent by the normal path left for the fast path. The answer itself, when the
 * answer cache is on, is the answer cache's (kept once, under the ETag).
 */
interface Remembered {
  etag: string;
  cacheControl: string;
  /** The listener's generation when the published versions were read for this answer. */
  generation: number;
  /** The UTC day of the ETag. */
  day: string;
  /** The operation's name (metrics). */
  operationName: string | null;
}

/** Questions remembered (small: an ETag and a few headers each; the answers are the answer cache's). */
const ETAG_ENTRIES = 50_000;

/** The request key: the question (query text or persisted-query hash), operation name and variables. */
export function questionKey(query: unknown, hash: unknown, operationName: unknown, variables: unknown): string | null {
  const question = typeof hash === 'string' && hash ? `#${hash}` : typeof query === 'string' ? query : null;
  if (question === null) return null;
  return createHash('sha256')
    .update(JSON.stringify([question, typeof operationName === 'string' && operationName ? operationName : null, variables ?? null]))
    .digest('base64url');
}

/** Told of every answer the fast path gives (for metrics). */
export interface FastPathEvents {
  notModified?(operationName: string | null): void;
  hit?(operationName: string | null): void;
}

const UNREADABLE = Symbol('unreadable');

/** A JSON query-string parameter as Apollo reads it; UNREADABLE for what Apollo refuses (left to it). */
function parsed(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return UNREADABLE;
  try {
    return JSON.parse(value);
  } catch {
    return UNREADABLE;
  }
}

/**
 * Answers repeats of cacheable anonymous GraphQL reads before Nest and Apollo run and without reading the
 * database: the normal path remembers (per question) the ETag it sent, and the answer itself when the
 * answer cache is on, with the listener's generation read before the published versions were. While that
 * generation is current (no publish, rollback or feed check committed since, and the listener up all the
 * time) and the UTC day is the same, the ETag is still the one the normal path would compute.
 */
export class AnswerFastPath {
  private readonly memo: LRUCache<string, Remembered>;

  constructor(
    readonly listener: PublishListener,
    /** The answer cache (absent: answers are computed again, only revalidations are answered here). */
    readonly answers?: AnswerCache,
    private readonly events: FastPathEvents = {},
  ) {
    this.memo = new LRUCache<string, Remembered>({ max: ETAG_ENTRIES });
  }

  static forDatabase(db: Database, answers: AnswerCache | undefined, events?: FastPathEvents): AnswerFastPath {
    const { pool } = db.primaryPool();
    return new AnswerFastPath(new PublishListener({ ...(pool.options as ClientConfig) }), answers, events);
  }

  generation(): number | null {
    return this.listener.generation();
  }

  onModuleInit(): Promise<void> {
    return this.listener.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.listener.close();
  }

  /** Called by the normal path for a successful cacheable answer (or 304) to an anonymous caller. */
  remember(key: string, entry: Remembered): void {
    if (entry.generation !== this.listener.generation()) return;
    this.memo.set(key, entry);
  }

  /** The entry remembered under `key` while it may still be trusted (same generation, same UTC day). */
  current(key: string): Readonly<Remembered> | undefined {
    const generation = this.listener.generation();
    if (generation === null) return undefined;
    const entry = this.memo.get(key);
    return entry && entry.generation === generation && entry.day === utcDay() ? entry : undefined;
  }

  get entries(): number {
    return this.memo.size;
  }

  /**
   * A node `request` listener answering what it can before `next` (the Express application) sees the
   * request: repeats of remembered anonymous questions to `door.path`, with the headers the Express chain
   * would have sent (security, CORS, request id, rate limit) and counted in the same metrics and per-IP
   * budget. Other anonymous GraphQL requests go straight to `door.endpoint`; everything else, a body the
   * parser refused, and anything over the budget (for the normal path's 429) goes to `next`.
   */
  frontDoor(door: FrontDoor, next: RequestListener): RequestListener {
    return (req, res) => {
      const url = req.url ?? '';
      const mark = url.indexOf('?');
      const path = mark < 0 ? url : url.slice(0, mark);
      const method = req.method;
      if (path !== door.path || (method !== 'GET' && method !== 'POST')) return next(req, res);
      // Keyed callers are checked (and refused) by the normal path; only anonymous requests are answered here.
      if (presentedApiKey(req.headers) !== null || req.headers.authorization) return next(req, res);
      const started = process.hrtime.bigint();
      const query = mark < 0 ? {} : parseQueryString(url.slice(mark + 1));
      if (query.apikey !== undefined) return next(req, res);
      const endpoint = door.endpoint;
      const remembering = this.listener.generation() !== null && this.memo.size > 0;
      if (method === 'GET') {
        // CSRF prevention stays Apollo's: only requests carrying one of its preflight headers are answered here.
        if (!remembering || (!req.headers['apollo-require-preflight'] && !req.headers['x-apollo-operation-name'])) return endpoint(req, res);
        const extensions = parsed(query.extensions) as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
        const variables = parsed(query.variables);
        if ((extensions as unknown) === UNREADABLE || variables === UNREADABLE) return endpoint(req, res);
        const key = questionKey(query.query, extensions?.persistedQuery?.sha256Hash, query.operationName, variables);
        return this.answer(door, req, res, path, key, true, started, endpoint);
      }
      // The body is read by the same JSON parser the Express chain uses; it leaves it there for the chain.
      door.readJson(req, res, (error?: unknown) => {
        const withBody = req as IncomingMessage & { body?: unknown; [EARLY_BODY_ERROR]?: unknown };
        if (error) {
          withBody[EARLY_BODY_ERROR] = error;
          return next(req, res);
        }
        const body = withBody.body as Record<string, unknown> | undefined;
        // Not JSON, or a batch: the chain's other parsers and Apollo decide.
        if (!body || typeof body !== 'object' || Array.isArray(body)) return next(req, res);
        if (!remembering) return endpoint(req, res);
        const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
        const key = questionKey(body.query, extensions?.persistedQuery?.sha256Hash, body.operationName, body.variables);
        this.answer(door, req, res, path, key, false, started, endpoint);
      });
    };
  }

  private answer(
    door: FrontDoor,
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    key: string | null,
    isGet: boolean,
    started: bigint,
    endpoint: RequestListener,
  ): void {
    const entry = key === null ? undefined : this.current(key);
    if (!entry) return endpoint(req, res);
    const notModified = isGet && ifNoneMatchHits(req.headers['if-none-match'], entry.etag);
    // The body only for callers Apollo would answer as application/json.
    const accept = req.headers.accept?.trim();
    const body = notModified || (accept && accept !== '*/*' && accept !== 'application/json') ? undefined : this.answers?.serialized(entry.etag);
    if (!notModified && !body) return endpoint(req, res);
    const send = (limitHeaders: Array<[string, string]>) => {
      requestId(req, res);
      door.headers(req, res, path);
      for (const [name, value] of limitHeaders) res.setHeader(name, value);
      // As the normal path: a GET's answer (or 304) is cacheable, a POST's is not.
      if (isGet) {
        res.setHeader('ETag', entry.etag);
        res.setHeader('Cache-Control', entry.cacheControl);
        res.setHeader('Vary', ANSWER_VARY);
      } else res.setHeader('Cache-Control', NO_STORE);
      if (notModified) {
        this.events.notModified?.(entry.operationName);
        res.statusCode = 304;
        res.end();
      } else {
        this.events.hit?.(entry.operationName);
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Content-Length', body!.length);
        res.statusCode = 200;
        res.end(body);
      }
      door.answered(req, res, started);
    };
    if (!door.limit) return send([]);
    door.limit.count(door.clientIp(req)).then(
      ({ blocked, headers }) => {
        if (!blocked) return send(headers);
        markOverIpLimit(req);
        endpoint(req, res);
      },
      () => endpoint(req, res),
    );
  }
}

/** What AnswerFastPath.frontDoor needs from the application around it. */
export interface FrontDoor {
  /** The GraphQL endpoint's path. */
  path: string;
  /** The security and CORS headers the Express chain sets. */
  headers: ResponseHeaders;
  /** The JSON body parser of the Express chain (with its limit). */
  readJson(req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void): void;
  /** The anonymous per-IP budget (absent: no per-IP limit). */
  limit?: AnonymousIpLimit;
  /** The client address as Express reads it (trust proxy). */
  clientIp(req: IncomingMessage): string | undefined;
  /** Told of each answer once sent (HTTP metrics, the request log line). */
  answered(req: IncomingMessage, res: ServerResponse, started: bigint): void;
  /**
   * The GraphQL endpoint as the Express chain reaches it for an anonymous request (same per-request steps,
   * same Apollo handler), without routing it past the middlewares and routes registered before it.
   */
  endpoint: RequestListener;
}
