import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import type { TransformFnParams } from 'class-transformer';
import { FieldNode, OperationDefinitionNode, printSchema, valueFromASTUntyped } from 'graphql';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isOverIpLimit, markOverIpLimit, presentedApiKey, type AnonymousIpLimit } from '../common/rate-limit';
import { Database } from '../database/database';
import type { AnswerCache } from './answer-cache';
import { questionKey, type AnswerFastPath } from './answer-fast-path';
import { toList } from '../marketplace/dto/marketplace-query.dto';
import { parseNetworkId } from '../networks/networks.service';

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
/** The Vary of a cacheable answer: keyed callers get answers of their own. */
export const ANSWER_VARY = 'Authorization, X-API-Key';
/** Keyed callers: their own client may keep and revalidate the answer, shared caches must not store it. */
export const PRIVATE_REVALIDATE = 'private, no-cache';

export function publicCacheControl(settings: HttpCacheSettings): string {
  if (settings.maxAgeSeconds <= 0) return 'public, no-cache';
  const swr = settings.staleWhileRevalidateSeconds > 0 ? `, stale-while-revalidate=${settings.staleWhileRevalidateSeconds}` : '';
  return `public, max-age=${settings.maxAgeSeconds}${swr}`;
}

/**
 * What an answer reads. `all`: every issuer's published version (searches, market-wide research). Otherwise
 * the published versions of `issuers` (named by the question: a plan id's first five characters are its
 * issuer's id, as the importer enforces), plus those of the issuers whose published version lists one of
 * `npis` (the two questions name a doctor from any directory: "not listed in any loaded directory" and the
 * doctor's listing depend on every directory listing that NPI), plus the names published formularies give
 * `rxcuis` (a drug's name is read across them).
 */
export type AnswerScope = 'all' | { issuers: string[]; npis: string[]; rxcuis: string[] };

export const ALL_ISSUERS: AnswerScope = 'all';

/** Adds what one root field's arguments name to the scope; false when its answer may read any issuer. */
type ScopeReader = (args: Record<string, unknown>, scope: ScopeBuilder) => boolean;

class ScopeBuilder {
  readonly issuers = new Set<string>();
  readonly npis = new Set<string>();
  readonly rxcuis = new Set<string>();

  issuer(value: unknown): boolean {
    const id = typeof value === 'string' ? value.trim() : '';
    if (!/^[0-9]{5}$/.test(id)) return false;
    this.issuers.add(id);
    return true;
  }
  plans(value: unknown): boolean {
    const ids = Array.isArray(value) ? value : [value];
    return ids.every((id) => typeof id === 'string' && this.issuer(id.trim().slice(0, 5)));
  }
  private ids(value: unknown, pattern: RegExp, into: Set<string>): boolean {
    if (value === undefined || value === null) return true;
    const ids = Array.isArray(value) ? value : [value];
    for (const id of ids) {
      const trimmed = typeof id === 'string' ? id.trim() : '';
      if (!pattern.test(trimmed)) return false;
      into.add(trimmed);
    }
    return true;
  }
  doctors(value: unknown): boolean {
    return this.ids(value, /^[0-9]{10}$/, this.npis);
  }
  drugs(value: unknown): boolean {
    return this.ids(value, /^[1-9][0-9]{0,9}$/, this.rxcuis);
  }
  scope(): AnswerScope {
    return { issuers: [...this.issuers].sort(), npis: [...this.npis].sort(), rxcuis: [...this.rxcuis].sort() };
  }
}

/**
 * The issuers' published versions an answer reads, by what the question names. Fields not listed read
 * across issuers (or their reads were not analysed): `all`. A listed field's nested fields stay within what
 * it names (a plan's issuer, networks, tiers and data quality are its issuer's; a doctor's listings are
 * found through `npis`, a drug's names through `rxcuis`); a nested field reading further must make its root
 * field `all` here. Any value that is not a well-formed id also gives `all`.
 */
const ROOT_FIELD_SCOPES: Readonly<Record<string, ScopeReader>> = {
  __typename: () => true,
  __schema: () => true,
  __type: () => true,
  plan: (a, s) => s.plans(a.planId),
  planDataQuality: (a, s) => s.plans(a.planId),
  plansSharingNetwork: (a, s) => s.plans(a.planId),
  formularyChanges: (a, s) => s.plans(a.planId),
  // A network id names its first (plan, tier): a network is one issuer's (an id that is not one answers null).
  network: (a, s) => {
    const entry = typeof a.id === 'string' ? parseNetworkId(a.id) : null;
    return entry ? s.plans(entry.planId) : typeof a.id === 'string';
  },
  issuer: (a, s) => s.issuer(a.issuerId),
  dataQuality: (a, s) => s.issuer(a.issuerId),
  networks: (a, s) => s.issuer(a.issuerId),
  plans: (a, s) => s.issuer(a.issuerId),
  provider: (a, s) => s.doctors(a.npi) && a.npi !== undefined,
  drug: (a, s) => s.drugs(a.rxnormId) && a.rxnormId !== undefined,
  networkCoverage: (a, s) => s.plans(a.planIds) && s.doctors(a.npis),
  drugCoverage: (a, s) => s.plans(a.planIds) && s.drugs(a.rxnormIds),
  // Without plan ids, every plan of a state: any issuer.
  comparePlans: (a, s) => Array.isArray(a.planIds) && a.state == null && s.plans(a.planIds) && s.doctors(a.npis) && s.drugs(a.rxnormIds),
};

/** The variables of an operation with the defaults it declares for those not given. */
function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = { ...(variables ?? {}) };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue) values[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return values;
}

/**
 * What a cacheable operation reads (see AnswerScope): the union over its root fields, `all` as soon as one
 * root field reads every issuer.
 */
export function graphqlAnswerScope(operation: OperationDefinitionNode, variables?: Record<string, unknown>): AnswerScope {
  const values = withDefaults(operation, variables);
  const scope = new ScopeBuilder();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== 'Field') return ALL_ISSUERS;
    const reader = ROOT_FIELD_SCOPES[selection.name.value];
    if (!reader) return ALL_ISSUERS;
    const args: Record<string, unknown> = {};
    for (const argument of selection.arguments ?? []) args[argument.name.value] = valueFromASTUntyped(argument.value, values);
    if (!reader(args, scope)) return ALL_ISSUERS;
  }
  return scope.scope();
}

/** A REST list parameter as the routes read it (comma-separated, repeated or both). */
function restList(value: unknown): string[] | undefined {
  return toList({ value } as TransformFnParams);
}

/**
 * What a REST read reads, by route (`path` relative to the base path): the coverage grids and lookups by
 * id name their plans, doctors and drugs; searches and statistics read every issuer.
 */
export function restAnswerScope(path: string, query: Record<string, unknown>): AnswerScope {
  const scope = new ScopeBuilder();
  const [first, second, ...rest] = path.replace(/^\/+|\/+$/g, '').split('/');
  if (rest.length || second === undefined) return ALL_ISSUERS;
  const single = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  };
  let ok: boolean;
  if (first === 'providers' && second === 'covered') ok = scope.plans(restList(query.planids) ?? []) && scope.doctors(restList(query.providerids));
  else if (first === 'drugs' && second === 'covered') ok = scope.plans(restList(query.planids) ?? []) && scope.drugs(restList(query.drugs));
  else if (first === 'plans') ok = scope.plans(single(second));
  else if (first === 'providers' && !['search', 'autocomplete'].includes(second)) ok = scope.doctors(single(second));
  else if (first === 'drugs' && !['search', 'autocomplete'].includes(second)) ok = scope.drugs(single(second));
  else ok = false;
  return ok ? scope.scope() : ALL_ISSUERS;
}

/**
 * The versions of the drug reference data (generic equivalents, prices), loaded outside any dataset
 * version: part of every digest (a load is rare, and what reads it is not analysed per field).
 */
const REFERENCE_SQL = `coalesce((SELECT string_agg(name || ':' || version, ',' ORDER BY name) FROM reference_data_version), '')`;

/**
 * Every issuer's published version, when a carrier's feed was last checked (feed health and data quality
 * change with a check, without a publish), and the reference data's versions.
 */
const ALL_ISSUERS_SQL = `SELECT md5(
    coalesce((SELECT string_agg(issuer_id || ':' || current_version_id, ',' ORDER BY issuer_id) FROM issuer WHERE current_version_id > $1), '')
    || '|' || coalesce((SELECT max(last_checked_at)::text FROM feed), '')
    || '|' || ${REFERENCE_SQL}) AS f`;

/**
 * The published versions of the named issuers and of those listing the NPIs, when those issuers' feeds
 * were last checked, the names the published formularies give the RXCUIs (all a drug's answer reads
 * from other issuers: a publish that leaves the names as they were changes nothing), and the reference
 * data's versions. An issuer that
 * publishes nothing yet adds nothing: its first publish changes the digest. The NPI and RXCUI parts are
 * there only when the question names some (four prepared statements at most).
 */
function scopedSql(npis: boolean, rxcuis: boolean): string {
  // Per published version (EXISTS, LATERAL): each probe reads one partition by its index, which costs a
  // fraction of scanning every partition for the NPIs or RXCUIs and joining the versions afterwards.
  return `WITH published AS MATERIALIZED (SELECT issuer_id, current_version_id AS version_id FROM issuer WHERE current_version_id IS NOT NULL),
    read AS MATERIALIZED (
      SELECT issuer_id, version_id FROM published p
       WHERE issuer_id = ANY($1::char(5)[])
       ${npis ? 'OR EXISTS (SELECT 1 FROM provider l WHERE l.version_id = p.version_id AND l.npi = ANY($2::char(10)[]))' : ''}
    )
    SELECT md5(
      coalesce((SELECT string_agg(issuer_id || ':' || version_id, ',' ORDER BY issuer_id) FROM read), '')
      || '|' || coalesce((SELECT string_agg(issuer_id || ':' || coalesce(last_checked_at::text, ''), ',' ORDER BY issuer_id) FROM feed
                           WHERE issuer_id IN (SELECT issuer_id FROM read) OR issuer_id = ANY($1::char(5)[])), '')
      || '|' || ${REFERENCE_SQL}
      ${
        rxcuis
          ? `|| '|' || coalesce((SELECT string_agg(DISTINCT d.rxnorm_id || ':' || d.drug_name, ',' ORDER BY d.rxnorm_id || ':' || d.drug_name)
                                  FROM published p CROSS JOIN LATERAL (
                                    SELECT rxnorm_id, drug_name FROM drug WHERE drug.version_id = p.version_id AND drug.rxnorm_id = ANY($${npis ? 3 : 2}::text[])) d), '')`
          : ''
      }) AS f`;
}

const SCOPED_SQL = [scopedSql(false, false), scopedSql(false, true), scopedSql(true, false), scopedSql(true, true)];

function fingerprintQuery(scope: AnswerScope): { sql: string; params: unknown[] } {
  // The parameter only makes the read prepare the statement (it prepares parameterized ones).
  if (scope === 'all') return { sql: ALL_ISSUERS_SQL, params: [0] };
  const params: unknown[] = [scope.issuers];
  if (scope.npis.length) params.push(scope.npis);
  if (scope.rxcuis.length) params.push(scope.rxcuis);
  return { sql: SCOPED_SQL[(scope.npis.length ? 2 : 0) + (scope.rxcuis.length ? 1 : 0)], params };
}

/**
 * The published versions an answer reads (its AnswerScope), as one short digest. Read before an answer is
 * computed, so an answer is never older than the versions its ETag names (a publish racing the answer gives
 * a newer answer under the older ETag, which the next revalidation replaces).
 */
export class PublishedFingerprint {
  constructor(private readonly db: Database) {}

  /**
   * The digest, or null while servers disagree. With read replicas an answer may be read from any of them
   * (or the primary when one is down), so the digest counts only when every server has the same versions:
   * otherwise a lagging replica could answer the previous version under the new version's ETag, and
   * revalidations would keep that answer until the next publish.
   */
  async read(scope: AnswerScope = ALL_ISSUERS): Promise<string | null> {
    const { sql, params } = fingerprintQuery(scope);
    if (!this.db.hasReplicas) {
      const [row] = await this.db.read<Array<{ f: string }>>(sql, params);
      return row.f;
    }
    const everywhere = await this.db.readOnEveryServer<Array<{ f: string }>>(sql, params).catch(() => null);
    if (!everywhere) return null;
    const digests = new Set(everywhere.map(([row]) => row.f));
    return digests.size === 1 ? [...digests][0] : null;
  }
}

/** The UTC day: answers that count days since a load change at midnight without a publish. */
export function utcDay(): string {
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
 * Apollo with 405), errors and uncacheable fields keep `no-store`. With `cache`, answers of cacheable
 * queries (GET or POST) are kept under the same key as their ETag and answered again without running any
 * resolver while the versions they read stay published.
 */
export function answerCachingPlugin(
  fingerprint: PublishedFingerprint,
  settings: HttpCacheSettings,
  events: CacheEvents = {},
  cache?: AnswerCache,
  fastPath?: AnswerFastPath,
  limit?: AnonymousIpLimit,
): ApolloServerPlugin {
  /**
   * An answer given from memory (304, kept answer) runs no resolver, so not the rate-limit guard: an
   * anonymous one is counted against the per-IP budget here (keyed callers' budgets stay the guard's).
   * False when over the budget: the request runs, and the guard answers 429.
   */
  const counted = async (context: GraphQLRequestContext<object>): Promise<boolean> => {
    const req = (context.contextValue as { req?: { ip?: string; apiKey?: unknown } }).req;
    if (!limit || !req || req.apiKey) return true;
    const { blocked, headers } = await limit.count(req.ip);
    if (blocked) {
      markOverIpLimit(req);
      return false;
    }
    for (const [name, value] of headers) context.response.http.headers.set(name.toLowerCase(), value);
    return true;
  };
  let schemaDigest = '';
  const publicControl = publicCacheControl(settings);
  return {
    async serverWillStart({ schema }) {
      // A deployment that changes the schema changes every ETag; instances running the same code agree.
      schemaDigest = createHash('sha256').update(printSchema(schema)).digest('hex').slice(0, 16);
    },
    async requestDidStart({ request }) {
      const isGet = request.http?.method === 'GET';
      // The question and the versions it reads: the ETag of a GET, the key of the answer cache.
      let key: string | null = null;
      let control = NO_STORE;
      let fromCache = false;
      // The fast path's generation read before the published versions (null: nothing to remember).
      let generation: number | null = null;
      let day = '';
      return {
        async didResolveOperation(context: GraphQLRequestContext<object>) {
          if ((!isGet && !cache) || !isCacheableOperation(context.operation)) return;
          generation = fastPath?.generation() ?? null;
          const versions = await fingerprint.read(graphqlAnswerScope(context.operation!, context.request.variables));
          if (versions === null) return;
          day = utcDay();
          key = answerETag([schemaDigest, context.source, context.request.operationName ?? null, context.request.variables ?? null, versions, day]);
          control = isCredentialed(context.request.http!.headers) ? PRIVATE_REVALIDATE : publicControl;
        },
        async responseForOperation(context) {
          // Over its budget: the resolvers' guard answers (429), not memory.
          if (!key || isOverIpLimit((context.contextValue as { req?: object }).req)) return null;
          if (isGet && ifNoneMatchHits(context.request.http!.headers.get('if-none-match'), key)) {
            if (!(await counted(context))) return null;
            events.notModified?.();
            context.response.http.status = 304;
            return { http: context.response.http, body: { kind: 'single', singleResult: {} } };
          }
          const kept = cache?.get(key);
          if (!kept || !(await counted(context))) return null;
          fromCache = true;
          return { http: context.response.http, body: { kind: 'single', singleResult: { ...kept } } };
        },
        async willSendResponse({ response, request: asked, operationName }) {
          const ok = response.body.kind === 'single' && !response.body.singleResult.errors?.length && (response.http.status ?? 200) < 400;
          if (key && ok && cache && !fromCache && response.http.status !== 304 && response.body.kind === 'single') cache.set(key, response.body.singleResult);
          // Remembered for the fast path: only answers to anonymous callers (keys are checked by the normal path).
          // A 304 remembers the ETag again (after a publish elsewhere moved the generation), without an answer.
          if (fastPath && key && ok && generation !== null && control === publicControl && response.body.kind === 'single') {
            const question = questionKey(asked.query, asked.extensions?.persistedQuery?.sha256Hash, asked.operationName, asked.variables);
            if (question) fastPath.remember(question, { etag: key, cacheControl: control, generation, day, operationName: operationName ?? null });
          }
          if (key && ok && isGet) {
            response.http.headers.set('etag', key);
            response.http.headers.set('cache-control', control);
            response.http.headers.set('vary', ANSWER_VARY);
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
  /** Remembers the ETags sent to anonymous callers: their revalidations are answered without the database. */
  fastPath?: AnswerFastPath;
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
    const anonymous = !isCredentialed(req.headers) && req.query.apikey === undefined;
    const fastPath = anonymous ? caching.fastPath : undefined;
    // Nothing published since the normal path sent this ETag (see AnswerFastPath): 304 without the database.
    const memoKey = `rest ${req.originalUrl}`;
    const remembered = fastPath?.current(memoKey);
    if (remembered && ifNoneMatchHits(req.headers['if-none-match'], remembered.etag)) {
      caching.events?.notModified?.();
      res.status(304).set({ etag: remembered.etag, 'cache-control': remembered.cacheControl, vary: ANSWER_VARY }).end();
      return;
    }
    const generation = fastPath?.generation() ?? null;
    // Inside the promise: a query string the scope cannot read fails into the route's own answer, not a 500 here.
    Promise.resolve()
      .then(() => caching.fingerprint.read(restAnswerScope(req.path.slice(basePath.length), req.query as Record<string, unknown>)))
      .then(
        (versions) => {
          if (versions === null) return next();
          const day = utcDay();
          const etag = answerETag(['rest', req.originalUrl, versions, day]);
          const control = anonymous ? publicControl : PRIVATE_REVALIDATE;
          const remember = () => {
            if (fastPath && generation !== null) fastPath.remember(memoKey, { etag, cacheControl: control, generation, day, operationName: null });
          };
          if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
            caching.events?.notModified?.();
            remember();
            res.status(304).set({ etag, 'cache-control': control, vary: ANSWER_VARY }).end();
            return;
          }
          onHeaders(res, () => {
            if (res.statusCode === 200) {
              res.set({ etag, 'cache-control': control, vary: ANSWER_VARY });
              remember();
            } else res.set('cache-control', NO_STORE);
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
