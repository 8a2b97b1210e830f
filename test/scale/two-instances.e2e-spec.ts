import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../../src/auth/api-key.entity';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { buildDataSourceOptions, runMigrations } from '../../src/database/data-source-options';
import { findFreePort } from '../../src/database/embedded-postgres';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { ReplicatedPostgres, startReplicatedPostgres } from '../helpers/replicated-postgres';

/**
 * Many instances, one truth: two API processes (the production entry, src/main.ts) on a PostgreSQL primary
 * with a streaming hot standby as their read replica, and one Redis. They share their rate limits, give
 * identical answers (and ETags) read from the replica, both see a publish made anywhere once the replica
 * has it, never answer half of one (nor under an ETag) while the replica lags, and an upload accepted by one
 * is reported and answered by the other.
 *
 * The primary and the standby are made for this test from the embedded binaries (test/helpers/
 * replicated-postgres.ts), also when TEST_DATABASE_URL names a server: that one is never touched here.
 * Redis is a redis-server started for this test on a free port (so runs on one machine never share
 * counters); when the binary is missing, the machine's Redis on 127.0.0.1:6379 is used.
 */
const ISSUER = '47474';
const PLAN_ID = '47474VT0010001';
const PLAN_QUERY = `query SharedPlan { plan(planId: "${PLAN_ID}") { planId marketingName } }`;
/** Two tables of one publish: the plan's name and its formulary's cost sharing. */
const PUBLISHED_QUERY = `query SharedPublish {
  plan(planId: "${PLAN_ID}") { planId marketingName }
  drugCoverage(planIds: ["${PLAN_ID}"], rxnormIds: ["617310"]) { status drugTier costSummary }
}`;
const ROOT = join(__dirname, '..', '..');
const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
const STARTUP_MS = 150_000;

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const { default: Redis } = await import('ioredis');
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

interface Instance {
  url: string;
  process: ChildProcess;
  output: string[];
}

/** `npm run start:prod`'s entry, run by ts-node, as its own process: writes on the primary, lookups on the replica. */
async function startInstance(redisUrl: string, database: ReplicatedPostgres): Promise<Instance> {
  const port = await findFreePort();
  const output: string[] = [];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: database.primaryUrl,
      DATABASE_REPLICA_URLS: database.replicaUrl,
      REDIS_URL: redisUrl,
      PORT: String(port),
      DB_POOL_SIZE: '4',
      RATE_LIMIT_PER_MINUTE: '1000',
      RATE_LIMIT_PER_API_KEY: '1000',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  return { url: `http://127.0.0.1:${port}`, process: child, output };
}

async function stopInstance(instance: Instance): Promise<void> {
  if (instance.process.exitCode !== null) return;
  const exited = new Promise((resolve) => instance.process.once('exit', resolve));
  instance.process.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
  if (instance.process.exitCode === null) instance.process.kill('SIGKILL');
}

describe('two API processes, a PostgreSQL primary with a streaming replica, one Redis', () => {
  let redis: ChildProcess | null = null;
  let redisUrl: string;
  let postgres: ReplicatedPostgres | undefined;
  let db: DataSource;
  let apiKeys: ApiKeysService;
  const instances: Instance[] = [];
  /** The fixture as published first, and a second version of it (another name, another copay). */
  const FIRST = join(__dirname, 'fixtures', ISSUER);
  const SECOND = mkdtempSync(join(tmpdir(), 'coverage-second-version-'));
  afterAll(() => rmSync(SECOND, { recursive: true, force: true }));

  /** GET (so cacheable: ETag, 304) as a keyed reader. */
  const readerOf = (plainKey: string) => (instance: Instance) =>
    request(instance.url)
      .get(`/graphql?query=${encodeURIComponent(PUBLISHED_QUERY)}`)
      .set({ 'apollo-require-preflight': 'true', 'X-API-Key': plainKey });

  const publish = (folder: string) =>
    new QhpImporter(db).import({
      issuerId: ISSUER,
      issuerName: 'Shared Truth Health',
      paths: ['plans.json', 'drugs.json'].map((file) => join(folder, file)),
      source: 'test',
      loadedBy: 'test',
    });

  beforeAll(
    async () => {
      const plans = readFileSync(join(FIRST, 'plans.json'), 'utf8');
      writeFileSync(
        join(SECOND, 'plans.json'),
        plans.replace('"Shared Truth Bronze"', '"Shared Truth Bronze Plus"').replace('"copay_amount": 12.0', '"copay_amount": 15.0'),
      );
      writeFileSync(join(SECOND, 'drugs.json'), readFileSync(join(FIRST, 'drugs.json')));
      if (REDIS_SERVER) {
        const port = await findFreePort();
        redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
        redisUrl = `redis://127.0.0.1:${port}`;
      } else {
        redisUrl = 'redis://127.0.0.1:6379/15';
      }
      await waitFor(`Redis at ${redisUrl}`, () => redisAnswers(redisUrl), 10_000);

      // Migrated before the standby is copied from the primary: both start with the schema.
      postgres = await startReplicatedPostgres({ prepare: (url) => runMigrations(url) });
      db = new DataSource(buildDataSourceOptions({ url: postgres.primaryUrl, poolSize: 4, entities: [ApiKeyEntity] }));
      await db.initialize();
      apiKeys = new ApiKeysService(db.getRepository(ApiKeyEntity));

      instances.push(await startInstance(redisUrl, postgres), await startInstance(redisUrl, postgres));
      for (const instance of instances) {
        await waitFor(
          `API at ${instance.url} (output: ${instance.output.join('').slice(-2000)})`,
          async () => instance.process.exitCode === null && (await request(instance.url).get('/ready')).status === 200,
          STARTUP_MS,
        );
      }
    },
    STARTUP_MS * 2 + 20_000,
  );

  afterAll(async () => {
    await Promise.all(instances.map(stopInstance));
    await db?.destroy();
    await postgres?.stop();
    redis?.kill('SIGTERM');
  }, 80_000);

  it('reads through the replica: each instance is ready with it, and lookups run there', async () => {
    for (const instance of instances) {
      const ready = await request(instance.url).get('/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info.replicas).toMatchObject({ status: 'up', replicas: 1, up: 1 });
    }
    const [standby] = await postgres!.query<{ recovering: boolean }>('replica', 'SELECT pg_is_in_recovery() AS recovering');
    expect(standby.recovering).toBe(true);

    // Transactions committed on the standby's application database (a read is one), before and after a
    // burst of uncached lookups (POST) on both instances, watched from its other database so the watching
    // is not counted: the standby's statistics arrive when its sessions go idle, so they are read until
    // the burst shows.
    const committed = async () =>
      Number(
        (await postgres!.queryAside<{ n: string }>('replica', 'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1', [postgres!.database]))[0].n,
      );
    const before = await committed();
    const burst = 20;
    for (let i = 0; i < burst; i++) {
      const res = await request(instances[i % 2].url)
        .post('/graphql')
        .send({ query: PLAN_QUERY });
      expect(res.status).toBe(200);
    }
    let after = before;
    await waitFor(
      'the standby counting the lookups',
      async () => {
        after = await committed();
        return after - before >= burst;
      },
      30_000,
    ).catch(() => undefined);
    expect(after - before).toBeGreaterThanOrEqual(burst);
  });

  it('shares one rate-limit budget per key across instances (through Redis)', async () => {
    const { plainKey } = await apiKeys.create({ label: '', issuerIds: [], partner: 'Two Doors Site', rateLimit: 4 });
    const [a, b] = instances;
    const ask = (instance: Instance) => request(instance.url).post('/graphql').set('X-API-Key', plainKey).send({ query: PLAN_QUERY });
    expect((await ask(a)).status).toBe(200);
    expect((await ask(b)).status).toBe(200);
    expect((await ask(a)).status).toBe(200);
    expect((await ask(b)).status).toBe(200);
    const limitedOnA = await ask(a);
    expect(limitedOnA.status).toBe(429);
    expect(limitedOnA.body.errors[0].message).toMatch(/^Rate limit exceeded: 4 requests per 60 seconds for this API key/);
    expect(Number(limitedOnA.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await ask(b)).status).toBe(429);
  });

  it('answers identically on both, and both see a publish once the replica has it (same new answer, same new ETag)', async () => {
    const { plainKey } = await apiKeys.create({ label: '', issuerIds: [], partner: 'Two Doors Reader', rateLimit: 0 });
    const get = readerOf(plainKey);

    const before = await Promise.all(instances.map(get));
    for (const res of before) expect(res.status).toBe(200);
    expect(before[0].text).toBe(before[1].text);
    expect(before[0].headers.etag).toBe(before[1].headers.etag);

    // Published by neither instance: the import runs here, on the primary.
    const result = await publish(FIRST);
    expect(['published', 'unchanged']).toContain(result.status);
    await postgres!.caughtUp();

    const after = await Promise.all(instances.map(get));
    for (const res of after) {
      expect(res.status).toBe(200);
      expect(res.body.data.plan).toEqual({ planId: PLAN_ID, marketingName: 'Shared Truth Bronze' });
      expect(res.body.data.drugCoverage).toEqual([expect.objectContaining({ status: 'COVERED', drugTier: 'GENERIC' })]);
    }
    expect(after[0].text).toBe(after[1].text);
    expect(after[0].headers.etag).toBeTruthy();
    expect(after[0].headers.etag).toBe(after[1].headers.etag);
    if (result.status === 'published') expect(after[0].headers.etag).not.toBe(before[0].headers.etag);
    // A client revalidating on the other instance gets 304 for the new answer.
    const revalidated = await get(instances[1]).set('if-none-match', after[0].headers.etag);
    expect(revalidated.status).toBe(304);
  });

  it('never answers half a publish, nor under an ETag, while the replica lags; both answer it whole once replayed', async () => {
    const { plainKey } = await apiKeys.create({ label: '', issuerIds: [], partner: 'Two Doors Patient Reader', rateLimit: 0 });
    const get = readerOf(plainKey);
    const current = await Promise.all(instances.map(get));
    for (const res of current) {
      expect(res.status).toBe(200);
      expect(res.body.data.plan.marketingName).toBe('Shared Truth Bronze');
      expect(res.headers.etag).toBe(current[0].headers.etag);
    }
    const oldETag = current[0].headers.etag;
    expect(oldETag).toBeTruthy();

    // The standby keeps receiving WAL but stops applying it: it shows the primary as before the publish.
    await postgres!.pauseReplay();
    try {
      const result = await publish(SECOND);
      expect(result.status).toBe('published');
      const versionOn = async (server: 'primary' | 'replica') =>
        (await postgres!.query<{ v: string }>(server, 'SELECT current_version_id::text AS v FROM issuer WHERE issuer_id = $1', [ISSUER]))[0].v;
      expect(await versionOn('replica')).not.toBe(await versionOn('primary'));

      for (let round = 0; round < 3; round++) {
        for (const instance of instances) {
          const res = await get(instance);
          expect(res.status).toBe(200);
          // The previous publish whole (both tables from the replica), never the new name beside the old
          // cost sharing; and no ETag while the servers disagree on what is published.
          expect(res.text).toBe(current[0].text);
          expect(res.headers.etag).toBeUndefined();
          expect(res.headers['cache-control']).toBe('no-store');
          // Nor is the old ETag confirmed: a cache asking is given the answer again, not a 304.
          const revalidated = await get(instance).set('if-none-match', oldETag);
          expect(revalidated.status).toBe(200);
          expect(revalidated.headers.etag).toBeUndefined();
        }
      }
    } finally {
      await postgres!.resumeReplay();
    }
    await postgres!.caughtUp();

    const replayed = await Promise.all(instances.map(get));
    for (const res of replayed) {
      expect(res.status).toBe(200);
      expect(res.body.data.plan).toEqual({ planId: PLAN_ID, marketingName: 'Shared Truth Bronze Plus' });
      expect(res.body.data.drugCoverage).toEqual([expect.objectContaining({ status: 'COVERED', drugTier: 'GENERIC' })]);
      expect(res.body.data.drugCoverage[0].costSummary).not.toBe(current[0].body.data.drugCoverage[0].costSummary);
    }
    expect(replayed[0].text).toBe(replayed[1].text);
    expect(replayed[0].headers.etag).toBeTruthy();
    expect(replayed[0].headers.etag).toBe(replayed[1].headers.etag);
    expect(replayed[0].headers.etag).not.toBe(oldETag);
  });

  it('accepts an upload on one instance and reports and answers it on the other', async () => {
    const issuer = '48484';
    const { plainKey } = await apiKeys.create({ label: 'Handed over uploads', issuerIds: [issuer] });
    const [a, b] = instances;
    let upload = request(a.url).post(`/ingest/uploads?issuerId=${issuer}`).set('X-API-Key', plainKey);
    for (const file of ['plans.json', 'drugs.json']) upload = upload.attach('files', join(__dirname, 'fixtures', issuer, file));
    const accepted = await upload;
    expect(accepted.status).toBe(202);

    const deadline = Date.now() + 60_000;
    let job: { status: string; error: string | null } | null = null;
    while (Date.now() < deadline) {
      const res = await request(b.url)
        .post('/graphql')
        .set('X-API-Key', plainKey)
        .send({ query: `query ($id: ID!) { importJob(id: $id) { status error } }`, variables: { id: accepted.body.jobId } });
      job = res.body.data?.importJob;
      if (job && !['QUEUED', 'RUNNING'].includes(job.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    // Published on the primary; the other instance answers from the replica once it has replayed it.
    await postgres!.caughtUp();
    const answer = await request(b.url).post('/graphql').send({ query: `{ plan(planId: "48484VT0010001") { planId marketingName } }` });
    expect(answer.body.data.plan).toEqual({ planId: '48484VT0010001', marketingName: 'Handed Over Bronze' });
  });
});
