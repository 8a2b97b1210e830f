import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '../../src/auth/api-key.entity';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { findFreePort } from '../../src/database/embedded-postgres';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { testDatabaseUrl } from '../helpers/test-app';

/**
 * Many instances, one truth: two API processes (the production entry, src/main.ts) on one PostgreSQL and
 * one Redis share their rate limits, give identical answers (and ETags), both see a publish made
 * anywhere at once, and an upload accepted by one is reported and answered by the other. Redis is a redis-server started for this test on a free port (so runs on one machine
 * never share counters); when the binary is missing, the machine's Redis on 127.0.0.1:6379 is used.
 */
const ISSUER = '47474';
const PLAN_ID = '47474VT0010001';
const PLAN_QUERY = `query SharedPlan { plan(planId: "${PLAN_ID}") { planId marketingName } }`;
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

/** `npm run start:prod`'s entry, run by ts-node, as its own process. */
async function startInstance(redisUrl: string): Promise<Instance> {
  const port = await findFreePort();
  const output: string[] = [];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
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
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (instance.process.exitCode === null) instance.process.kill('SIGKILL');
}

describe('two API processes, one PostgreSQL, one Redis', () => {
  let redis: ChildProcess | null = null;
  let redisUrl: string;
  let db: DataSource;
  let apiKeys: ApiKeysService;
  const instances: Instance[] = [];

  beforeAll(
    async () => {
      if (REDIS_SERVER) {
        const port = await findFreePort();
        redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
        redisUrl = `redis://127.0.0.1:${port}`;
      } else {
        redisUrl = 'redis://127.0.0.1:6379/15';
      }
      await waitFor(`Redis at ${redisUrl}`, () => redisAnswers(redisUrl), 10_000);

      db = new DataSource(buildDataSourceOptions({ url: testDatabaseUrl(), poolSize: 4, entities: [ApiKeyEntity] }));
      await db.initialize();
      apiKeys = new ApiKeysService(db.getRepository(ApiKeyEntity));

      instances.push(await startInstance(redisUrl), await startInstance(redisUrl));
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
    redis?.kill('SIGTERM');
  }, 40_000);

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

  it('answers identically on both, and both see a publish at once (same new answer, same new ETag)', async () => {
    const { plainKey } = await apiKeys.create({ label: '', issuerIds: [], partner: 'Two Doors Reader', rateLimit: 0 });
    const get = (instance: Instance) =>
      request(instance.url)
        .get(`/graphql?query=${encodeURIComponent(PLAN_QUERY)}`)
        .set({ 'apollo-require-preflight': 'true', 'X-API-Key': plainKey });

    const before = await Promise.all(instances.map(get));
    for (const res of before) expect(res.status).toBe(200);
    expect(before[0].text).toBe(before[1].text);
    expect(before[0].headers.etag).toBe(before[1].headers.etag);

    // Published by neither instance: the import runs here, on the shared primary.
    const result = await new QhpImporter(db).import({
      issuerId: ISSUER,
      issuerName: 'Shared Truth Health',
      paths: ['plans.json', 'drugs.json'].map((file) => join(__dirname, 'fixtures', ISSUER, file)),
      source: 'test',
      loadedBy: 'test',
    });
    expect(['published', 'unchanged']).toContain(result.status);

    const after = await Promise.all(instances.map(get));
    for (const res of after) {
      expect(res.status).toBe(200);
      expect(res.body.data.plan).toEqual({ planId: PLAN_ID, marketingName: 'Shared Truth Bronze' });
    }
    expect(after[0].headers.etag).toBe(after[1].headers.etag);
    if (result.status === 'published') expect(after[0].headers.etag).not.toBe(before[0].headers.etag);
    // A client revalidating on the other instance gets 304 for the new answer.
    const revalidated = await get(instances[1]).set('if-none-match', after[0].headers.etag);
    expect(revalidated.status).toBe(304);
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
    const answer = await request(b.url).post('/graphql').send({ query: `{ plan(planId: "48484VT0010001") { planId marketingName } }` });
    expect(answer.body.data.plan).toEqual({ planId: '48484VT0010001', marketingName: 'Handed Over Bronze' });
  });
});
