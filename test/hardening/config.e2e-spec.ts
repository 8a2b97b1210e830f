/** Configuration is validated once at start, with messages that say what to fix. */
import { loadConfig, redactUrl } from '../../src/config/app-config';

describe('loadConfig', () => {
  it('has production-safe defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      dbPoolSize: 20,
      databaseReplicaUrls: [],
      redisUrl: null,
      corsOrigins: '*',
      bodyLimitBytes: 100 * 1024,
      graphqlMaxDepth: 8,
      graphqlMaxComplexity: 50_000,
      rateLimit: { windowSeconds: 60, perIp: 1000, perApiKey: 1000 },
      logLevel: 'info',
      trustProxy: false,
    });
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '8080',
      DB_POOL_SIZE: '40',
      REDIS_URL: 'redis://:pw@cache:6379/2',
      CORS_ORIGINS: 'https://shop.example.com, https://compare.example.org/',
      BODY_LIMIT: '256kb',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_PER_API_KEY: '5000',
      RATE_LIMIT_WINDOW_SECONDS: '10',
      GRAPHQL_MAX_DEPTH: '10',
      LOG_LEVEL: 'WARN',
      TRUST_PROXY: '1',
    });
    expect(config).toMatchObject({
      port: 8080,
      dbPoolSize: 40,
      redisUrl: 'redis://:pw@cache:6379/2',
      corsOrigins: ['https://shop.example.com', 'https://compare.example.org'],
      bodyLimitBytes: 256 * 1024,
      rateLimit: { windowSeconds: 10, perIp: 0, perApiKey: 5000 },
      graphqlMaxDepth: 10,
      logLevel: 'warn',
      trustProxy: 1,
    });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT=70000 is invalid: expected a whole number from 0 to 65535'],
    [{ DATABASE_URL: 'postgres://localhost' }, 'DATABASE_URL must name a database, e.g. postgres://postgres@127.0.0.1:5432/coverage'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL is not a URL: expected postgres://user[:password]@host[:port]/database'],
    [{ DB_POOL_SIZE: '0' }, 'DB_POOL_SIZE=0 is invalid: expected a whole number from 1 to 500'],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL must start with redis:// or rediss:// (got http://)'],
    [
      { CORS_ORIGINS: 'https://shop.example.com/path' },
      'CORS_ORIGINS entry "https://shop.example.com/path" is not an origin (scheme://host[:port], no path): use https://shop.example.com',
    ],
    [{ BODY_LIMIT: 'huge' }, 'BODY_LIMIT=huge is invalid: expected a size from 1kb to 64mb, e.g. 100kb'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL=loud is invalid: expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ LOG_PRETTY: 'maybe' }, 'LOG_PRETTY=maybe is invalid: expected true or false'],
  ])('%j is refused', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('masks passwords in URLs written to logs', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/coverage')).toBe('postgres://app:***@db:5432/coverage');
    expect(redactUrl('redis://:s3cret@cache:6379')).toBe('redis://:***@cache:6379');
    expect(redactUrl('postgres://app@db/coverage')).toBe('postgres://app@db/coverage');
  });

  it('reads the key sealing contact emails, requires it in production, and says how to make one', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ PERSONAL_DATA_KEY: key.toString('base64') }).personalDataKey).toEqual(key);
    expect(loadConfig({ PERSONAL_DATA_KEY: key.toString('hex') }).personalDataKey).toEqual(key);
    expect(loadConfig({}).personalDataKey).toBeNull();
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'PERSONAL_DATA_KEY is required in production (NODE_ENV=production): 32 random bytes in base64, e.g. from `openssl rand -base64 32`.',
    );
    expect(() => loadConfig({ PERSONAL_DATA_KEY: 'c2hvcnQ=' })).toThrow(
      'PERSONAL_DATA_KEY is invalid: expected 32 random bytes in base64 (44 characters, e.g. from `openssl rand -base64 32`) or 64 hex digits',
    );
  });
});
