/**
 * Migration 1700000003000 converts the versions already loaded: run on a copy of the former layout (a
 * partitioned network_membership table, in a schema of its own first on the search path), it leaves the
 * same memberships readable through the view, one listing row per listing and each distinct plan list
 * once, with the set ids the importer computes.
 */
import { DataSource } from 'typeorm';
import { NetworkSets1700000003000 } from '../../migrations/1700000003000-NetworkSets';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { networkSetId, networkSetText } from '../../src/ingest/render/network-sets';
import { testDatabaseUrl } from '../helpers/test-app';

const SCHEMA = 'legacy_memberships';
const [A, B] = ['71818OH0000001', '71818OH0000002'];
/** version, record_no, plan, tier, npi, years */
const ROWS: Array<[number, number, string, string, string, number[]]> = [
  [1, 0, A, 'PREFERRED', '1000000004', [2025]],
  [1, 0, B, 'PREFERRED', '1000000004', []],
  [1, 1, A, 'PREFERRED', '1000000012', [2025]],
  [1, 1, B, 'PREFERRED', '1000000012', []],
  [1, 2, A, 'NON-PREFERRED', '1000000020', [2025, 2026]],
  [2, 0, B, 'PREFERRED', '1000000004', []],
  [2, 0, A, 'PREFERRED', '1000000004', [2025]],
];

describe('migration 1700000003000 (network sets) on loaded versions', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource(buildDataSourceOptions({ url: testDatabaseUrl(), poolSize: 1 }));
    await db.initialize();
  });
  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await db.destroy();
  });

  it('converts every version: same memberships through the view, each plan list once, the importer’s set ids', async () => {
    const runner = db.createQueryRunner();
    try {
      await runner.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
      await runner.query(`CREATE SCHEMA ${SCHEMA}`);
      await runner.query(`SET search_path = ${SCHEMA}, public`);
      await runner.query(`
        CREATE TABLE network_membership (
          version_id bigint NOT NULL, record_no int NOT NULL, plan_id char(14) NOT NULL, network_tier text NOT NULL,
          npi char(10), years int[] NOT NULL DEFAULT '{}', PRIMARY KEY (version_id, record_no, plan_id, network_tier)
        ) PARTITION BY LIST (version_id)`);
      for (const version of [1, 2]) {
        await runner.query(`CREATE TABLE network_membership_v${version} PARTITION OF network_membership FOR VALUES IN (${version})`);
      }
      for (const row of ROWS) await runner.query(`INSERT INTO network_membership VALUES ($1, $2, $3, $4, $5, $6)`, row);
      const before = await runner.query(`SELECT * FROM network_membership ORDER BY version_id, record_no, plan_id, network_tier`);

      await runner.startTransaction();
      await new NetworkSets1700000003000().up(runner);
      await runner.commitTransaction();

      const [{ kind }] = await runner.query(`SELECT relkind AS kind FROM pg_class WHERE oid = 'network_membership'::regclass`);
      expect(kind).toBe('v');
      expect(await runner.query(`SELECT * FROM network_membership ORDER BY version_id, record_no, plan_id, network_tier`)).toEqual(before);
      const listings = await runner.query(`SELECT version_id::int AS v, record_no, npi, set_id::text AS set_id FROM listing_network_set ORDER BY 1, 2`);
      expect(listings).toHaveLength(4);
      const entries = await runner.query(
        `SELECT version_id::int AS v, set_id::text AS set_id, count(*)::int AS n FROM network_set GROUP BY 1, 2 ORDER BY 1, 3`,
      );
      // Version 1: the list (A, B) shared by two listings, and (A NON-PREFERRED); version 2: (A, B) again.
      expect(entries.map((e: { v: number; n: number }) => [e.v, e.n])).toEqual([
        [1, 1],
        [1, 2],
        [2, 2],
      ]);
      const ab = networkSetId(
        networkSetText([
          { planId: A, networkTier: 'PREFERRED', years: [2025] },
          { planId: B, networkTier: 'PREFERRED', years: [] },
        ]),
      );
      const nonPreferred = networkSetId(networkSetText([{ planId: A, networkTier: 'NON-PREFERRED', years: [2025, 2026] }]));
      expect(listings.map((l: { v: number; record_no: number; set_id: string }) => [l.v, l.record_no, l.set_id])).toEqual([
        [1, 0, ab],
        [1, 1, ab],
        [1, 2, nonPreferred],
        [2, 0, ab],
      ]);
    } finally {
      await runner.query(`SET search_path = public`).catch(() => undefined);
      await runner.release();
    }
  });
});
