import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadCliConfig, loadConfig } from './app-config';
import { ENVIRONMENT_VARIABLES } from './environment';

describe('configuration schema', () => {
  it('uses the defaults when a variable is empty, as when it is unset', () => {
    const empty = Object.fromEntries(ENVIRONMENT_VARIABLES.map((name) => [name, '']));
    const { personalDataKey, uploads, ...rest } = loadConfig(empty);
    const { personalDataKey: defaultKey, uploads: defaultUploads, ...defaults } = loadConfig({});
    expect(rest).toEqual(defaults);
    expect(uploads).toEqual(defaultUploads);
    expect(personalDataKey).toBe(defaultKey);
  });

  it('writes readable log lines on a terminal and JSON lines elsewhere, unless LOG_PRETTY says otherwise', () => {
    expect(loadConfig({}, true).logPretty).toBe(true);
    expect(loadConfig({}, false).logPretty).toBe(false);
    expect(loadConfig({ LOG_PRETTY: 'false' }, true).logPretty).toBe(false);
    expect(loadConfig({ LOG_PRETTY: 'true' }, false).logPretty).toBe(true);
  });

  it('reads the upload, import job and report settings', () => {
    const config = loadConfig({
      UPLOAD_MAX_FILE_BYTES: '1024',
      UPLOAD_MAX_FILES: '3',
      UPLOAD_TMP_DIR: '/srv/uploads',
      IMPORT_MAX_CONCURRENT_JOBS: '4',
      IMPORT_JOB_HEARTBEAT_MS: '20000',
      IMPORT_MAX_SHRINK_PERCENT: '30',
      IMPORT_VERSIONS_KEPT: '3',
      REPORT_RATE_LIMIT_PER_MINUTE: '0',
      NODE_ENV: 'development',
    });
    expect(config.uploads).toEqual({
      maxFileBytes: 1024,
      maxFilesPerUpload: 3,
      tempRoot: '/srv/uploads',
      maxConcurrentJobs: 4,
      heartbeatMs: 20_000,
      staleAfterMs: 120_000,
      maxShrinkPercent: 30,
      versionsKept: 3,
    });
    expect(config.reportsPerMinute).toBe(0);
    expect(config.production).toBe(false);
    expect(loadConfig({}).reportsPerMinute).toBe(5);
    expect(loadConfig({}).uploads.staleAfterMs).toBe(60_000);
  });

  it.each([
    [{ UPLOAD_MAX_FILES: '0' }, 'UPLOAD_MAX_FILES=0 is invalid: expected a whole number above 0'],
    [{ IMPORT_JOB_STALE_AFTER_MS: '1.5' }, 'IMPORT_JOB_STALE_AFTER_MS=1.5 is invalid: expected a whole number above 0'],
    [{ REPORT_RATE_LIMIT_PER_MINUTE: '-1' }, 'REPORT_RATE_LIMIT_PER_MINUTE=-1 is invalid: expected a whole number, 0 to disable'],
    [{ SEED_PROVIDERS: 'many' }, 'SEED_PROVIDERS=many is invalid: expected a whole number from 0 to 10000000'],
    [{ DATABASE_URL: 'postgres://db/x', DATABASE_REPLICA_URLS: 'postgres://replica' }, 'DATABASE_REPLICA_URLS[0] must name a database'],
    [{ CORS_ORIGINS: 'shop' }, 'CORS_ORIGINS entry "shop" is not an origin: expected e.g. https://shop.example.com'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL is not a URL: expected redis://[:password@]host[:port][/db]'],
  ])('%j is refused with one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reports the first bad variable only, as one line', () => {
    expect(() => loadConfig({ PORT: 'x', DB_POOL_SIZE: 'y' })).toThrow(/^PORT=x is invalid: expected a whole number from 0 to 65535$/);
  });

  it('lets the command line tools run without the server-only settings', () => {
    const env = { NODE_ENV: 'production', PORT: 'not checked here', DATABASE_URL: 'postgres://db:5432/coverage', USER: 'ana' };
    expect(loadCliConfig(env)).toEqual({
      databaseUrl: 'postgres://db:5432/coverage',
      embeddedDataDir: '.data/pg',
      cliUser: 'ana',
      imports: { maxShrinkPercent: 50, versionsKept: 5 },
    });
    expect(loadCliConfig({})).toEqual({ databaseUrl: null, embeddedDataDir: '.data/pg', cliUser: 'cli', imports: { maxShrinkPercent: 50, versionsKept: 5 } });
    expect(loadCliConfig({ IMPORT_VERSIONS_KEPT: '2', IMPORT_MAX_SHRINK_PERCENT: '10' }).imports).toEqual({ maxShrinkPercent: 10, versionsKept: 2 });
    expect(() => loadCliConfig({ IMPORT_MAX_SHRINK_PERCENT: '120' })).toThrow(
      'IMPORT_MAX_SHRINK_PERCENT=120 is invalid: expected a whole number from 0 to 100',
    );
    expect(() => loadCliConfig({ DATABASE_URL: 'mysql://db/x' })).toThrow('DATABASE_URL must start with postgres:// or postgresql:// (got mysql://)');
  });

  it('.env.example lists every variable of the schema, and nothing else', () => {
    const example = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
    const listed = [...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...listed].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
  });

  it('.env.example holds the defaults', () => {
    const example = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
    const env = Object.fromEntries([...example.matchAll(/^([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    const { uploads, ...fromExample } = loadConfig(env);
    const { uploads: defaultUploads, ...defaults } = loadConfig({});
    expect(fromExample).toEqual(defaults);
    expect(uploads).toEqual(defaultUploads);
  });
});
