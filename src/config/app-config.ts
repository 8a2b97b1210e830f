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
  parseFileSize,
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
  /** Share (percent) of the published rows a load may remove without allowShrink (IMPORT_MAX_SHRINK_PERCENT). */
  maxShrinkPercent: number;
  /** Published and superseded versions kept per issuer (IMPORT_VERSIONS_KEPT). */
  versionsKept: number;
}

/** Fetching carriers' published files by URL (src/feeds). */
export interface FeedConfig {
  /** Cron expression of the scheduled refresh of every known feed (FEED_REFRESH_CRON); null: no schedule. */
  refreshCron: string | null;
  /** Largest file fetched, in bytes (FEED_MAX_FILE_SIZE, e.g. 4GB). */
  maxFileBytes: number;
  /** Feeds fetched and loaded at once by one process (FEED_CONCURRENCY). */
  concurrency: number;
  /** Where downloads are spooled before loading (FEED_SPOOL_DIR); the system temp directory when null. */
  spoolDir: string | null;
  /** Time to open a connection, and longest silence while waiting for headers or body bytes (ms). */
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** Retries after a network error, 429 or 5xx (FEED_RETRIES), the first after about FEED_RETRY_BASE_MS, doubling. */
  retries: number;
  retryBaseMs: number;
  /** Longest Retry-After honoured before giving up on a URL (ms). */
  maxRetryAfterMs: number;
  maxRedirects: number;
  /** Feed checks this instance takes from the job queue at once (FEED_JOB_WORKERS); 0: none. */
  jobWorkers: number;
  /** How often an idle worker looks for a job (FEED_JOB_POLL_SECONDS). */
  jobPollSeconds: number;
  /** A job whose check crashed or whose instance stopped is retried this many times (FEED_JOB_RETRIES)... */
  jobRetries: number;
  /** ...first after this delay, doubling (FEED_JOB_RETRY_DELAY_SECONDS). */
  jobRetryDelaySeconds: number;
  /** A running job not finished after this long (its instance died) is retried (FEED_JOB_EXPIRE_SECONDS). */
  jobExpireSeconds: number;
}

export type ImportLimits = Pick<UploadsConfig, 'maxShrinkPercent' | 'versionsKept'>;

export interface AppConfig {
  /** NODE_ENV=production: internal error messages are hidden and PERSONAL_DATA_KEY is required. */
  production: boolean;
  port: number;
  databaseUrl: string | null;
  /** Read replicas (DATABASE_REPLICA_URLS): GraphQL reads go there, writes and imports to DATABASE_URL. */
  databaseReplicaUrls: string[];
  dbPoolSize: number;
  /** Longest a search or research statement may run (DB_STATEMENT_TIMEOUT_MS; 0: no limit). */
  dbStatementTimeoutMs: number;
  /** Search and research statements at once per pool (DB_SEARCH_CONCURRENCY); null: derived from dbPoolSize. */
  dbSearchConcurrency: number | null;
  /** Where `npm start` keeps the embedded PostgreSQL cluster. */
  embeddedDataDir: string;
  /** Demo providers seeded into an empty database by `npm start` (0 disables seeding). */
  seedProviders: number;
  logLevel: LogLevel;
  /** Human-readable logs (pino-pretty) instead of JSON lines; by default when standard output is a terminal. */
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
  /** Bytes of GraphQL answers kept in this process (ANSWER_CACHE_MAX_BYTES; 0: no in-process answer cache). */
  answerCacheMaxBytes: number;
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  graphqlMaxAliases: number;
  graphqlMaxRootFields: number;
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
  feeds: FeedConfig;
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
    ...importLimits(env),
  };
}

const FEED_VARIABLES = [
  'FEED_REFRESH_CRON',
  'FEED_CONCURRENCY',
  'FEED_MAX_FILE_SIZE',
  'FEED_SPOOL_DIR',
  'FEED_CONNECT_TIMEOUT_MS',
  'FEED_IDLE_TIMEOUT_MS',
  'FEED_RETRIES',
  'FEED_RETRY_BASE_MS',
  'FEED_MAX_RETRY_AFTER_MS',
  'FEED_MAX_REDIRECTS',
  'FEED_JOB_WORKERS',
  'FEED_JOB_POLL_SECONDS',
  'FEED_JOB_RETRIES',
  'FEED_JOB_RETRY_DELAY_SECONDS',
  'FEED_JOB_EXPIRE_SECONDS',
] as const;

function feeds(env: Environment): FeedConfig {
  const cron = text(env.FEED_REFRESH_CRON);
  return {
    refreshCron: !cron || cron === 'off' ? null : cron,
    maxFileBytes: text(env.FEED_MAX_FILE_SIZE) ? parseFileSize(env.FEED_MAX_FILE_SIZE!) : 8 * 1024 ** 3,
    concurrency: integer(env.FEED_CONCURRENCY, 2),
    spoolDir: text(env.FEED_SPOOL_DIR) ?? null,
    connectTimeoutMs: integer(env.FEED_CONNECT_TIMEOUT_MS, 15_000),
    idleTimeoutMs: integer(env.FEED_IDLE_TIMEOUT_MS, 60_000),
    retries: integer(env.FEED_RETRIES, 4),
    retryBaseMs: integer(env.FEED_RETRY_BASE_MS, 1_000),
    maxRetryAfterMs: integer(env.FEED_MAX_RETRY_AFTER_MS, 300_000),
    maxRedirects: integer(env.FEED_MAX_REDIRECTS, 5),
    jobWorkers: integer(env.FEED_JOB_WORKERS, 1),
    jobPollSeconds: integer(env.FEED_JOB_POLL_SECONDS, 5),
    jobRetries: integer(env.FEED_JOB_RETRIES, 3),
    jobRetryDelaySeconds: integer(env.FEED_JOB_RETRY_DELAY_SECONDS, 60),
    jobExpireSeconds: integer(env.FEED_JOB_EXPIRE_SECONDS, 6 * 3_600),
  };
}

/** Like loadConfig, checking only the feed settings (the fetch command line tool). */
export function loadFeedConfig(env: Record<string, string | undefined> = processEnvironment()): FeedConfig {
  return feeds(validateEnvironment(env, FEED_VARIABLES));
}

/** What every load checks, from the CLI and uploads alike. */
function importLimits(env: Environment): ImportLimits {
  return { maxShrinkPercent: integer(env.IMPORT_MAX_SHRINK_PERCENT, 50), versionsKept: integer(env.IMPORT_VERSIONS_KEPT, 5) };
}

/** Validates the environment against the schema and returns typed settings; a bad value throws ConfigError. */
/**
 * `terminal`: whether standard output is a terminal, the default of LOG_PRETTY (readable lines for a person,
 * JSON lines for a log collector).
 */
export function loadConfig(env: Record<string, string | undefined> = processEnvironment(), terminal = Boolean(process.stdout.isTTY)): AppConfig {
  const e = validateEnvironment(env);
  const key = text(e.PERSONAL_DATA_KEY);
  return {
    production: e.NODE_ENV === 'production',
    port: integer(e.PORT, 3000),
    databaseUrl: e.DATABASE_URL || null,
    databaseReplicaUrls: splitList(e.DATABASE_REPLICA_URLS),
    dbPoolSize: integer(e.DB_POOL_SIZE, 20),
    dbStatementTimeoutMs: integer(e.DB_STATEMENT_TIMEOUT_MS, 15_000),
    dbSearchConcurrency: text(e.DB_SEARCH_CONCURRENCY) ? Number(text(e.DB_SEARCH_CONCURRENCY)) : null,
    embeddedDataDir: e.EMBEDDED_PG_DIR || '.data/pg',
    seedProviders: integer(e.SEED_PROVIDERS, 2000),
    logLevel: (text(e.LOG_LEVEL)?.toLowerCase() ?? 'info') as LogLevel,
    logPretty: text(e.LOG_PRETTY) ? parseBoolean(e.LOG_PRETTY!)! : terminal,
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
    answerCacheMaxBytes: integer(e.ANSWER_CACHE_MAX_BYTES, 0),
    graphqlMaxDepth: integer(e.GRAPHQL_MAX_DEPTH, 8),
    graphqlMaxComplexity: integer(e.GRAPHQL_MAX_COMPLEXITY, 50_000),
    graphqlMaxAliases: integer(e.GRAPHQL_MAX_ALIASES, 20),
    graphqlMaxRootFields: integer(e.GRAPHQL_MAX_ROOT_FIELDS, 20),
    trustProxy: trustProxy(e.TRUST_PROXY),
    shutdownGraceMs: integer(e.SHUTDOWN_GRACE_MS, 25_000),
    personalDataKey: key ? decodePersonalDataKey(key) : null,
    reportsPerMinute: integer(e.REPORT_RATE_LIMIT_PER_MINUTE, DEFAULT_REPORTS_PER_MINUTE),
    uploads: uploads(e),
    cliUser: e.USER || 'cli',
    feeds: feeds(e),
  };
}

/** What the command line tools (import, migrations, API keys) read: where the database is, and who runs them. */
export type CliConfig = Pick<AppConfig, 'databaseUrl' | 'embeddedDataDir' | 'cliUser'> & { imports: ImportLimits };

/** Like loadConfig, checking only the variables the command line tools read. */
export function loadCliConfig(env: Record<string, string | undefined> = processEnvironment()): CliConfig {
  const e = validateEnvironment(env, ['DATABASE_URL', 'EMBEDDED_PG_DIR', 'USER', 'IMPORT_MAX_SHRINK_PERCENT', 'IMPORT_VERSIONS_KEPT']);
  return { databaseUrl: e.DATABASE_URL || null, embeddedDataDir: e.EMBEDDED_PG_DIR || '.data/pg', cliUser: e.USER || 'cli', imports: importLimits(e) };
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
