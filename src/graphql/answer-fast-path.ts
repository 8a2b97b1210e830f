import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';
import { presentedApiKey } from '../common/rate-limit';
import type { Database } from '../database/database';
import { PUBLISH_CHANNEL } from '../database/publish-notifications';
import { ifNoneMatchHits, utcDay } from './answer-caching';

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

/** What a cacheable answer sent by the normal path left for the fast path. */
interface Remembered {
  etag: string;
  cacheControl: string;
  /** The serialized answer, when the answer cache is on. */
  body?: string;
  /** The listener's generation when the published versions were read for this answer. */
  generation: number;
  /** The UTC day of the ETag. */
  day: string;
  /** The operation's name (metrics). */
  operationName: string | null;
}

/** Entries kept when only ETags are remembered (small: an ETag and a few headers each). */
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
    private readonly bodyBytes: number,
    private readonly events: FastPathEvents = {},
  ) {
    this.memo =
      bodyBytes > 0
        ? new LRUCache<string, Remembered>({ maxSize: bodyBytes, sizeCalculation: (entry) => Math.max(1, (entry.body?.length ?? 0) + entry.etag.length) })
        : new LRUCache<string, Remembered>({ max: ETAG_ENTRIES });
  }

  static forDatabase(db: Database, bodyBytes: number, events?: FastPathEvents): AnswerFastPath {
    const { pool } = db.primaryPool();
    return new AnswerFastPath(new PublishListener({ ...(pool.options as ClientConfig) }), bodyBytes, events);
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

  /** Called by the normal path for a successful cacheable answer to an anonymous caller. */
  remember(
    key: string,
    entry: { etag: string; cacheControl: string; result?: FormattedExecutionResult; generation: number; day: string; operationName: string | null },
  ): void {
    if (entry.generation !== this.listener.generation()) return;
    // As Apollo serializes a single result (errors, data, extensions; no errors here). Without one (a 304),
    // the answer remembered under the same ETag is still that answer.
    const previous = this.memo.peek(key);
    const body =
      this.bodyBytes <= 0
        ? undefined
        : entry.result
          ? JSON.stringify({ data: entry.result.data, extensions: entry.result.extensions }) + '\n'
          : previous?.etag === entry.etag
            ? previous.body
            : undefined;
    const { etag, cacheControl, generation, day, operationName } = entry;
    this.memo.set(key, { etag, cacheControl, body, generation, day, operationName });
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

  /** Express middleware for `path` (after the body parsers): answers what it can, passes the rest on. */
  middleware(path = '/graphql') {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.path !== path || (req.method !== 'GET' && req.method !== 'POST')) return next();
      if (this.listener.generation() === null || this.memo.size === 0) return next();
      // Keyed callers are checked (and refused) by the normal path; only anonymous requests are answered here.
      if (presentedApiKey(req.headers) !== null || req.headers.authorization || req.query.apikey !== undefined) return next();
      const isGet = req.method === 'GET';
      let key: string | null;
      if (isGet) {
        // CSRF prevention stays Apollo's: only requests carrying one of its preflight headers are answered here.
        if (!req.headers['apollo-require-preflight'] && !req.headers['x-apollo-operation-name']) return next();
        const q = req.query as Record<string, unknown>;
        const extensions = parsed(q.extensions) as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
        const variables = parsed(q.variables);
        if ((extensions as unknown) === UNREADABLE || variables === UNREADABLE) return next();
        key = questionKey(q.query, extensions?.persistedQuery?.sha256Hash, q.operationName, variables);
      } else {
        const body = req.body as Record<string, unknown> | undefined;
        if (!body || typeof body !== 'object' || Array.isArray(body) || !req.is('application/json')) return next();
        const extensions = body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
        key = questionKey(body.query, extensions?.persistedQuery?.sha256Hash, body.operationName, body.variables);
      }
      if (key === null) return next();
      const entry = this.current(key);
      if (!entry) return next();
      if (isGet && ifNoneMatchHits(req.headers['if-none-match'], entry.etag)) {
        this.events.notModified?.(entry.operationName);
        res.status(304).set({ etag: entry.etag, 'cache-control': entry.cacheControl, vary: 'Authorization, X-API-Key' }).end();
        return;
      }
      // The body only for callers Apollo would answer as application/json.
      const accept = req.headers.accept?.trim();
      if (entry.body === undefined || (accept && accept !== '*/*' && accept !== 'application/json')) return next();
      this.events.hit?.(entry.operationName);
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (isGet) Object.assign(headers, { etag: entry.etag, 'cache-control': entry.cacheControl, vary: 'Authorization, X-API-Key' });
      else headers['cache-control'] = 'no-store';
      res.status(200).set(headers).send(entry.body);
    };
  }
}
