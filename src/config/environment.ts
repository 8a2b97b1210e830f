import { existsSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, ValidateBy, ValidationArguments, ValidationOptions, validateSync } from 'class-validator';

/**
 * Every environment variable the application reads, in one schema: its default (documented beside it and
 * in .env.example) and the one-line message a bad value gets. The values stay strings here; app-config.ts
 * turns them into typed settings once they are known to be valid.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };
const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

/** A check returns the message for a bad value, or null when the value is fine (absent and empty are fine: the default applies). */
type Check = (raw: string, name: string, env: Record<string, unknown>) => string | null;

function isUnset(raw: unknown): boolean {
  return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/** A class-validator decorator from a check; its message is the check's own sentence. */
function Checked(check: Check, options?: ValidationOptions): PropertyDecorator {
  const run = (value: unknown, args?: ValidationArguments): string | null =>
    isUnset(value) ? null : check(String(value), args!.property, args!.object as Record<string, unknown>);
  return ValidateBy(
    {
      name: 'environmentValue',
      validator: {
        validate: (value, args) => run(value, args) === null,
        defaultMessage: (args) => run(args?.value, args) ?? '',
      },
    },
    options,
  );
}

/** Checked, also when absent: for rules that depend on other variables. */
function CheckedAlways(check: (raw: string | undefined, name: string, env: Record<string, unknown>) => string | null): PropertyDecorator {
  return ValidateBy({
    name: 'environmentRule',
    validator: {
      validate: (value, args) => check(isUnset(value) ? undefined : String(value), args!.property, args!.object as Record<string, unknown>) === null,
      defaultMessage: (args) => check(isUnset(args?.value) ? undefined : String(args!.value), args!.property, args!.object as Record<string, unknown>) ?? '',
    },
  });
}

export const wholeNumber =
  (min: number, max: number): Check =>
  (raw, name) => {
    const value = Number(raw);
    return Number.isInteger(value) && value >= min && value <= max ? null : `${name}=${raw} is invalid: expected a whole number from ${min} to ${max}`;
  };

const positiveWholeNumber: Check = (raw, name) => {
  const value = Number(raw);
  return Number.isSafeInteger(value) && value >= 1 ? null : `${name}=${raw} is invalid: expected a whole number above 0`;
};

const wholeNumberOrZero: Check = (raw, name) => {
  const value = Number(raw.trim());
  return Number.isInteger(value) && value >= 0 ? null : `${name}=${raw.trim()} is invalid: expected a whole number, 0 to disable`;
};

export function postgresUrlProblem(name: string, raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${name} is not a URL: expected postgres://user[:password]@host[:port]/database`;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return `${name} must start with postgres:// or postgresql:// (got ${url.protocol}//)`;
  if (!url.pathname || url.pathname === '/') return `${name} must name a database, e.g. postgres://postgres@127.0.0.1:5432/coverage`;
  return null;
}

export function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const replicaUrls = (raw: string | undefined, name: string, env: Record<string, unknown>): string | null => {
  if (raw === undefined) return null;
  if (isUnset(env.DATABASE_URL)) return 'DATABASE_REPLICA_URLS needs DATABASE_URL (the primary) to be set as well';
  for (const [i, url] of splitList(raw).entries()) {
    const problem = postgresUrlProblem(`${name}[${i}]`, url);
    if (problem) return problem;
  }
  return null;
};

/** Default share of the pool for searches: all but a quarter of it, keeping at least 2 connections (1 for a pool of 2). */
export function defaultSearchConcurrency(poolSize: number): number {
  return Math.max(1, poolSize - Math.max(2, Math.ceil(poolSize / 4)));
}

const searchConcurrency = (raw: string | undefined, name: string, env: Record<string, unknown>): string | null => {
  if (raw === undefined) return null;
  const value = Number(raw.trim());
  const pool = isUnset(env.DB_POOL_SIZE) ? 20 : Number(env.DB_POOL_SIZE);
  if (!Number.isInteger(value) || value < 1) return `${name}=${raw.trim()} is invalid: expected a whole number above 0`;
  if (Number.isInteger(pool) && pool > 1 && value >= pool)
    return `${name}=${value} must be below DB_POOL_SIZE=${pool}, so searches leave connections for the core questions`;
  return null;
};

const redisUrl: Check = (raw) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'REDIS_URL is not a URL: expected redis://[:password@]host[:port][/db]';
  }
  return url.protocol === 'redis:' || url.protocol === 'rediss:' ? null : `REDIS_URL must start with redis:// or rediss:// (got ${url.protocol}//)`;
};

const corsOrigins: Check = (raw) => {
  if (raw.trim() === '*') return null;
  for (const origin of splitList(raw)) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return `CORS_ORIGINS entry "${origin}" is not an origin: expected e.g. https://shop.example.com`;
    }
    if (url.origin !== origin.replace(/\/$/, '')) return `CORS_ORIGINS entry "${origin}" is not an origin (scheme://host[:port], no path): use ${url.origin}`;
  }
  return null;
};

/** Bytes in "100kb", "2mb" or "4096"; NaN when not a size. */
export function parseByteSize(raw: string): number {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(raw.trim());
  return match ? Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()] : NaN;
}

const byteSize: Check = (raw, name) => {
  const bytes = parseByteSize(raw);
  return Number.isSafeInteger(bytes) && bytes >= 1024 && bytes <= 64 * 1024 * 1024
    ? null
    : `${name}=${raw.trim()} is invalid: expected a size from 1kb to 64mb, e.g. 100kb`;
};

const logLevel: Check = (raw, name) =>
  (LOG_LEVELS as readonly string[]).includes(raw.trim().toLowerCase()) ? null : `${name}=${raw} is invalid: expected one of ${LOG_LEVELS.join(', ')}`;

export function parseBoolean(raw: string): boolean | null {
  const word = raw.trim().toLowerCase();
  return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : null;
}

const booleanFlag: Check = (raw, name) => (parseBoolean(raw) === null ? `${name}=${raw} is invalid: expected true or false` : null);

/** A 32-byte key given in base64 (or 64 hex digits); null when it is not one. */
export function personalDataKeyBytes(raw: string): Buffer | null {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : null;
  return key && key.length === 32 ? key : null;
}

export const invalidPersonalDataKey = (source: string) =>
  `${source} is invalid: expected 32 random bytes in base64 (44 characters, e.g. from \`openssl rand -base64 32\`) or 64 hex digits`;

export const MISSING_PERSONAL_DATA_KEY =
  'PERSONAL_DATA_KEY is required in production (NODE_ENV=production): 32 random bytes in base64, e.g. from `openssl rand -base64 32`. ' +
  "It seals reporters' contact emails: keep it in your secret store";

const personalDataKey = (raw: string | undefined, name: string, env: Record<string, unknown>): string | null => {
  if (raw === undefined) return env.NODE_ENV === 'production' ? MISSING_PERSONAL_DATA_KEY : null;
  return personalDataKeyBytes(raw.trim()) ? null : invalidPersonalDataKey(name);
};

const BIG_SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** Bytes in "4GB", "512mb" or "4096"; NaN when not a size. */
export function parseFileSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(raw.trim());
  return match ? Math.round(Number(match[1]) * BIG_SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]) : NaN;
}

const fileSize: Check = (raw, name) => {
  const bytes = parseFileSize(raw);
  return Number.isSafeInteger(bytes) && bytes >= 1024 ? null : `${name}=${raw.trim()} is invalid: expected a size of at least 1kb, e.g. 4GB`;
};

/** Five or six space-separated cron fields (seconds optional), a @-shorthand such as @daily, or off. */
const cronExpression: Check = (raw, name) => {
  const value = raw.trim();
  if (value === 'off') return null;
  const fields = value.split(/\s+/);
  const shorthand = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/i.test(value);
  if (shorthand || (fields.length >= 5 && fields.length <= 6 && fields.every((field) => /^[\d*/,\-A-Za-z?LW#]+$/.test(field)))) return null;
  return `${name}=${value} is invalid: expected a cron expression such as "0 4 * * *" (every day at 04:00) or @daily`;
};

/** The variables, as strings; each comment gives the default that applies when the variable is unset or empty. */
export class Environment {
  /** `production` hides internal error messages and requires PERSONAL_DATA_KEY. Default: unset (development). */
  @IsOptional() @IsString() NODE_ENV?: string;

  /** HTTP port. Default 3000. */
  @Checked(wholeNumber(0, 65535)) PORT?: string;

  /** The primary PostgreSQL; unset: an embedded PostgreSQL under EMBEDDED_PG_DIR. */
  @Checked((raw, name) => postgresUrlProblem(name, raw)) DATABASE_URL?: string;

  /** Comma-separated read replicas; GraphQL reads go there. Default: none. */
  @CheckedAlways(replicaUrls) DATABASE_REPLICA_URLS?: string;

  /** Connections per pool. Default 20. */
  @Checked(wholeNumber(1, 500)) DB_POOL_SIZE?: string;

  /** Longest a search or research statement may run, in ms (0: no limit). Default 15000. */
  @Checked(wholeNumberOrZero) DB_STATEMENT_TIMEOUT_MS?: string;

  /**
   * Search and research statements running at once per pool; the other connections stay free for the two core
   * questions and readiness. Default DB_POOL_SIZE minus a quarter of it (at least 2 kept), at least 1.
   */
  @CheckedAlways(searchConcurrency) DB_SEARCH_CONCURRENCY?: string;

  /** Where the embedded PostgreSQL keeps its data. Default .data/pg. */
  @IsOptional() @IsString() EMBEDDED_PG_DIR?: string;

  /** Demo providers `npm start` seeds into an empty database (0: none). Default 2000. */
  @Checked(wholeNumber(0, 10_000_000)) SEED_PROVIDERS?: string;

  /** Default info. */
  @Checked(logLevel) LOG_LEVEL?: string;

  /** Human-readable log lines instead of JSON. Default: true when standard output is a terminal. */
  @Checked(booleanFlag) LOG_PRETTY?: string;

  /** Default 60. */
  @Checked(wholeNumber(1, 86_400)) RATE_LIMIT_WINDOW_SECONDS?: string;

  /** Requests per window and client IP (0: no limit). Default 1000. */
  @Checked(wholeNumber(0, 100_000_000)) RATE_LIMIT_PER_MINUTE?: string;

  /** Requests per window and valid API key without a limit of its own, instead of the IP limit (0: no limit). Default 1000. */
  @Checked(wholeNumber(0, 100_000_000)) RATE_LIMIT_PER_API_KEY?: string;

  /** Shared rate-limit counters; unset: per instance, in memory. */
  @Checked(redisUrl) REDIS_URL?: string;

  /** Comma-separated origins allowed by CORS, or *. Default *. */
  @Checked(corsOrigins) CORS_ORIGINS?: string;

  /** Largest JSON body. Default 100kb. */
  @Checked(byteSize) BODY_LIMIT?: string;

  /** Seconds shared caches may serve a public read without revalidating (0: always revalidate). Default 60. */
  @Checked(wholeNumber(0, 31_536_000)) HTTP_CACHE_MAX_AGE?: string;

  /** Seconds past max-age a cache may serve a stale read while it revalidates (0: none). Default 600. */
  @Checked(wholeNumber(0, 31_536_000)) HTTP_CACHE_STALE_WHILE_REVALIDATE?: string;

  /** Bytes of GraphQL answers kept in this process, reused until a publish changes them (0: off). Default 0. */
  @Checked(wholeNumber(0, 17_179_869_184)) ANSWER_CACHE_MAX_BYTES?: string;

  /** Default 8. */
  @Checked(wholeNumber(2, 100)) GRAPHQL_MAX_DEPTH?: string;

  /** Default 50000. */
  @Checked(wholeNumber(10, 100_000_000)) GRAPHQL_MAX_COMPLEXITY?: string;

  /** Aliased fields per request, counted wherever they are (in fragments each time spread). Default 20. */
  @Checked(wholeNumber(0, 100_000)) GRAPHQL_MAX_ALIASES?: string;

  /** Top-level fields per operation. Default 20. */
  @Checked(wholeNumber(1, 100_000)) GRAPHQL_MAX_ROOT_FIELDS?: string;

  /** Express `trust proxy`: true, false, a hop count or a list of addresses. Default false. */
  @IsOptional() @IsString() TRUST_PROXY?: string;

  /** Default 25000. */
  @Checked(wholeNumber(1_000, 600_000)) SHUTDOWN_GRACE_MS?: string;

  /** 32 bytes in base64 or hex sealing reporters' contact emails; required when NODE_ENV=production. */
  @CheckedAlways(personalDataKey) PERSONAL_DATA_KEY?: string;

  /** Reports one client IP may file per minute (0: no limit). Default 5. */
  @Checked(wholeNumberOrZero) REPORT_RATE_LIMIT_PER_MINUTE?: string;

  /** Default 5368709120 (5 GiB). */
  @Checked(positiveWholeNumber) UPLOAD_MAX_FILE_BYTES?: string;

  /** Default 500. */
  @Checked(positiveWholeNumber) UPLOAD_MAX_FILES?: string;

  /** Where uploads are spooled. Default <os tmpdir>/coverage-uploads. */
  @IsOptional() @IsString() UPLOAD_TMP_DIR?: string;

  /** Default 2. */
  @Checked(positiveWholeNumber) IMPORT_MAX_CONCURRENT_JOBS?: string;

  /** Default 10000. */
  @Checked(positiveWholeNumber) IMPORT_JOB_HEARTBEAT_MS?: string;

  /** Default max(6 × IMPORT_JOB_HEARTBEAT_MS, 60000). */
  @Checked(positiveWholeNumber) IMPORT_JOB_STALE_AFTER_MS?: string;

  /** Share (percent) of an issuer's published provider listings, network memberships or formulary entries a load may remove unless it allows shrinking. Default 50. */
  @Checked(wholeNumber(0, 100)) IMPORT_MAX_SHRINK_PERCENT?: string;

  /** Published and superseded versions kept per issuer (rollback, change history). Default 5. */
  @Checked(wholeNumber(1, 1000)) IMPORT_VERSIONS_KEPT?: string;

  /** Recorded as who loaded a dataset from the import command line. Default cli. */
  @IsOptional() @IsString() USER?: string;
  /** Cron expression of the scheduled refresh of every known feed. Default: off. */
  @Checked(cronExpression) FEED_REFRESH_CRON?: string;
  /** Feeds fetched and loaded at once by one process. Default 2. */
  @Checked(wholeNumber(1, 64)) FEED_CONCURRENCY?: string;
  /** Largest file fetched. Default 8GB. */
  @Checked(fileSize) FEED_MAX_FILE_SIZE?: string;
  /** Where downloads are spooled before loading. Default: the system temp directory. */
  @IsOptional() @IsString() FEED_SPOOL_DIR?: string;
  /** Default 15000. */
  @Checked(wholeNumber(100, 600_000)) FEED_CONNECT_TIMEOUT_MS?: string;
  /** Longest wait for headers or between body bytes. Default 60000. */
  @Checked(wholeNumber(100, 3_600_000)) FEED_IDLE_TIMEOUT_MS?: string;
  /** Retries after a network error, 429 or 5xx. Default 4. */
  @Checked(wholeNumber(0, 20)) FEED_RETRIES?: string;
  /** First backoff, doubling and jittered. Default 1000. */
  @Checked(wholeNumber(0, 600_000)) FEED_RETRY_BASE_MS?: string;
  /** Longest Retry-After honoured. Default 300000. */
  @Checked(wholeNumber(0, 86_400_000)) FEED_MAX_RETRY_AFTER_MS?: string;
  /** Default 5. */
  @Checked(wholeNumber(0, 20)) FEED_MAX_REDIRECTS?: string;
  /** Feed checks this instance runs from the job queue at once (0: none). Default 1. */
  @Checked(wholeNumber(0, 64)) FEED_JOB_WORKERS?: string;
  /** Default 5. */
  @Checked(wholeNumber(1, 3_600)) FEED_JOB_POLL_SECONDS?: string;
  /** Retries of a check cut off by a shutdown or crash. Default 3. */
  @Checked(wholeNumber(0, 100)) FEED_JOB_RETRIES?: string;
  /** First delay before such a retry, doubling. Default 60. */
  @Checked(wholeNumber(0, 86_400)) FEED_JOB_RETRY_DELAY_SECONDS?: string;
  /** A running job older than this (its instance died) is retried. Default 21600. */
  @Checked(wholeNumber(10, 7 * 86_400)) FEED_JOB_EXPIRE_SECONDS?: string;
}

export class ConfigError extends Error {}

/**
 * The variables of the schema, validated: the first problem becomes a ConfigError with its one-line
 * message. `only` limits the checks to the variables a command line tool reads.
 */
export function validateEnvironment(env: Record<string, unknown>, only?: ReadonlyArray<keyof Environment>): Environment {
  const known = Object.fromEntries(Object.keys(new EnvironmentKeys()).map((key) => [key, env[key]]));
  const values = plainToInstance(Environment, known);
  const errors = validateSync(values, { forbidUnknownValues: false }).filter((error) => !only || only.includes(error.property as keyof Environment));
  if (errors.length > 0) {
    const messages = Object.values(errors[0].constraints ?? {});
    throw new ConfigError(messages[0] ?? `${errors[0].property} is invalid`);
  }
  return values;
}

/** Property names of Environment (TypeScript keeps no list of a class's declared fields). */
class EnvironmentKeys implements Record<keyof Environment, undefined> {
  NODE_ENV = undefined;
  PORT = undefined;
  DATABASE_URL = undefined;
  DATABASE_REPLICA_URLS = undefined;
  DB_POOL_SIZE = undefined;
  DB_STATEMENT_TIMEOUT_MS = undefined;
  DB_SEARCH_CONCURRENCY = undefined;
  EMBEDDED_PG_DIR = undefined;
  SEED_PROVIDERS = undefined;
  LOG_LEVEL = undefined;
  LOG_PRETTY = undefined;
  RATE_LIMIT_WINDOW_SECONDS = undefined;
  RATE_LIMIT_PER_MINUTE = undefined;
  RATE_LIMIT_PER_API_KEY = undefined;
  REDIS_URL = undefined;
  CORS_ORIGINS = undefined;
  BODY_LIMIT = undefined;
  HTTP_CACHE_MAX_AGE = undefined;
  HTTP_CACHE_STALE_WHILE_REVALIDATE = undefined;
  ANSWER_CACHE_MAX_BYTES = undefined;
  GRAPHQL_MAX_DEPTH = undefined;
  GRAPHQL_MAX_COMPLEXITY = undefined;
  GRAPHQL_MAX_ALIASES = undefined;
  GRAPHQL_MAX_ROOT_FIELDS = undefined;
  TRUST_PROXY = undefined;
  SHUTDOWN_GRACE_MS = undefined;
  PERSONAL_DATA_KEY = undefined;
  REPORT_RATE_LIMIT_PER_MINUTE = undefined;
  UPLOAD_MAX_FILE_BYTES = undefined;
  UPLOAD_MAX_FILES = undefined;
  UPLOAD_TMP_DIR = undefined;
  IMPORT_MAX_CONCURRENT_JOBS = undefined;
  IMPORT_JOB_HEARTBEAT_MS = undefined;
  IMPORT_JOB_STALE_AFTER_MS = undefined;
  IMPORT_MAX_SHRINK_PERCENT = undefined;
  IMPORT_VERSIONS_KEPT = undefined;
  USER = undefined;
  FEED_REFRESH_CRON = undefined;
  FEED_CONCURRENCY = undefined;
  FEED_MAX_FILE_SIZE = undefined;
  FEED_SPOOL_DIR = undefined;
  FEED_CONNECT_TIMEOUT_MS = undefined;
  FEED_IDLE_TIMEOUT_MS = undefined;
  FEED_RETRIES = undefined;
  FEED_RETRY_BASE_MS = undefined;
  FEED_MAX_RETRY_AFTER_MS = undefined;
  FEED_MAX_REDIRECTS = undefined;
  FEED_JOB_WORKERS = undefined;
  FEED_JOB_POLL_SECONDS = undefined;
  FEED_JOB_RETRIES = undefined;
  FEED_JOB_RETRY_DELAY_SECONDS = undefined;
  FEED_JOB_EXPIRE_SECONDS = undefined;
}

export const ENVIRONMENT_VARIABLES = Object.keys(new EnvironmentKeys()) as Array<keyof Environment>;

let envFileRead = false;

/**
 * The process environment, after reading a `.env` file in the working directory once when there is one
 * (variables already set win over the file). The only place the application touches process.env.
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  if (!envFileRead) {
    envFileRead = true;
    if (existsSync('.env')) process.loadEnvFile?.('.env');
  }
  return process.env;
}
