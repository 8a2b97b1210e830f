import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { parseApiKeyCommand, runApiKeyCommand } from '../../src/auth/cli/api-key-cli';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { hashApiKey } from '../../src/auth/api-key-secret';
import { KeyUsage, PresentedKeys } from '../../src/auth/presented-keys';
import { createApp } from '../../src/bootstrap';
import { Database } from '../../src/database/database';
import { testDatabaseUrl } from '../helpers/test-app';

/**
 * Read-partner keys: keys that identify a plan-shopping site rather than an issuer, with their own rate
 * limit, counted per day; anonymous callers keep the per-IP limit; bad keys get 401.
 */
const CHEAP = `{ plan(planId: "99999ZZ9999999") { planId } }`;

describe('read-partner keys', () => {
  let app: INestApplication;
  let apiKeys: ApiKeysService;
  const gql = (headers: Record<string, string> = {}) => request(app.getHttpServer()).post('/graphql').set(headers).send({ query: CHEAP });

  beforeAll(async () => {
    // Per IP: 2 requests a minute; keys without their own limit: 4.
    app = await createApp({ dbPoolSize: 2, rateLimit: { windowSeconds: 60, perIp: 2, perApiKey: 4 }, redisUrl: null }, testDatabaseUrl(), { logger: false });
    await app.init();
    apiKeys = app.get(ApiKeysService);
  });
  afterAll(() => app?.close());

  it('creates, lists, reports usage of and revokes partner keys with the api-key command', async () => {
    const lines: string[] = [];
    const print = (line: string) => lines.push(line);
    await runApiKeyCommand(parseApiKeyCommand(['create', '--partner', 'ShopCo CLI', '--rate-limit', '50']), apiKeys, print);
    const plainKey = lines.map((line) => line.trim()).find((line) => line.startsWith('cov_'))!;
    expect(plainKey).toMatch(/^cov_[A-Za-z0-9_-]{43}$/);
    expect(lines.join('\n')).toContain('give it to the partner now');
    expect(await apiKeys.verify(plainKey)).toMatchObject({ label: 'ShopCo CLI', partner: 'ShopCo CLI', issuerIds: [], isAdmin: false, rateLimit: 50 });

    // Only the SHA-256 is stored.
    const db = app.get(Database);
    const [row] = await db.query(`SELECT * FROM api_key WHERE key_prefix = $1`, [plainKey.slice(0, 12)]);
    expect(row.key_hash).toBe(hashApiKey(plainKey));
    expect(JSON.stringify(row)).not.toContain(plainKey.slice(12));

    lines.length = 0;
    await runApiKeyCommand(parseApiKeyCommand(['list']), apiKeys, print);
    expect(lines.find((line) => line.includes('"ShopCo CLI"'))).toMatch(/read partner ShopCo CLI {2}rate limit 50 {2}active, last used /);

    lines.length = 0;
    await runApiKeyCommand(parseApiKeyCommand(['usage', plainKey.slice(0, 12)]), apiKeys, print);
    expect(lines).toEqual([expect.stringContaining('"ShopCo CLI"'), '  no requests in the last 7 days']);

    lines.length = 0;
    await runApiKeyCommand(parseApiKeyCommand(['revoke', plainKey.slice(0, 12)]), apiKeys, print);
    expect(lines[0]).toMatch(/^Revoked .* "ShopCo CLI" .* revoked /);

    expect(() => parseApiKeyCommand(['create', '--partner', 'X', '--rate-limit', 'many'])).toThrow('--rate-limit needs a whole number (got "many")');
    await expect(apiKeys.create({ label: '', issuerIds: ['10001'], partner: 'ShopCo' })).rejects.toThrow(
      'a read-partner key cannot have issuers or admin rights',
    );
  });

  it('gives a partner key its own budget instead of the per-IP one; 429 says when to retry in headers and in the error', async () => {
    const { plainKey } = await apiKeys.create({ label: '', issuerIds: [], partner: 'ShopCo', rateLimit: 3 });
    const key = { Authorization: `Bearer ${plainKey}` };
    for (let i = 0; i < 3; i++) {
      const res = await gql(key);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    const limited = await gql(key);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.errors[0].message).toMatch(/^Rate limit exceeded: 3 requests per 60 seconds for this API key; retry after \d+ s$/);
    expect(limited.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, limit: 3, windowSeconds: 60 });

    // Anonymous callers from the same address keep the per-IP limit, untouched by the partner's requests.
    expect((await gql()).status).toBe(200);
    expect((await gql()).status).toBe(200);
    const anonymous = await gql();
    expect(anonymous.status).toBe(429);
    expect(anonymous.body.errors[0].message).toMatch(/from this address/);
    expect(Number(anonymous.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // A key without a limit of its own gets RATE_LIMIT_PER_API_KEY (4), also past the exhausted IP budget.
    const other = await apiKeys.create({ label: '', issuerIds: [], partner: 'Other Site' });
    for (let i = 0; i < 4; i++) expect((await gql({ 'X-API-Key': other.plainKey })).status).toBe(200);
    expect((await gql({ 'X-API-Key': other.plainKey })).status).toBe(429);

    // The same key through the REST door (?apikey=) shares the key's budget.
    const rest = await request(app.getHttpServer()).get(`/api/v1/plans/99999OH0010001?apikey=${plainKey}`);
    expect(rest.status).toBe(429);
    expect(rest.body.code).toBe('OVER_RATE_LIMIT');
  });

  it('refuses an unknown or revoked key with 401 and one clear line, on GraphQL and REST', async () => {
    const unknown = await gql({ Authorization: 'Bearer cov_NotAKeyOfOursAtAll0000000000000000000000000' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ errors: [{ message: 'API key not recognized or revoked: ask for a new key', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(unknown.headers['www-authenticate']).toBe('Bearer');

    const { apiKey, plainKey } = await apiKeys.create({ label: '', issuerIds: [], partner: 'Revoked Site' });
    expect((await gql({ 'X-API-Key': plainKey })).status).toBe(200);
    await apiKeys.revoke(apiKey.id);
    // Each instance trusts what it learnt about a key for a few seconds; this one is told at once.
    app.get(PresentedKeys).forget();
    const revoked = await gql({ 'X-API-Key': plainKey });
    expect(revoked.status).toBe(401);
    expect(revoked.body.errors[0].message).toBe('API key not recognized or revoked: ask for a new key');

    const rest = await request(app.getHttpServer()).get(`/api/v1/plans/99999OH0010001?apikey=${plainKey}`);
    expect(rest.status).toBe(401);
    expect(rest.body).toEqual({
      code: 'API_KEY_INVALID',
      status: '401',
      message: 'API key not recognized or revoked',
      error: 'API key not recognized or revoked: ask for a new key',
    });
  });

  it('counts requests per key and day, saved in batches', async () => {
    const { apiKey, plainKey } = await apiKeys.create({ label: '', issuerIds: [], partner: 'Counted Site', rateLimit: 0 });
    const db = app.get(Database);
    const writes = jest.spyOn(db, 'query');
    for (let i = 0; i < 5; i++) expect((await gql({ 'X-API-Key': plainKey })).status).toBe(200);
    // Not a write per request (the periodic flush may happen to run once meanwhile).
    expect(writes.mock.calls.filter(([sql]) => String(sql).includes('api_key_usage')).length).toBeLessThanOrEqual(1);
    writes.mockRestore();
    const count = async () => (await db.query(`SELECT requests::int AS n FROM api_key_usage WHERE api_key_id = $1`, [apiKey.id]))[0]?.n;
    await app.get(KeyUsage).flush();
    expect(await count()).toBe(5);
    await gql({ 'X-API-Key': plainKey });
    await app.get(KeyUsage).flush();
    expect(await count()).toBe(6);
    const { days } = await apiKeys.usage(apiKey.id);
    expect(days).toEqual([{ day: new Date().toISOString().slice(0, 10), requests: 6 }]);
  });
});

describe('read-partner usage at shutdown', () => {
  it('writes the counts not yet saved when the application stops', async () => {
    const app = await createApp({ dbPoolSize: 2, redisUrl: null }, testDatabaseUrl(), { logger: false });
    await app.init();
    const { apiKey, plainKey } = await app.get(ApiKeysService).create({ label: '', issuerIds: [], partner: 'Stopping Site' });
    for (let i = 0; i < 3; i++)
      expect((await request(app.getHttpServer()).post('/graphql').set('X-API-Key', plainKey).send({ query: CHEAP })).status).toBe(200);
    await app.close();
    const check = await createApp({ dbPoolSize: 1, redisUrl: null }, testDatabaseUrl(), { logger: false });
    await check.init();
    try {
      const [row] = await check.get(Database).query(`SELECT requests::int AS n FROM api_key_usage WHERE api_key_id = $1`, [apiKey.id]);
      expect(row?.n).toBe(3);
    } finally {
      await check.close();
    }
  });
});
