import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { FieldNode, OperationDefinitionNode, printSchema } from 'graphql';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { presentedApiKey } from '../common/rate-limit';
import { Database } from '../database/database';

/**
 * Answers are immutable per published version: the same question asked while the same dataset versions are
 * published gets the same answer. So a read over GET carries an ETag derived from the question and those
 * versions, and a Cache-Control that lets a CDN or caching proxy answer repeats; `If-None-Match` is
 * answered `304` after one small read of the published versions, without running the question.
 */
export interface HttpCacheSettings {
  /** Seconds a shared cache may serve an answer without asking again (0: always revalidate). */
  maxAgeSeconds: number;
  /** Seconds past max-age a cache may serve a stale answer while it revalidates in the background. */
  staleWhileRevalidateSeconds: number;
}

/**
 * Root fields whose answers depend on nothing but the published dataset versions (and the day: freshness
 * fields count days). Anything else (import jobs, listing reports, the list of loads) changes without a
 * publish and is never cacheable; a new root field is uncacheable until it is listed here.
 */
export const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  '__schema',
  '__type',
  'plan',
  'plans',
  'networkCoverage',
  'provider',
  'drugCoverage',
  'drug',
  'searchDrugs',
  'plansCovering',
  'searchProviders',
  'comparePlans',
  'dataQuality',
  'planDataQuality',
  'issuer',
  'formularyChanges',
  'drugCoverageStats',
  'compareFormularies',
  'priorAuthorizationRates',
  'rankPlansByBreadth',
  'findPlans',
  'networks',
  'network',
  'plansSharingNetwork',
]);

export const NO_STORE = 'no-store';
/** Keyed callers: their own client may keep and revalidate the answer, shared caches must not store it. */
export const PRIVATE_REVALIDATE = 'private, no-cache';

export function publicCacheControl(settings: HttpCacheSettings): string {
  if (settings.maxAgeSeconds <= 0) return 'public, no-cache';
  const swr = settings.staleWhileRevalidateSeconds > 0 ? `, stale-while-revalidate=${settings.staleWhileRevalidateSeconds}` : '';
  return `public, max-age=${settings.maxAgeSeconds}${swr}`;
}

/**
 * What answers depend on: every issuer's published version, and when a carrier's feed was last checked
 * (feed health and data quality change with a check, without a publish).
 */
const FINGERPRINT_SQL = `SELECT md5(
    coalesce((SELECT string_agg(issuer_id || ':' || current_version_id, ',' ORDER BY issuer_id) FROM issuer WHERE current_version_id > $1), '')
    || '|' || coalesce((SELECT max(last_checked_at)::text FROM feed), '')) AS f`;

/**
 * The published versions of every issuer, as one short digest. Read before an answer is computed, so an
 * answer is never older than the versions its ETag names (a publish racing the answer gives a newer answer
 * under the older ETag, which the next revalidation replaces).
 */
export class PublishedFingerprint {
  constructor(private readonly db: Database) {}

  /**
   * The digest, or null while servers disagree. With read replicas an answer may be read from any of them
   * (or the primary when one is down), so the digest counts only when every server has the same versions:
   * otherwise a lagging replica could answer the previous version under the new version's ETag, and
   * revalidations would keep that answer until the next publish.
   */
  async read(): Promise<string | null> {
    // The parameter only makes the read prepare the statement (it prepares parameterized ones).
    if (!this.db.hasReplicas) {
      const [row] = await this.db.read<Array<{ f: string }>>(FINGERPRINT_SQL, [0]);
      return row.f;
    }
    const everywhere = await this.db.readOnEveryServer<Array<{ f: string }>>(FINGERPRINT_SQL, [0]).catch(() => null);
    if (!everywhere) return null;
    const digests = new Set(everywhere.map(([row]) => row.f));
    return digests.size === 1 ? [...digests][0] : null;
  }
}

/** The UTC day: answers that count days since a load change at midnight without a publish. */
function utcDay(): string {
  return new Date().toISOString().slice(0, 10);
}

export function answerETag(parts: unknown[]): string {
  return `"${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 32)}"`;
}

/** True when an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 requires for it). */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return false;
  const bare = etag.replace(/^W\//, '');
  return value.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

function isCredentialed(headers: IncomingHttpHeaders | { get(name: string): string | undefined }): boolean {
  if ('get' in headers && typeof headers.get === 'function') return Boolean(headers.get('authorization') || headers.get('x-api-key'));
  return presentedApiKey(headers as IncomingHttpHeaders) !== null;
}

/** A query whose every root field answers from published data only. */
function isCacheableOperation(operation: OperationDefinitionNode | undefined): boolean {
  if (!operation || operation.operation !== 'query') return false;
  return operation.selectionSet.selections.every((selection) => selection.kind === 'Field' && CACHEABLE_ROOT_FIELDS.has((selection as FieldNode).name.value));
}

/** Told of every conditional answer (for metrics). */
export interface CacheEvents {
  notModified?(): void;
}

/**
 * ETag, Cache-Control and `304 Not Modified` for GraphQL reads over GET (including automatic persisted
 * queries, whose text Apollo has already looked up by hash here). POSTs, mutations (refused over GET by
 * Apollo with 405), errors and uncacheable fields keep `no-store`.
 */
export function answerCachingPlugin(fingerprint: PublishedFingerprint, settings: HttpCacheSettings, events: CacheEvents = {}): ApolloServerPlugin {
  let schemaDigest = '';
  const publicControl = publicCacheControl(settings);
  return {
    async serverWillStart({ schema }) {
      // A deployment that changes the schema changes every ETag; instances running the same code agree.
      schemaDigest = createHash('sha256').update(printSchema(schema)).digest('hex').slice(0, 16);
    },
    async requestDidStart({ request }) {
      const isGet = request.http?.method === 'GET';
      let etag: string | null = null;
      let control = NO_STORE;
      return {
        async didResolveOperation(context: GraphQLRequestContext<object>) {
          if (!isGet || !isCacheableOperation(context.operation)) return;
          const headers = context.request.http!.headers;
          const versions = await fingerprint.read();
          if (versions === null) return;
          etag = answerETag([schemaDigest, context.source, context.request.operationName ?? null, context.request.variables ?? null, versions, utcDay()]);
          control = isCredentialed(headers) ? PRIVATE_REVALIDATE : publicControl;
        },
        async responseForOperation(context) {
          if (!etag || !ifNoneMatchHits(context.request.http!.headers.get('if-none-match'), etag)) return null;
          events.notModified?.();
          context.response.http.status = 304;
          return { http: context.response.http, body: { kind: 'single', singleResult: {} } };
        },
        async willSendResponse({ response }) {
          const ok = response.body.kind === 'single' && !response.body.singleResult.errors?.length && (response.http.status ?? 200) < 400;
          if (etag && ok) {
            response.http.headers.set('etag', etag);
            response.http.headers.set('cache-control', control);
            response.http.headers.set('vary', 'Authorization, X-API-Key');
          } else {
            response.http.headers.set('cache-control', NO_STORE);
          }
        },
      };
    },
  };
}

/** What `httpAnswerCaching` needs: the published versions, the settings, and who to tell about 304s. */
export interface RestCaching {
  fingerprint: PublishedFingerprint;
  settings: HttpCacheSettings;
  events?: CacheEvents;
}

/**
 * The same headers for the REST reads (GET under `basePath`, except the pages of its documentation): an
 * ETag from the path and query string, the published versions and the day; `304` on a match, before the
 * route runs; `no-store` kept on anything but a successful answer.
 */
export function restAnswerCaching(basePath: string, excluded: (req: Request) => boolean, caching: RestCaching) {
  const publicControl = publicCacheControl(caching.settings);
  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith(basePath) || excluded(req)) return next();
    caching.fingerprint.read().then(
      (versions) => {
        if (versions === null) return next();
        const etag = answerETag(['rest', req.originalUrl, versions, utcDay()]);
        const control = isCredentialed(req.headers) || req.query.apikey !== undefined ? PRIVATE_REVALIDATE : publicControl;
        if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
          caching.events?.notModified?.();
          res.status(304).set({ etag, 'cache-control': control, vary: 'Authorization, X-API-Key' }).end();
          return;
        }
        onHeaders(res, () => {
          if (res.statusCode === 200) res.set({ etag, 'cache-control': control, vary: 'Authorization, X-API-Key' });
          else res.set('cache-control', NO_STORE);
        });
        next();
      },
      // The route answers (or reports the database) as it would without caching.
      () => next(),
    );
  };
}

/** Runs `listener` just before the status line and headers are written (what the on-headers package does). */
function onHeaders(res: Response, listener: () => void): void {
  const writeHead = res.writeHead;
  let fired = false;
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    if (!fired) {
      fired = true;
      if (typeof args[0] === 'number') res.statusCode = args[0];
      listener();
    }
    return writeHead.apply(this, args);
  } as Response['writeHead'];
}
