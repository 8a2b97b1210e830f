/**
 * PostgreSQL restarted under a running API: clear retryable errors during the outage, normal answers
 * afterwards, without restarting the API. Uses its own embedded PostgreSQL (the shared one stays up).
 */
import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { buildDataSourceOptions, runMigrations } from '../../src/database/data-source-options';
import { DatabaseHandle, findFreePort } from '../../src/database/embedded-postgres';
import { startPostgresProcess } from './fixtures/embedded-pg-process';
import { Fixture, loadFixture } from './fixtures/qhp-fixture';

describe('PostgreSQL restarted while the API runs', () => {
  const root = mkdtempSync(join(tmpdir(), 'hardening-restart-'));
  const dataDir = join(root, 'pg');
  let port: number;
  let database: DatabaseHandle;
  let app: INestApplication;
  let fixture: Fixture;

  beforeAll(async () => {
    port = await findFreePort();
    database = await startPostgresProcess({ dataDir, persistent: true, port });
    await runMigrations(database.url);
    const db = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 4 }));
    await db.initialize();
    try {
      fixture = await loadFixture(db, { issuerId: '97201', plans: 2, providers: 2, drugs: 2 });
    } finally {
      await db.destroy();
    }
    app = await createApp({ dbPoolSize: 4 }, database.url, { logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await database?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const ask = () =>
    request(app.getHttpServer())
      .post('/graphql')
      .send({
        query: `query($n: [String!]!, $p: [String!]!, $r: [String!]!) {
          networkCoverage(npis: $n, planIds: $p) { npi planId status }
          drugCoverage(rxnormIds: $r, planIds: $p) { status drugTier }
        }`,
        variables: { n: [fixture.npis[0]], p: [fixture.planIds[0]], r: [fixture.rxcuis[0]] },
      });

  function expectAnswers(res: request.Response): void {
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.networkCoverage).toEqual([{ npi: fixture.npis[0], planId: fixture.planIds[0], status: 'IN_NETWORK' }]);
    expect(res.body.data.drugCoverage).toEqual([{ status: 'COVERED', drugTier: 'GENERIC' }]);
  }

  it('answers, fails clearly while PostgreSQL is down, and answers again once it is back', async () => {
    expectAnswers(await ask());
    expect((await request(app.getHttpServer()).get('/ready')).status).toBe(200);

    await database.stop();

    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await ask();
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.errors.length).toBeGreaterThanOrEqual(1);
      for (const error of res.body.errors) {
        expect(error.message).toBe('Database temporarily unavailable, retry shortly');
        expect(error.extensions.code).toBe('SERVICE_UNAVAILABLE');
      }
      // No internals (addresses, driver messages) leak to the client.
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminat/i);
    }
    const notReady = await request(app.getHttpServer()).get('/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.status).toBe('error');
    expect(notReady.body.error.database.status).toBe('down');
    // Liveness does not depend on the database: the orchestrator must not restart the API for it.
    expect((await request(app.getHttpServer()).get('/health')).status).toBe(200);

    database = await startPostgresProcess({ dataDir, persistent: true, port });

    // The very first request after the restart succeeds: dead pooled connections were dropped.
    expectAnswers(await ask());
    expectAnswers(await ask());
    expect((await request(app.getHttpServer()).get('/ready')).status).toBe(200);
  });
});
