/**
 * Settings from the environment, validated once at start so a typo gives one clear line, not a stack trace.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface RateLimitConfig {
  /** Length of the rate-limit window, in seconds. */
  windowSeconds: number;
  /** Requests per window and client IP (0 disables the per-IP limit). */
  perIp: number;
  /** Requests per window and API key, counted on top of the IP limit (0 disables it). */
  perApiKey: number;
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

export interface AppConfig {
  port: number;
  databaseUrl: string | null;
  /** Read replicas (DATABASE_REPLICA_URLS): GraphQL reads go there, writes and imports to DATABASE_URL. */
  databaseReplicaUrls: string[];
  dbPoolSize: number;
  /** Where `npm start` keeps the embedded PostgreSQL cluster. */
  embeddedDataDir: string;
  /** Demo providers seeded into an empty database at start (0 disables seeding). */
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
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  /** Express `trust proxy` (e.g. 1 behind one load balancer) so the client IP is read from X-Forwarded-For. */
  trustProxy: boolean | number | string;
  /** Hard deadline for a graceful stop (in-flight requests get up to 10 s of it), then the process exits 1. */
  shutdownGraceMs: number;
  /** AES-256 key sealing reporters' contact emails (PERSONAL_DATA_KEY); required in production. */
  personalDataKey: Buffer | null;
  feeds: FeedConfig;
}

export class ConfigError extends Error {}

/** A problem at start that is fully explained by its message (no stack trace needed). */
export class StartupError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is invalid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function postgresUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: expected postgres://user[:password]@host[:port]/database`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// or postgresql:// (got ${url.protocol}//)`);
  }
  if (!url.pathname || url.pathname === '/') throw new ConfigError(`${name} must name a database, e.g. postgres://postgres@127.0.0.1:5432/coverage`);
  return raw;
}

function databaseUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.DATABASE_URL;
  if (!raw) return null;
  return postgresUrl('DATABASE_URL', raw);
}

function replicaUrls(env: NodeJS.ProcessEnv): string[] {
  const raw = env.DATABASE_REPLICA_URLS?.trim();
  if (!raw) return [];
  if (!env.DATABASE_URL) throw new ConfigError('DATABASE_REPLICA_URLS needs DATABASE_URL (the primary) to be set as well');
  return raw
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean)
    .map((url, i) => postgresUrl(`DATABASE_REPLICA_URLS[${i}]`, url));
}

function redisUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL is not a URL: expected redis://[:password@]host[:port][/db]');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//)`);
  }
  return raw;
}

function corsOrigins(env: NodeJS.ProcessEnv): string[] | '*' {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw || raw === '*') return '*';
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new ConfigError(`CORS_ORIGINS entry "${origin}" is not an origin: expected e.g. https://shop.example.com`);
    }
    if (url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(`CORS_ORIGINS entry "${origin}" is not an origin (scheme://host[:port], no path): use ${url.origin}`);
    }
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

function byteSize(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw);
  const bytes = match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1024 || bytes > 64 * 1024 * 1024) {
    throw new ConfigError(`${name}=${raw} is invalid: expected a size from 1kb to 64mb, e.g. 100kb`);
  }
  return bytes;
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = (env.LOG_LEVEL ?? '').trim().toLowerCase();
  if (!raw) return 'info';
  if (!LOG_LEVELS.includes(raw as LogLevel)) throw new ConfigError(`LOG_LEVEL=${env.LOG_LEVEL} is invalid: expected one of ${LOG_LEVELS.join(', ')}`);
  return raw as LogLevel;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name}=${env[name]} is invalid: expected true or false`);
}

function trustProxy(env: NodeJS.ProcessEnv): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw; // e.g. "loopback, 10.0.0.0/8" (express trust proxy syntax)
}

/** A 32-byte key given in base64 (or 64 hex digits); `source` names where it came from in the error. */
export function decodePersonalDataKey(raw: string, source = 'PERSONAL_DATA_KEY'): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : null;
  if (!key || key.length !== 32) {
    throw new ConfigError(`${source} is invalid: expected 32 random bytes in base64 (44 characters, e.g. from \`openssl rand -base64 32\`) or 64 hex digits`);
  }
  return key;
}

export const MISSING_PERSONAL_DATA_KEY =
  'PERSONAL_DATA_KEY is required in production (NODE_ENV=production): 32 random bytes in base64, e.g. from `openssl rand -base64 32`. ' +
  "It seals reporters' contact emails: keep it in your secret store";

/** Outside production an absent key is fine: a development key is generated next to the embedded database. */
function personalDataKey(env: NodeJS.ProcessEnv): Buffer | null {
  const raw = env.PERSONAL_DATA_KEY?.trim();
  if (raw) return decodePersonalDataKey(raw);
  if (env.NODE_ENV === 'production') throw new ConfigError(MISSING_PERSONAL_DATA_KEY);
  return null;
}

const BIG_SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

function fileSize(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(raw);
  const bytes = match ? Math.round(Number(match[1]) * BIG_SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1024) throw new ConfigError(`${name}=${raw} is invalid: expected a size of at least 1kb, e.g. 4GB`);
  return bytes;
}

/** Five or six space-separated cron fields (seconds optional), or a @-shorthand such as @daily. */
function cronExpression(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = env[name]?.trim();
  if (!raw || raw === 'off') return null;
  const fields = raw.split(/\s+/);
  const shorthand = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/i.test(raw);
  if (!shorthand && (fields.length < 5 || fields.length > 6 || fields.some((field) => !/^[\d*/,\-A-Za-z?LW#]+$/.test(field)))) {
    throw new ConfigError(`${name}=${raw} is invalid: expected a cron expression such as "0 4 * * *" (every day at 04:00) or @daily`);
  }
  return raw;
}

export function loadFeedConfig(env: NodeJS.ProcessEnv = process.env): FeedConfig {
  return {
    refreshCron: cronExpression(env, 'FEED_REFRESH_CRON'),
    maxFileBytes: fileSize(env, 'FEED_MAX_FILE_SIZE', 8 * 1024 ** 3),
    concurrency: integer(env, 'FEED_CONCURRENCY', 2, 1, 64),
    spoolDir: env.FEED_SPOOL_DIR?.trim() || null,
    connectTimeoutMs: integer(env, 'FEED_CONNECT_TIMEOUT_MS', 15_000, 100, 600_000),
    idleTimeoutMs: integer(env, 'FEED_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
    retries: integer(env, 'FEED_RETRIES', 4, 0, 20),
    retryBaseMs: integer(env, 'FEED_RETRY_BASE_MS', 1_000, 0, 600_000),
    maxRetryAfterMs: integer(env, 'FEED_MAX_RETRY_AFTER_MS', 300_000, 0, 86_400_000),
    maxRedirects: integer(env, 'FEED_MAX_REDIRECTS', 5, 0, 20),
    jobWorkers: integer(env, 'FEED_JOB_WORKERS', 1, 0, 64),
    jobPollSeconds: integer(env, 'FEED_JOB_POLL_SECONDS', 5, 1, 3_600),
    jobRetries: integer(env, 'FEED_JOB_RETRIES', 3, 0, 100),
    jobRetryDelaySeconds: integer(env, 'FEED_JOB_RETRY_DELAY_SECONDS', 60, 0, 86_400),
    jobExpireSeconds: integer(env, 'FEED_JOB_EXPIRE_SECONDS', 6 * 3_600, 10, 7 * 86_400),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl: databaseUrl(env),
    databaseReplicaUrls: replicaUrls(env),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 20, 1, 500),
    embeddedDataDir: env.EMBEDDED_PG_DIR || '.data/pg',
    seedProviders: integer(env, 'SEED_PROVIDERS', 2000, 0, 10_000_000),
    logLevel: logLevel(env),
    logPretty: boolean(env, 'LOG_PRETTY', false),
    rateLimit: {
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      perIp: integer(env, 'RATE_LIMIT_PER_MINUTE', 1000, 0, 100_000_000),
      perApiKey: integer(env, 'RATE_LIMIT_PER_API_KEY', 1000, 0, 100_000_000),
    },
    redisUrl: redisUrl(env),
    corsOrigins: corsOrigins(env),
    bodyLimitBytes: byteSize(env, 'BODY_LIMIT', 100 * 1024),
    graphqlMaxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 8, 2, 100),
    graphqlMaxComplexity: integer(env, 'GRAPHQL_MAX_COMPLEXITY', 50_000, 10, 100_000_000),
    trustProxy: trustProxy(env),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 25_000, 1_000, 600_000),
    personalDataKey: personalDataKey(env),
    feeds: loadFeedConfig(env),
  };
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
