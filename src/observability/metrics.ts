import type { ApolloServerPlugin } from '@apollo/server';
import { Controller, Get, Global, Header, Injectable, Module, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { NextFunction, Request, Response } from 'express';
import { Kind, OperationDefinitionNode } from 'graphql';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Database } from '../database/database';
import type { AnswerCacheEvents } from '../graphql/answer-cache';

/** Seconds: a lookup answers in milliseconds, a search or research question in up to seconds. */
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: an import takes from seconds (a small issuer) to many minutes (a million providers). */
const IMPORT_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
/** Operation names are chosen by clients: past this many distinct ones, the rest are counted as "other". */
const MAX_OPERATION_NAMES = 200;

/**
 * The API's Prometheus metrics (prom-client), on a registry of its own per application (several
 * applications in one process, as in tests, do not collide): requests and latency per GraphQL operation
 * and per REST route, conditional answers (304), the in-process answer cache, database pools, import jobs,
 * and Node's process metrics.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly graphqlRequests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation name, type and outcome (ok, error, not_modified)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from the start of a GraphQL request to its response, by operation name',
    labelNames: ['operation', 'type'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route (path template) and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route (path template)',
    labelNames: ['method', 'route'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  readonly notModified = new Counter({
    name: 'http_cache_not_modified_total',
    help: 'Conditional requests answered 304 Not Modified (the answer was not computed again), by API',
    labelNames: ['api'] as const,
    registers: [this.registry],
  });
  readonly answerCacheLookups = new Counter({
    name: 'graphql_answer_cache_lookups_total',
    help: 'Cacheable GraphQL queries looked up in the in-process answer cache, by outcome (hit: answered without running resolvers, miss)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly answerCacheEvictions = new Counter({
    name: 'graphql_answer_cache_evictions_total',
    help: 'Answers evicted from the in-process answer cache to stay within ANSWER_CACHE_MAX_BYTES',
    registers: [this.registry],
  });
  private answerCache: { bytes: number; entries: number } | null = null;
  readonly importJobs = new Counter({
    name: 'import_jobs_total',
    help: 'Import jobs finished by this instance, by outcome (succeeded, unchanged, failed)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly importDuration = new Histogram({
    name: 'import_job_duration_seconds',
    help: 'Time an import job ran, from start to its outcome',
    labelNames: ['status'] as const,
    buckets: IMPORT_BUCKETS,
    registers: [this.registry],
  });

  constructor(db: Database) {
    const stats = () => db.poolStats();
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of each database pool (primary, replica) by state: total (open), idle, in_use',
      labelNames: ['role', 'server', 'state'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const roles = new Map<string, number>();
        for (const pool of stats()) {
          const server = String(roles.get(pool.role) ?? 0);
          roles.set(pool.role, Number(server) + 1);
          this.set({ role: pool.role, server, state: 'total' }, pool.total);
          this.set({ role: pool.role, server, state: 'idle' }, pool.idle);
          this.set({ role: pool.role, server, state: 'in_use' }, pool.total - pool.idle);
        }
      },
    });
    new Gauge({
      name: 'db_pool_waiting_requests',
      help: 'Queries waiting for a free connection, by pool: above 0 for long means the pool is too small',
      labelNames: ['role', 'server'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const roles = new Map<string, number>();
        for (const pool of stats()) {
          const server = String(roles.get(pool.role) ?? 0);
          roles.set(pool.role, Number(server) + 1);
          this.set({ role: pool.role, server }, pool.waiting);
        }
      },
    });
    const answerCache = () => this.answerCache;
    new Gauge({
      name: 'graphql_answer_cache_size',
      help: 'The in-process answer cache: bytes (serialized answers) and entries kept',
      labelNames: ['unit'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const cache = answerCache();
        if (!cache) return;
        this.set({ unit: 'bytes' }, cache.bytes);
        this.set({ unit: 'entries' }, cache.entries);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The in-process answer cache whose size is reported, and its lookups and evictions counted. */
  watchAnswerCache(cache: { bytes: number; entries: number }): void {
    this.answerCache = cache;
  }

  /** What the in-process answer cache tells: counted. */
  answerCacheEvents(): AnswerCacheEvents {
    return {
      hit: () => this.answerCacheLookups.inc({ outcome: 'hit' }),
      miss: () => this.answerCacheLookups.inc({ outcome: 'miss' }),
      evicted: () => this.answerCacheEvictions.inc(),
    };
  }

  /** One HTTP request answered (`started`: process.hrtime.bigint() when it arrived). */
  httpAnswered(method: string, route: string, status: number, started: bigint): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** The label for a client-chosen operation name, bounded in number. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  importFinished(status: string, seconds: number): void {
    this.importJobs.inc({ status });
    this.importDuration.observe({ status }, seconds);
  }
}

/** GraphQL requests and their latency per operation name; 304s counted apart as cache hits. */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operationName, operation, request, document }) {
          // A query that failed validation has no resolved operation: its name is read from the document.
          const named = document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && Boolean(d.name));
          const operationLabel = metrics.operationLabel(operationName ?? request.operationName ?? named?.name?.value);
          const type = operation?.operation ?? 'unknown';
          const status = response.http.status ?? 200;
          const failed = response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length);
          const outcome = status === 304 ? 'not_modified' : failed || status >= 400 ? 'error' : 'ok';
          metrics.graphqlRequests.inc({ operation: operationLabel, type, outcome });
          metrics.graphqlDuration.observe({ operation: operationLabel, type }, Number(process.hrtime.bigint() - started) / 1e9);
          if (status === 304) metrics.notModified.inc({ api: 'graphql' });
        },
      };
    },
  };
}

/** Every HTTP request (REST routes by their template, so /plans/:planid is one series), when it finishes. */
export function httpMetricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    // Read now: routers mounted on a prefix rewrite req.path while they handle the request.
    const path = req.path;
    res.once('finish', () => {
      const template = (req.route as { path?: string } | undefined)?.path;
      const route = path === '/graphql' || path.startsWith('/graphql/') ? '/graphql' : template ? `${req.baseUrl}${template}` : 'unmatched';
      metrics.httpAnswered(req.method, route, res.statusCode, started);
      if (res.statusCode === 304 && path.startsWith('/api/')) metrics.notModified.inc({ api: 'rest' });
    });
    next();
  };
}

/** `GET /metrics` in Prometheus' text format; never rate limited (scrapers poll it). */
@SkipThrottle({ ip: true, apiKey: true })
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    // end(), not send(): Express would add a charset to the content type Prometheus negotiates.
    res.end(await this.metrics.registry.metrics());
  }
}

@Global()
@Module({ providers: [Metrics], controllers: [MetricsController], exports: [Metrics] })
export class MetricsModule {}
