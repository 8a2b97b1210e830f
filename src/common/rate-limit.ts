import { DynamicModule, ExecutionContext, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import {
  DEFAULT_IPV6_SUBNET_PREFIX,
  normalizeIp,
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  ThrottlerModule,
  ThrottlerOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { redactUrl } from '../config/app-config';

/** What ThrottlerStorage.increment resolves to (the package exports the interface, not its result type). */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export interface RateLimitSettings {
  /** Window length in seconds. */
  windowSeconds: number;
  /** Requests per window and client IP; 0 = no per-IP limit. */
  perIp: number;
  /** Requests per window and valid API key without a limit of its own (instead of the IP limit); 0 = no limit. */
  perApiKey: number;
  /** Shared counters across instances; in-memory when absent. */
  redisUrl?: string | null;
}

export const RATE_LIMITED = 'RATE_LIMITED';

/** The per-IP budget of anonymous callers. */
const IP_THROTTLER = 'ip';

/** One counter per client for the whole API, not per resolver or route. */
function counterKey(throttlerName: string, tracker: string): string {
  return `rl:${throttlerName}:${tracker}`;
}

/** The key a request presents (`Authorization: Bearer <key>` or `X-API-Key`), valid or not. */
export function presentedApiKey(headers: IncomingHttpHeaders): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization?.trim() ?? '');
  if (bearer) return bearer[1];
  const header = headers['x-api-key'];
  return (Array.isArray(header) ? header[0] : header)?.trim() || null;
}

/** Counters are keyed by a hash: a key never reaches Redis (or a heap dump) in clear. */
function apiKeyTracker(req: Request): string {
  const key = presentedApiKey(req.headers) ?? '';
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function limitMessage(detail: Pick<ThrottlerLimitDetail, 'limit' | 'ttl' | 'timeToBlockExpire'>, what: string): string {
  const seconds = Math.round(detail.ttl / 1000);
  const window = seconds === 1 ? 'second' : `${seconds} seconds`;
  return `Rate limit exceeded: ${detail.limit} requests per ${window}${what}; retry after ${Math.max(1, detail.timeToBlockExpire)} s`;
}

/**
 * @nestjs/throttler's guard for REST and GraphQL alike, counting one hit per HTTP request
 * (a GraphQL request runs the guard once per root field; they share the first verdict).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly verdicts = new WeakMap<object, Promise<boolean>>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the signature ThrottlerGuard declares
  protected getRequestResponse(context: ExecutionContext): { req: Record<string, any>; res: Record<string, any> } {
    if (context.getType<GqlContextType>() === 'graphql') {
      const ctx = GqlExecutionContext.create(context).getContext<{ req: Request; res?: Response }>();
      return { req: ctx.req, res: ctx.res ?? ctx.req.res! };
    }
    return super.getRequestResponse(context);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { req } = this.getRequestResponse(context);
    let verdict = this.verdicts.get(req);
    if (!verdict) {
      verdict = super.canActivate(context);
      this.verdicts.set(req, verdict);
    }
    return verdict;
  }

  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const byKey = detail.key.startsWith('rl:apiKey:');
    const message = limitMessage(detail, byKey ? ' for this API key' : ' from this address');
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    const { res } = this.getRequestResponse(context);
    res.setHeader?.('Retry-After', String(retryAfterSeconds));
    if (context.getType<GqlContextType>() === 'graphql') {
      throw new GraphQLError(message, {
        extensions: { code: RATE_LIMITED, retryAfterSeconds, limit: detail.limit, windowSeconds: Math.round(detail.ttl / 1000) },
      });
    }
    throw new ThrottlerException(message);
  }
}

/**
 * In-memory counters, one fixed window per client and limit: O(1) per request and one small record per
 * client (@nestjs/throttler's default storage keeps a timestamp per hit and filters them on every request).
 * Same semantics as the Redis storage: count in a window of `ttl`, block for `blockDuration` past the limit.
 */
export class FixedWindowMemoryStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly records = new Map<string, { hits: number; expiresAt: number; blockedUntil: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(sweepIntervalMs = 60_000) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    let record = this.records.get(id);
    if (!record || (record.expiresAt <= now && record.blockedUntil <= now)) {
      record = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.records.set(id, record);
    } else if (record.expiresAt <= now) {
      record.hits = 0;
      record.expiresAt = now + ttl;
    }
    record.hits++;
    if (record.blockedUntil <= now && record.hits > limit) record.blockedUntil = now + blockDuration;
    const isBlocked = record.blockedUntil > now;
    return {
      totalHits: record.hits,
      timeToExpire: Math.ceil((record.expiresAt - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil((record.blockedUntil - now) / 1000) : 0,
    };
  }

  private sweep(now = Date.now()): void {
    for (const [id, record] of this.records) {
      if (record.expiresAt <= now && record.blockedUntil <= now) this.records.delete(id);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.records.clear();
  }
}

/**
 * Redis counters shared by every instance; when Redis is unreachable, each instance falls back to its
 * own in-memory counters (limits stay enforced per instance) instead of failing requests.
 */
export class SharedThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new FixedWindowMemoryStorage();
  private lastWarning = 0;

  constructor(redisUrl: string) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, keyPrefix: 'coverage:' });
    this.redis.on('error', (error) => this.warn(`Redis at ${redactUrl(redisUrl)}: ${error.message}`));
    this.shared = new ThrottlerStorageRedisService(this.redis);
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < 30_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`${message}; rate limits are counted per instance until it is back`);
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    try {
      return await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.warn(`rate-limit counter not updated in Redis (${(error as Error).message})`);
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  private closed = false;

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.local.onApplicationShutdown();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function requestOf(context: ExecutionContext): Request & { apiKey?: { id: string; rateLimit: number | null } } {
  return context.getType<GqlContextType>() === 'graphql' ? GqlExecutionContext.create(context).getContext().req : context.switchToHttp().getRequest();
}

/**
 * Anonymous callers share a budget per client IP. A caller with a valid key (verified before the request
 * runs, see src/auth/presented-keys.ts) has the key's own budget instead, wherever its requests come from:
 * the key's `rate_limit`, or `perApiKey` when it has none (0: unlimited).
 */
export function throttlers(settings: RateLimitSettings): ThrottlerOptions[] {
  const ttl = settings.windowSeconds * 1000;
  const list: ThrottlerOptions[] = [];
  const keyLimit = (context: ExecutionContext): number => {
    const key = requestOf(context).apiKey;
    return key ? (key.rateLimit ?? settings.perApiKey) : 0;
  };
  if (settings.perIp > 0) list.push({ name: IP_THROTTLER, ttl, limit: settings.perIp, skipIf: (context) => Boolean(requestOf(context).apiKey) });
  list.push({
    name: 'apiKey',
    ttl,
    limit: keyLimit,
    // Counted per key id: a key never reaches Redis (or a heap dump) in clear, nor its hash.
    getTracker: (req) => (req as { apiKey?: { id: string } }).apiKey?.id ?? apiKeyTracker(req as Request),
    skipIf: (context) => keyLimit(context) <= 0,
  });
  return list;
}

@Module({})
export class RateLimitModule {
  static forRoot(settings: RateLimitSettings): DynamicModule {
    const list = throttlers(settings);
    const storage = settings.redisUrl ? new SharedThrottlerStorage(settings.redisUrl) : new FixedWindowMemoryStorage();
    return {
      module: RateLimitModule,
      // The budget is counted by the answers given from memory too (answer-caching.ts, answer-fast-path.ts).
      global: true,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: list,
          storage,
          // One counter per client for the whole API, not per resolver or route.
          generateKey: (_context, tracker, name) => counterKey(name, tracker),
        }),
      ],
      providers: [
        ...(list.length ? [{ provide: APP_GUARD, useClass: RateLimitGuard }] : []),
        // Listed so Nest runs its shutdown hook (timers, Redis connection).
        { provide: 'RATE_LIMIT_STORAGE', useValue: storage },
        { provide: AnonymousIpLimit, useValue: new AnonymousIpLimit(settings, storage) },
      ],
      exports: [AnonymousIpLimit],
    };
  }
}

const OVER_IP_LIMIT = Symbol('overIpLimit');

/**
 * Marks a request found over the per-IP budget before the Express chain: the normal path must not answer
 * it from memory (a 304 or a kept answer skips the resolvers, and so the guard), so that the guard answers
 * it with its 429.
 */
export function markOverIpLimit(req: object): void {
  (req as Record<symbol, boolean>)[OVER_IP_LIMIT] = true;
}

export function isOverIpLimit(req: object | undefined): boolean {
  return Boolean(req && (req as Record<symbol, boolean>)[OVER_IP_LIMIT]);
}

/**
 * The anonymous per-IP budget counted outside Nest (answers given before the Express chain, see
 * AnswerFastPath.frontDoor): the same counter, storage, window and headers as the guard's `ip` throttler.
 */
export class AnonymousIpLimit {
  private readonly ttl: number;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly storage: ThrottlerStorage,
  ) {
    this.ttl = settings.windowSeconds * 1000;
  }

  /**
   * Counts one request from `ip` (the address Express gives as req.ip). `blocked`: over the budget (the
   * normal path answers it: its 429 and Retry-After). Otherwise the headers the guard sets on an answer.
   */
  async count(ip: string | undefined): Promise<{ blocked: boolean; headers: Array<[string, string]> }> {
    const limit = this.settings.perIp;
    if (limit <= 0) return { blocked: false, headers: [] };
    const tracker = normalizeIp(ip as string, DEFAULT_IPV6_SUBNET_PREFIX);
    const record = await this.storage.increment(counterKey(IP_THROTTLER, tracker), this.ttl, limit, this.ttl, IP_THROTTLER);
    if (record.isBlocked) return { blocked: true, headers: [] };
    return {
      blocked: false,
      headers: [
        [`X-RateLimit-Limit-${IP_THROTTLER}`, String(limit)],
        [`X-RateLimit-Remaining-${IP_THROTTLER}`, String(Math.max(0, limit - record.totalHits))],
        [`X-RateLimit-Reset-${IP_THROTTLER}`, String(record.timeToExpire)],
      ],
    };
  }
}
