/**
 * DATABASE_REPLICA_URLS: GraphQL reads go to a replica, writes stay on the primary, and an unreachable
 * replica falls back to the primary. The "replica" is a second database on the test server holding
 * different data, so where an answer came from is visible.
 */
import { INestApplication } from '@nestjs/common';
import { AddressInfo, connect, createServer, Socket } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { buildDataSourceOptions, runMigrations } from '../../src/database/data-source-options';
import { Database } from '../../src/database/database';
import { testDatabaseUrl } from '../helpers/test-app';
import { Fixture, loadFixture } from './fixtures/qhp-fixture';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withDataSource<T>(url: string, fn: (db: DataSource) => Promise<T>): Promise<T> {
  const db = new DataSource(buildDataSourceOptions({ url, poolSize: 4 }));
  await db.initialize();
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

describe('read replicas (DATABASE_REPLICA_URLS)', () => {
  const primaryUrl = testDatabaseUrl();
  const replicaUrl = withDatabase(primaryUrl, 'hardening_replica');
  let onReplicaOnly: Fixture;
  let onPrimary: Fixture;

  beforeAll(async () => {
    const admin = new Client({ connectionString: primaryUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS hardening_replica');
    await admin.query('CREATE DATABASE hardening_replica');
    await admin.end();
    await runMigrations(replicaUrl);
    onReplicaOnly = await withDataSource(replicaUrl, (db) => loadFixture(db, { issuerId: '97301', plans: 1, providers: 1, drugs: 1 }));
    onPrimary = await withDataSource(primaryUrl, (db) => loadFixture(db, { issuerId: '97302', plans: 1, providers: 1, drugs: 1 }));
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: primaryUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS hardening_replica WITH (FORCE)');
    await admin.end();
  });

  it('parses DATABASE_REPLICA_URLS and needs a primary', () => {
    expect(loadConfig({ DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: ` ${replicaUrl} , ${replicaUrl}` }).databaseReplicaUrls).toEqual([
      replicaUrl,
      replicaUrl,
    ]);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: replicaUrl })).toThrow('DATABASE_REPLICA_URLS needs DATABASE_URL (the primary) to be set as well');
    expect(() => loadConfig({ DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: 'http://x/y' })).toThrow('DATABASE_REPLICA_URLS[0] must start with postgres://');
  });

  describe('with a replica', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await createApp({ dbPoolSize: 2, databaseReplicaUrls: [replicaUrl] }, primaryUrl, { logger: false });
      await app.init();
    });
    afterAll(() => app?.close());

    const planQuery = (planId: string) =>
      request(app.getHttpServer())
        .post('/graphql')
        .send({ query: `{ plan(planId: "${planId}") { planId issuer { name } } }` });

    it('answers GraphQL reads from the replica', async () => {
      const fromReplica = await planQuery(onReplicaOnly.planIds[0]);
      expect(fromReplica.body.data.plan).toEqual({ planId: onReplicaOnly.planIds[0], issuer: { name: onReplicaOnly.issuerName } });
      const notOnReplica = await planQuery(onPrimary.planIds[0]);
      expect(notOnReplica.body.data.plan).toBeNull();

      const coverage = await request(app.getHttpServer())
        .post('/graphql')
        .send({
          query: `{ networkCoverage(npis: ["${onReplicaOnly.npis[0]}"], planIds: ["${onReplicaOnly.planIds[0]}"]) { status } drugCoverage(rxnormIds: ["${onReplicaOnly.rxcuis[0]}"], planIds: ["${onReplicaOnly.planIds[0]}"]) { status } }`,
        });
      expect(coverage.body.data).toEqual({ networkCoverage: [{ status: 'IN_NETWORK' }], drugCoverage: [{ status: 'COVERED' }] });
    });

    it('keeps plain DataSource.query (writes, imports) on the primary', async () => {
      const db = app.get(DataSource);
      const [primaryRow] = await db.query('SELECT current_database() AS name');
      expect(primaryRow.name).toBe(new URL(primaryUrl).pathname.slice(1));
      const [replicaRow] = await app.get(Database).read('SELECT current_database() AS name');
      expect(replicaRow.name).toBe('hardening_replica');
    });

    it('reports the replicas in /ready', async () => {
      const res = await request(app.getHttpServer()).get('/ready');
      expect(res.status).toBe(200);
      expect(res.body.info.replicas).toEqual({ status: 'up', replicas: 1, up: 1 });
    });
  });

  it('falls back to the primary when the replica becomes unreachable', async () => {
    // The replica is reached through a TCP proxy we can cut, as a network partition or a replica crash would.
    const target = new URL(replicaUrl);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const proxiedReplica = withDatabase(`postgres://postgres@127.0.0.1:${(proxy.address() as AddressInfo).port}/x`, 'hardening_replica');

    const app = await createApp({ dbPoolSize: 2, databaseReplicaUrls: [proxiedReplica] }, primaryUrl, { logger: false });
    await app.init();
    try {
      const planQuery = (planId: string) =>
        request(app.getHttpServer())
          .post('/graphql')
          .send({ query: `{ plan(planId: "${planId}") { planId issuer { name } } }` });
      expect((await planQuery(onReplicaOnly.planIds[0])).body.data.plan.planId).toBe(onReplicaOnly.planIds[0]);

      // Cut the replica off: open connections die, new ones are refused.
      await new Promise<void>((r) => proxy.close(() => r()));
      for (const socket of sockets) socket.destroy();

      const res = await planQuery(onPrimary.planIds[0]);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.plan).toEqual({ planId: onPrimary.planIds[0], issuer: { name: onPrimary.issuerName } });
      const again = await planQuery(onPrimary.planIds[0]);
      expect(again.body.data.plan.planId).toBe(onPrimary.planIds[0]);

      const ready = await request(app.getHttpServer()).get('/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.info.replicas).toMatchObject({ status: 'up', replicas: 1, up: 0 });
    } finally {
      await app.close();
    }
  });
});
