/**
 * Settings from the environment, validated once at start so a typo gives one clear line, not a stack trace.
 */
export interface AppConfig {
  port: number;
  databaseUrl: string | null;
  dbPoolSize: number;
  /** Where `npm start` keeps the embedded PostgreSQL cluster. */
  embeddedDataDir: string;
  /** Demo providers seeded into an empty database at start (0 disables seeding). */
  seedProviders: number;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name}=${raw} is invalid: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

function databaseUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.DATABASE_URL;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a URL: expected postgres://user[:password]@host[:port]/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (got ${url.protocol}//)`);
  }
  if (!url.pathname || url.pathname === '/') throw new ConfigError('DATABASE_URL must name a database, e.g. postgres://postgres@127.0.0.1:5432/coverage');
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    databaseUrl: databaseUrl(env),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 20, 1, 500),
    embeddedDataDir: env.EMBEDDED_PG_DIR || '.data/pg',
    seedProviders: integer(env, 'SEED_PROVIDERS', 2000, 0, 10_000_000),
  };
}

/** A database URL with its password masked, safe for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
