import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  Environment,
  invalidPersonalDataKey,
  LOG_LEVELS,
  MISSING_PERSONAL_DATA_KEY,
  parseBoolean,
  parseByteSize,
  personalDataKeyBytes,
  processEnvironment,
  splitList,
  validateEnvironment,
} from './environment';

/**
 * Settings from the environment, validated once at start so a typo gives one clear line, not a stack trace.
 * The schema (every variable, its default and its message) is in environment.ts.
 */
export type LogLevel = (typeof LOG_LEVELS)[number];

export { ConfigError, MISSING_PERSONAL_DATA_KEY };

export interface RateLimitConfig {
  /** Length of the rate-limit window, in seconds. */
  windowSeconds: number;
  /** Requests per window and client IP (0 disables the per-IP limit). */
  perIp: number;
  /** Requests per window and valid API key without a limit of its own, instead of the IP limit (0 disables it). */
  perApiKey: number;
}

export interface UploadsConfig {
  /** Largest file accepted in an upload (UPLOAD_MAX_FILE_BYTES, default 5 GiB). */
  maxFileBytes: number;
  /** Most files in one upload (an issuer may split providers into many files). */
  maxFilesPerUpload: number;
  /** Where uploads are spooled before the import reads them (UPLOAD_TMP_DIR). */
  tempRoot: string;
  /** Imports run at once per instance; more wait QUEUED (IMPORT_MAX_CONCURRENT_JOBS). */
  maxConcurrentJobs: number;
  /** How often a running instance proves its jobs are alive. */
  heartbeatMs: number;
  /** A queued/running job whose heartbeat is older than this belongs to a dead process. */
  staleAfterMs: number;
}

export interface AppConfig {
  /** NODE_ENV=production: internal error messages are hidden and PERSONAL_DATA_KEY is required. */
  production: boolean;
  port: number;
  databaseUrl: string | null;
  /** Read replicas (DATABASE_REPLICA_URLS): GraphQL reads go there, writes and imports to DATABASE_URL. */
  databaseReplicaUrls: string[];
  dbPoolSize: number;
  /** Where `npm start` keeps the embedded PostgreSQL cluster. */
  embeddedDataDir: string;
  /** Demo providers seeded into an empty database by `npm start` (0 disables seeding). */
  seedProviders: number;
  logLevel: LogLevel;
  /** Human-readable logs (pino-pretty) instead of JSON lines; development only. */
  logPretty: boolean;
  rateLimit: RateLimitConfig;
  /** Shared rate-limit counters for many instances; in-memory (per instance) when null. */
  redisUrl: string | null;
  /** Origins allowed by CORS; '*' allows every origin (public reads). */
  corsOrigins: string[] | '*';
  /** Largest JSON/form body accepted, in bytes (uploads stream multipart and are not concerned). */
  bodyLimitBytes: number;
  /** Cache-Control of public reads over GET (HTTP_CACHE_MAX_AGE, HTTP_CACHE_STALE_WHILE_REVALIDATE). */
  httpCache: { maxAgeSeconds: number; staleWhileRevalidateSeconds: number };
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  /** Express `trust proxy` (e.g. 1 behind one load balancer) so the client IP is read from X-Forwarded-For. */
  trustProxy: boolean | number | string;
  /** Hard deadline for a graceful stop (in-flight requests get up to 10 s of it), then the process exits 1. */
  shutdownGraceMs: number;
  /** AES-256 key sealing reporters' contact emails (PERSONAL_DATA_KEY); required in production. */
  personalDataKey: Buffer | null;
  /** Listing reports one client IP may file per minute (REPORT_RATE_LIMIT_PER_MINUTE; 0 turns the limit off). */
  reportsPerMinute: number;
  uploads: UploadsConfig;
  /** Who loaded a dataset from the import command line (USER). */
  cliUser: string;
}

/** A problem at start that is fully explained by its message (no stack trace needed). */
export class StartupError extends Error {}

export const DEFAULT_REPORTS_PER_MINUTE = 5;

function text(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  return value ? value : undefined;
}

function integer(raw: string | undefined, fallback: number): number {
  const value = text(raw);
  return value === undefined ? fallback : Number(value);
}

function trustProxy(raw: string | undefined): boolean | number | string {
  const value = text(raw);
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // e.g. "loopback, 10.0.0.0/8" (express trust proxy syntax)
}

/** A 32-byte key given in base64 (or 64 hex digits); `source` names where it came from in the error. */
export function decodePersonalDataKey(raw: string, source = 'PERSONAL_DATA_KEY'): Buffer {
  const key = personalDataKeyBytes(raw);
  if (!key) throw new ConfigError(invalidPersonalDataKey(source));
  return key;
}

function corsOrigins(raw: string | undefined): string[] | '*' {
  const value = text(raw);
  if (!value || value === '*') return '*';
  return splitList(value).map((o) => o.replace(/\/$/, ''));
}

function uploads(env: Environment): UploadsConfig {
  const heartbeatMs = integer(env.IMPORT_JOB_HEARTBEAT_MS, 10_000);
  return {
    maxFileBytes: integer(env.UPLOAD_MAX_FILE_BYTES, 5 * 1024 ** 3),
    maxFilesPerUpload: integer(env.UPLOAD_MAX_FILES, 500),
    tempRoot: env.UPLOAD_TMP_DIR || join(tmpdir(), 'coverage-uploads'),
    maxConcurrentJobs: integer(env.IMPORT_MAX_CONCURRENT_JOBS, 2),
    heartbeatMs,
    staleAfterMs: integer(env.IMPORT_JOB_STALE_AFTER_MS, Math.max(6 * heartbeatMs, 60_000)),
  };
}

/** Validates the environment against the schema and returns typed settings; a bad value throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = processEnvironment()): AppConfig {
  const e = validateEnvironment(env);
  const key = text(e.PERSONAL_DATA_KEY);
  return {
    production: e.NODE_ENV === 'production',
    port: integer(e.PORT, 3000),
    databaseUrl: e.DATABASE_URL || null,
    databaseReplicaUrls: splitList(e.DATABASE_REPLICA_URLS),
    dbPoolSize: integer(e.DB_POOL_SIZE, 20),
    embeddedDataDir: e.EMBEDDED_PG_DIR || '.data/pg',
    seedProviders: integer(e.SEED_PROVIDERS, 2000),
    logLevel: (text(e.LOG_LEVEL)?.toLowerCase() ?? 'info') as LogLevel,
    logPretty: text(e.LOG_PRETTY) ? parseBoolean(e.LOG_PRETTY!)! : false,
    rateLimit: {
      windowSeconds: integer(e.RATE_LIMIT_WINDOW_SECONDS, 60),
      perIp: integer(e.RATE_LIMIT_PER_MINUTE, 1000),
      perApiKey: integer(e.RATE_LIMIT_PER_API_KEY, 1000),
    },
    redisUrl: text(e.REDIS_URL) ?? null,
    corsOrigins: corsOrigins(e.CORS_ORIGINS),
    bodyLimitBytes: text(e.BODY_LIMIT) ? parseByteSize(e.BODY_LIMIT!) : 100 * 1024,
    httpCache: {
      maxAgeSeconds: integer(e.HTTP_CACHE_MAX_AGE, 60),
      staleWhileRevalidateSeconds: integer(e.HTTP_CACHE_STALE_WHILE_REVALIDATE, 600),
    },
    graphqlMaxDepth: integer(e.GRAPHQL_MAX_DEPTH, 8),
    graphqlMaxComplexity: integer(e.GRAPHQL_MAX_COMPLEXITY, 50_000),
    trustProxy: trustProxy(e.TRUST_PROXY),
    shutdownGraceMs: integer(e.SHUTDOWN_GRACE_MS, 25_000),
    personalDataKey: key ? decodePersonalDataKey(key) : null,
    reportsPerMinute: integer(e.REPORT_RATE_LIMIT_PER_MINUTE, DEFAULT_REPORTS_PER_MINUTE),
    uploads: uploads(e),
    cliUser: e.USER || 'cli',
  };
}

/** What the command line tools (import, migrations, API keys) read: where the database is, and who runs them. */
export type CliConfig = Pick<AppConfig, 'databaseUrl' | 'embeddedDataDir' | 'cliUser'>;

/** Like loadConfig, checking only the variables the command line tools read. */
export function loadCliConfig(env: Record<string, string | undefined> = processEnvironment()): CliConfig {
  const e = validateEnvironment(env, ['DATABASE_URL', 'EMBEDDED_PG_DIR', 'USER']);
  return { databaseUrl: e.DATABASE_URL || null, embeddedDataDir: e.EMBEDDED_PG_DIR || '.data/pg', cliUser: e.USER || 'cli' };
}

/** A database (or Redis) URL with its password masked, safe for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
