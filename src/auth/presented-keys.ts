import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { answerAfterDraining } from '../common/drain-request';
import { presentedApiKey } from '../common/rate-limit';
import { Database } from '../database/database';
import { API_KEY_INVALID_MESSAGE } from './api-key.guard';
import { ApiKeyPrincipal, RequestWithApiKey } from './api-key-principal';
import { hashApiKey } from './api-key-secret';
import { ApiKeysService } from './api-keys.service';

/**
 * How long an instance trusts what it learnt about a key: a revoked key is refused by every instance
 * at most this long after `npm run api-key -- revoke`.
 */
export const KEY_VERDICT_TTL_MS = 15_000;
/** Keys remembered at once (the verdicts of more keys are looked up again). */
const MAX_REMEMBERED_KEYS = 10_000;
/** Usage counts are added to the database this often, one statement for all keys. */
export const USAGE_FLUSH_INTERVAL_MS = 10_000;

/**
 * The keys presented to this instance, verified against the database once per KEY_VERDICT_TTL_MS and key
 * rather than per request (a plan-shopping site sends thousands of requests a minute with one key).
 * Verdicts are remembered by the key's SHA-256, never the key itself.
 */
@Injectable()
export class PresentedKeys {
  private readonly verdicts = new Map<string, { principal: ApiKeyPrincipal | null; until: number }>();

  constructor(private readonly apiKeys: ApiKeysService) {}

  async verify(plainKey: string): Promise<ApiKeyPrincipal | null> {
    const hash = hashApiKey(plainKey);
    const now = Date.now();
    const known = this.verdicts.get(hash);
    if (known && known.until > now) return known.principal;
    const principal = await this.apiKeys.verify(plainKey);
    if (this.verdicts.size >= MAX_REMEMBERED_KEYS) this.verdicts.delete(this.verdicts.keys().next().value!);
    this.verdicts.delete(hash);
    this.verdicts.set(hash, { principal, until: now + KEY_VERDICT_TTL_MS });
    return principal;
  }

  /** For tests and `revoke` in the same process: forget every verdict. */
  forget(): void {
    this.verdicts.clear();
  }
}

/**
 * Requests per key and UTC day, counted in memory and added to api_key_usage every
 * USAGE_FLUSH_INTERVAL_MS with one upsert (and at shutdown): a request costs a map increment, not a write.
 */
@Injectable()
export class KeyUsage implements BeforeApplicationShutdown {
  private readonly logger = new Logger('KeyUsage');
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: Database) {
    this.timer = setInterval(
      () => void this.flush().catch((error) => this.logger.warn(`usage counts not saved yet: ${(error as Error).message}`)),
      USAGE_FLUSH_INTERVAL_MS,
    );
    this.timer.unref();
  }

  count(apiKeyId: string): void {
    const day = new Date().toISOString().slice(0, 10);
    const id = `${apiKeyId}|${day}`;
    this.pending.set(id, (this.pending.get(id) ?? 0) + 1);
  }

  /** Adds the counts gathered since the last flush; kept for the next one when the database is unreachable. */
  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    const ids: string[] = [];
    const days: string[] = [];
    const counts: number[] = [];
    for (const [id, count] of batch) {
      const [apiKeyId, day] = id.split('|');
      ids.push(apiKeyId);
      days.push(day);
      counts.push(count);
    }
    try {
      // A key deleted meanwhile has no row to count against (the join drops it).
      await this.db.query(
        `INSERT INTO api_key_usage (api_key_id, day, requests)
         SELECT u.id, u.day, u.requests FROM unnest($1::uuid[], $2::date[], $3::bigint[]) AS u(id, day, requests) JOIN api_key k ON k.id = u.id
         ON CONFLICT (api_key_id, day) DO UPDATE SET requests = api_key_usage.requests + EXCLUDED.requests`,
        [ids, days, counts],
      );
    } catch (error) {
      for (const [id, count] of batch) this.pending.set(id, (this.pending.get(id) ?? 0) + count);
      throw error;
    }
  }

  /** Before the pools close (their own shutdown hooks), so the last counts can still be written. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch((error) => this.logger.warn(`usage counts lost at shutdown: ${(error as Error).message}`));
  }
}

/** Paths a key is never checked on: the probes answer whoever asks. */
function isProbe(path: string): boolean {
  return path === '/health' || path === '/ready' || path === '/metrics';
}

/** The key of a Marketplace API request's `?apikey=`, when it is one of ours (`cov_...`). */
function marketplaceQueryKey(req: Request): string | null {
  if (!req.path.startsWith('/api/v1/')) return null;
  const value = req.query?.apikey;
  const key = (Array.isArray(value) ? value[0] : value) as unknown;
  return typeof key === 'string' && key.trim().startsWith('cov_') ? key.trim() : null;
}

/** 401 for an unknown or revoked key, after the rest of the request's body (an upload's files) was read. */
function refuse(req: Request, res: Response): void {
  answerAfterDraining(req, res, () => {
    res.status(401).setHeader('WWW-Authenticate', 'Bearer');
    res.setHeader('Cache-Control', 'no-store');
    if (req.path.startsWith('/graphql')) res.json({ errors: [{ message: API_KEY_INVALID_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] });
    else if (req.path.startsWith('/api/v1/'))
      res.json({ code: 'API_KEY_INVALID', status: '401', message: 'API key not recognized or revoked', error: API_KEY_INVALID_MESSAGE });
    else res.json({ statusCode: 401, error: 'Unauthorized', message: API_KEY_INVALID_MESSAGE });
  });
}

/**
 * Identifies the caller of every request that presents a key (`Authorization: Bearer`, `X-API-Key`, or a
 * `cov_` key in the Marketplace API's `?apikey=`): an unknown or revoked key is refused with 401 before
 * anything runs; a valid one is attached to the request (its rate limit replaces the per-IP one, see
 * rate-limit.ts) and counted in the key's daily usage. Requests without a key go on as anonymous callers.
 * (A Marketplace `?apikey=` that is not ours, e.g. a CMS key left in a client ported from that API, is
 * ignored: the call is anonymous.)
 */
export function presentedKeyMiddleware(keys: PresentedKeys, usage: KeyUsage) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isProbe(req.path)) return next();
    const plainKey = presentedApiKey(req.headers) ?? marketplaceQueryKey(req);
    if (!plainKey) return next();
    keys.verify(plainKey).then(
      (principal) => {
        if (!principal) return refuse(req, res);
        (req as RequestWithApiKey).apiKey = principal;
        usage.count(principal.id);
        next();
      },
      (error) => next(error),
    );
  };
}
