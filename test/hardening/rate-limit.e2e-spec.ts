/**
 * Rate limits per client IP and per API key (@nestjs/throttler), in memory or shared through Redis.
 */
import { INestApplication } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { createApp, CreateAppConfig } from '../../src/bootstrap';
import { findFreePort } from '../../src/database/embedded-postgres';
import { testDatabaseUrl } from '../helpers/test-app';

const CHEAP = `{ plan(planId: "99999ZZ9999999") { planId } }`;
const TWO_ROOT_FIELDS = `{ a: plan(planId: "99999ZZ9999999") { planId } b: plan(planId: "99999ZZ9999998") { planId } c: drug(rxnormId: "1") { drugName } }`;

async function startApp(config: Partial<CreateAppConfig>): Promise<INestApplication> {
  const app = await createApp({ dbPoolSize: 2, ...config }, testDatabaseUrl(), { logger: false });
  await app.init();
  return app;
}

function gql(app: INestApplication, query = CHEAP, headers: Record<string, string> = {}) {
  return request(app.getHttpServer()).post('/graphql').set(headers).send({ query });
}

describe('rate limits (in memory)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startApp({ rateLimit: { windowSeconds: 60, perIp: 3, perApiKey: 2 }, redisUrl: null });
  });
  afterAll(() => app?.close());

  it('allows N requests per window from one IP (a GraphQL request counts once), then answers 429 with a clear message', async () => {
    const first = await gql(app, TWO_ROOT_FIELDS);
    expect(first.status).toBe(200);
    expect(first.body.errors).toBeUndefined();
    expect(first.headers['x-ratelimit-limit-ip']).toBe('3');
    expect(first.headers['x-ratelimit-remaining-ip']).toBe('2');
    expect((await gql(app)).status).toBe(200);
    expect((await gql(app)).status).toBe(200);

    const limited = await gql(app);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(limited.body.errors[0].message).toMatch(/^Rate limit exceeded: 3 requests per 60 seconds from this address; retry after \d+ s$/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.errors[0].message).toContain(`retry after ${retryAfter} s`);
  });

  it('limits REST routes too, with a JSON 429', async () => {
    const res = await request(app.getHttpServer()).get('/explorer');
    expect(res.status).toBe(429);
    expect(res.body.message).toMatch(/^Rate limit exceeded: 3 requests per 60 seconds from this address; retry after \d+ s$/);
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await request(app.getHttpServer()).get('/health')).status).toBe(200);
    }
  });
});

describe('rate-limit windows', () => {
  it('gives the budget back when the window is over', async () => {
    const app = await startApp({ rateLimit: { windowSeconds: 1, perIp: 2, perApiKey: 0 }, redisUrl: null });
    try {
      expect((await gql(app)).status).toBe(200);
      expect((await gql(app)).status).toBe(200);
      const limited = await gql(app);
      expect(limited.status).toBe(429);
      expect(limited.body.errors[0].message).toBe('Rate limit exceeded: 2 requests per second from this address; retry after 1 s');
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await gql(app)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('rate limits per API key', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startApp({ rateLimit: { windowSeconds: 60, perIp: 100, perApiKey: 2 }, redisUrl: null });
  });
  afterAll(() => app?.close());

  it('counts each key separately from the others and from keyless requests', async () => {
    // Keys must exist (an unknown key is refused with 401): two read-partner keys without a limit of their own.
    const apiKeys = app.get(ApiKeysService);
    const keyA = { Authorization: `Bearer ${(await apiKeys.create({ label: '', issuerIds: [], partner: 'Key A' })).plainKey}` };
    const keyB = { 'X-API-Key': (await apiKeys.create({ label: '', issuerIds: [], partner: 'Key B' })).plainKey };
    expect((await gql(app, CHEAP, keyA)).status).toBe(200);
    expect((await gql(app, CHEAP, keyA)).status).toBe(200);
    const limited = await gql(app, CHEAP, keyA);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].message).toMatch(/^Rate limit exceeded: 2 requests per 60 seconds for this API key; retry after \d+ s$/);

    expect((await gql(app, CHEAP, keyB)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await gql(app)).status).toBe(200);
  });
});

const REDIS_SERVER = '/usr/bin/redis-server';

(existsSync(REDIS_SERVER) ? describe : describe.skip)('rate limits shared through Redis (REDIS_URL)', () => {
  let redis: ChildProcess;
  let redisUrl: string;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    const port = await findFreePort();
    redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    redisUrl = `redis://127.0.0.1:${port}`;
    const { default: Redis } = await import('ioredis');
    for (let attempt = 0; ; attempt++) {
      const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        await probe.quit();
        break;
      } catch (error) {
        probe.disconnect();
        if (attempt > 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    redis?.kill('SIGTERM');
  });

  it('two instances share one budget per client', async () => {
    const one = await startApp({ rateLimit: { windowSeconds: 60, perIp: 3, perApiKey: 0 }, redisUrl });
    const two = await startApp({ rateLimit: { windowSeconds: 60, perIp: 3, perApiKey: 0 }, redisUrl });
    apps.push(one, two);
    expect((await gql(one)).status).toBe(200);
    expect((await gql(two)).status).toBe(200);
    expect((await gql(one)).status).toBe(200);
    const limited = await gql(two);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].message).toMatch(/^Rate limit exceeded: 3 requests per 60 seconds from this address/);
    expect((await gql(one)).status).toBe(429);
  });

  it('keeps serving (and limiting, per instance) when Redis is unreachable', async () => {
    const deadPort = await findFreePort();
    const app = await startApp({ rateLimit: { windowSeconds: 60, perIp: 2, perApiKey: 0 }, redisUrl: `redis://127.0.0.1:${deadPort}` });
    apps.push(app);
    expect((await gql(app)).status).toBe(200);
    expect((await gql(app)).status).toBe(200);
    expect((await gql(app)).status).toBe(429);
  });
});
