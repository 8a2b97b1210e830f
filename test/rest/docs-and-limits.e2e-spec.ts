import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { createApp } from '../../src/bootstrap';
import { NetworkService } from '../../src/providers/network.service';
import { ensureDemoData } from '../helpers/demo-data';
import { startTestApp, TestApp, testDatabaseUrl } from '../helpers/test-app';
import { NPI, PLAN, RXCUI } from './demo';

/** The REST API's OpenAPI document and Swagger UI, and the limits it shares with GraphQL. */

describe('OpenAPI document and Swagger UI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves an OpenAPI 3 document generated from the controllers at /api/v1/openapi.json', async () => {
    const res = await t.http().get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/coverage/search',
      '/api/v1/coverage/stats',
      '/api/v1/drugs/autocomplete',
      '/api/v1/drugs/covered',
      '/api/v1/drugs/search',
      '/api/v1/drugs/{rxcui}',
      '/api/v1/plans/{planid}',
      '/api/v1/providers/autocomplete',
      '/api/v1/providers/covered',
      '/api/v1/providers/search',
      '/api/v1/providers/{npi}',
    ]);
    const parameters = doc.paths['/api/v1/providers/covered'].get.parameters;
    expect(parameters.map((p: any) => p.name).sort()).toEqual(['apikey', 'details', 'planids', 'providerids', 'year']);
    expect(parameters.find((p: any) => p.name === 'providerids')).toMatchObject({ in: 'query', required: true });

    const schemas = doc.components.schemas;
    expect(schemas.ProviderCoverageDto.properties.coverage.enum).toEqual(['Covered', 'NotCovered', 'DataNotProvided']);
    expect(schemas.ProviderCoverageDto.properties.accepting.enum).toEqual(['accepting', 'not accepting', 'accepting in some locations', 'unknown']);
    expect(schemas.DrugCoverageDto.properties.coverage.enum).toEqual(['Covered', 'NotCovered', 'DataNotProvided', 'GenericCovered']);
    expect(Object.keys(schemas.DrugCoverageDto.properties).sort()).toEqual(['coverage', 'details', 'generic_rxcui', 'plan_id', 'rxcui']);
    expect(Object.keys(schemas.DrugDto.properties).sort()).toEqual([
      'full_name',
      'id',
      'name',
      'route',
      'rxcui',
      'rxnorm_dose_form',
      'rxterms_dose_form',
      'strength',
    ]);
    expect(Object.keys(schemas.MarketplaceErrorDto.properties).sort()).toEqual(['code', 'error', 'message', 'status']);
    expect(doc.paths['/api/v1/plans/{planid}'].get.responses['404'].content['application/json'].schema.$ref).toBe('#/components/schemas/MarketplaceErrorDto');
  });

  it('serves Swagger UI at /api/v1/docs from local files, under a CSP that allows it there only', async () => {
    const page = await t.http().get('/api/v1/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['./docs/swagger-ui-bundle.js', './docs/swagger-ui-standalone-preset.js', './docs/swagger-ui-init.js']);
    expect(page.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    for (const script of scripts) {
      const asset = await t.http().get(`/api/v1/${script.slice(2)}`);
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
    }
    expect((await t.http().get('/api/v1/docs/swagger-ui.css')).status).toBe(200);

    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data:");
    // The API itself keeps the strict policy.
    const api = await t.http().get('/api/v1/coverage/stats');
    expect(api.headers['content-security-policy']).toContain("style-src 'self'");
    expect(api.headers['content-security-policy']).not.toContain('unsafe-inline');
  });
});

describe('limits shared with GraphQL', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp({ dbPoolSize: 2, rateLimit: { windowSeconds: 60, perIp: 100, perApiKey: 2 }, redisUrl: null }, testDatabaseUrl(), { logger: false });
    await app.init();
  });
  afterAll(() => app?.close());

  const rest = (apikey: string) => request(app.getHttpServer()).get(`/api/v1/plans/${PLAN.unloaded}?apikey=${apikey}`);

  it("counts ?apikey= against the same per-key limit as a GraphQL client's key, with the Marketplace error body", async () => {
    const apiKeys = app.get(ApiKeysService);
    const partnerOne = (await apiKeys.create({ label: '', issuerIds: [], partner: 'Partner One' })).plainKey;
    const partnerTwo = (await apiKeys.create({ label: '', issuerIds: [], partner: 'Partner Two' })).plainKey;
    expect((await rest(partnerOne)).status).toBe(404);
    expect((await rest(partnerOne)).status).toBe(404);
    const limited = await rest(partnerOne);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      code: 'OVER_RATE_LIMIT',
      status: '429',
      message: 'rate limit exceeded',
      error: expect.stringMatching(/^Rate limit exceeded: 2 requests per 60 seconds for this API key; retry after \d+ s$/),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The same key through the GraphQL door is limited too: one counter per key.
    const graphql = await request(app.getHttpServer())
      .post('/graphql')
      .set('X-API-Key', partnerOne)
      .send({ query: '{ plan(planId: "99999OH0010001") { planId } }' });
    expect(graphql.status).toBe(429);
    // Another key has its own counter.
    expect((await rest(partnerTwo)).status).toBe(404);
  });
});

describe('coverage data unavailable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await ensureDemoData(t.db);
  });
  afterAll(() => t.close());

  it('answers 503 with code 1012 and Retry-After when the database cannot be reached', async () => {
    const network = t.app.get(NetworkService);
    const lost = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const spy = jest.spyOn(network, 'checkNetwork').mockRejectedValue(lost);
    try {
      const res = await t.http().get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=${PLAN.gold}`);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ code: '1012', status: '503', message: 'coverage data temporarily unavailable', error: 'coverage database unavailable' });
      expect(res.headers['retry-after']).toBe('5');
    } finally {
      spy.mockRestore();
    }
    expect((await t.http().get(`/api/v1/drugs/covered?drugs=${RXCUI.atorvastatin20}&planids=${PLAN.gold}`)).status).toBe(200);
  });

  it('answers an unexpected failure with code 1000 and no internals', async () => {
    const network = t.app.get(NetworkService);
    const spy = jest.spyOn(network, 'checkNetwork').mockRejectedValue(new Error('column "secret" does not exist'));
    try {
      const res = await t.http().get(`/api/v1/providers/covered?providerids=${NPI.johnSmith}&planids=${PLAN.gold}`);
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ code: '1000', status: '500', message: 'Internal server error', error: 'unexpected error' });
    } finally {
      spy.mockRestore();
    }
  });
});
