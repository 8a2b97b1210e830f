/**
 * Security headers, CORS, request ids and logs without secrets.
 */
import { INestApplication } from '@nestjs/common';
import { Writable } from 'node:stream';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { createApp } from '../../src/bootstrap';
import { AnswerFastPath, questionKey } from '../../src/graphql/answer-fast-path';
import { testDatabaseUrl } from '../helpers/test-app';

const QUERY = { query: '{ plan(planId: "99999ZZ9999999") { planId } }' };

describe('HTTP security', () => {
  let app: INestApplication;
  let restricted: INestApplication;
  const logLines: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    });
    app = await createApp({ dbPoolSize: 2, logLevel: 'info' }, testDatabaseUrl(), { logger: false, logDestination: destination as any });
    await app.init();
    restricted = await createApp({ dbPoolSize: 2, corsOrigins: ['https://shop.example.com'] }, testDatabaseUrl(), { logger: false });
    await restricted.init();
  });
  afterAll(async () => {
    await app?.close();
    await restricted?.close();
  });

  it('sends helmet headers with a strict CSP on API responses', async () => {
    const res = await request(app.getHttpServer()).post('/graphql').send(QUERY);
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('marks GraphQL answers Cache-Control: no-store (published versions change them at any time)', async () => {
    const res = await request(app.getHttpServer()).post('/graphql').send(QUERY);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('lets the offline explorer (GET /explorer and GET /graphql) run its inline bootstrap script, and nothing from elsewhere', async () => {
    for (const path of ['/explorer', '/graphql']) {
      const res = await request(app.getHttpServer()).get(path).set('Accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<script src="/explorer/assets/graphiql.min.js"></script>');
      const csp: string = res.headers['content-security-policy'];
      expect(csp).toMatch(/script-src 'self' 'unsafe-inline'(;|$)/);
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/https?:/);
    }
    // Every script and stylesheet the page references is served from node_modules, with its real type.
    const page = await request(app.getHttpServer()).get('/explorer');
    const referenced = [...page.text.matchAll(/(?:src|href)="(\/explorer\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(referenced.sort()).toEqual([
      '/explorer/assets/graphiql.min.css',
      '/explorer/assets/graphiql.min.js',
      '/explorer/assets/react-dom.production.min.js',
      '/explorer/assets/react.production.min.js',
    ]);
    for (const path of referenced) {
      const asset = await request(app.getHttpServer()).get(path);
      expect({ path, status: asset.status }).toEqual({ path, status: 200 });
      expect(asset.headers['content-type']).toContain(path.endsWith('.css') ? 'text/css' : 'javascript');
    }
  });

  it('allows every origin by default (public reads)', async () => {
    const res = await request(app.getHttpServer()).post('/graphql').set('Origin', 'https://anyone.example.org').send(QUERY);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
    const preflight = await request(app.getHttpServer())
      .options('/graphql')
      .set('Origin', 'https://anyone.example.org')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-api-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-API-Key/i);
  });

  it('allows only CORS_ORIGINS when set', async () => {
    const allowed = await request(restricted.getHttpServer()).post('/graphql').set('Origin', 'https://shop.example.com').send(QUERY);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const other = await request(restricted.getHttpServer()).post('/graphql').set('Origin', 'https://evil.example.net').send(QUERY);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('echoes X-Request-Id, or makes one up', async () => {
    const given = await request(app.getHttpServer()).post('/graphql').set('X-Request-Id', 'shop-42.abc').send(QUERY);
    expect(given.headers['x-request-id']).toBe('shop-42.abc');
    const generated = await request(app.getHttpServer()).post('/graphql').send(QUERY);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const unsafe = await request(app.getHttpServer()).post('/graphql').set('X-Request-Id', 'x'.repeat(300)).send(QUERY);
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one JSON line per request with its id, and never the credentials', async () => {
    logLines.length = 0;
    // A real key: an unknown one would be refused before the request is logged as answered.
    const secret = (await app.get(ApiKeysService).create({ label: '', issuerIds: [], partner: 'Log check' })).plainKey;
    const res = await request(app.getHttpServer())
      .post('/graphql')
      .set('X-Request-Id', 'log-check-1')
      .set('Authorization', `Bearer ${secret}`)
      .set('X-API-Key', secret)
      .set('Cookie', `session=${secret}`)
      .send({ ...QUERY, operationName: null });
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entries = logLines.map((line) => JSON.parse(line));
    const entry = entries.find((e) => e.req?.id === 'log-check-1');
    expect(entry).toMatchObject({ msg: 'request completed', req: { method: 'POST', url: '/graphql' }, res: { statusCode: 200 } });
    expect(entry.req.headers.authorization).toBe('[redacted]');
    expect(entry.req.headers['x-api-key']).toBe('[redacted]');
    expect(typeof entry.responseTime).toBe('number');
    expect(logLines.join('\n')).not.toContain(secret.slice(12));
  });

  it('binds what is logged during a request to it: its id and operation name, on the warning and on the request line', async () => {
    logLines.length = 0;
    const res = await request(app.getHttpServer())
      .post('/graphql')
      .set('X-Request-Id', 'log-check-2')
      .send({ operationName: 'BadNpi', query: 'query BadNpi { networkCoverage(npis: ["1234567890"], planIds: ["12345XX9876543"]) { status } }' });
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entries = logLines.map((line) => JSON.parse(line)).filter((e) => e.req?.id === 'log-check-2');
    const warning = entries.find((e) => e.context === 'GraphQL');
    expect(warning).toMatchObject({ level: 40, code: 'BAD_USER_INPUT', operationName: 'BadNpi', req: { method: 'POST', url: '/graphql' } });
    const line = entries.find((e) => e.msg === 'request completed');
    expect(line).toMatchObject({ level: 30, operationName: 'BadNpi', req: { id: 'log-check-2' }, res: { statusCode: 200 } });
    expect(entries).toHaveLength(2);
  });

  it('logs the request line of an answer the fast path gives before the Express chain (a revalidation answered 304)', async () => {
    const fastPath = app.get(AnswerFastPath);
    const get = (headers: Record<string, string>) =>
      request(app.getHttpServer())
        .get(`/graphql?${new URLSearchParams({ query: QUERY.query })}`)
        .set({ 'apollo-require-preflight': 'true', ...headers });
    // The normal path answers the first GET and leaves its ETag to the fast path once it listens for publishes.
    let etag = '';
    for (let attempt = 0; attempt < 40 && !fastPath.current(questionKey(QUERY.query, undefined, undefined, undefined)!); attempt++) {
      const first = await get({});
      expect(first.status).toBe(200);
      etag = first.headers.etag;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(fastPath.current(questionKey(QUERY.query, undefined, undefined, undefined)!)?.etag).toBe(etag);
    logLines.length = 0;
    const repeat = await get({ 'If-None-Match': etag, 'X-Request-Id': 'log-check-3' });
    expect(repeat.status).toBe(304);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entries = logLines.map((line) => JSON.parse(line)).filter((e) => e.req?.id === 'log-check-3');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'GET' }, res: { statusCode: 304 } });
    expect(typeof entries[0].responseTime).toBe('number');
  });
});
