/**
 * The two questions read only the partitions of the published versions they answer from: not the
 * kept older versions of an issuer, not other issuers' versions for a plan lookup. The statements are
 * captured as the API sends them (DataSource.logger) and explained as it runs them: prepared, generic plan.
 */
import { DataSource } from 'typeorm';
import { explainPreparedLookup } from '../../src/database/explain-lookup';
import { loadFixture } from './fixtures/qhp-fixture';
import { captureStatements, SentStatement as Sent } from '../helpers/sql-statements';
import { startTestApp, TestApp } from '../helpers/test-app';

/** The version-partitions the statement's generic plan scans (after PostgreSQL's pruning at executor start). */
async function partitionsScanned(db: DataSource, { sql, parameters }: Sent): Promise<string[]> {
  const runner = db.createQueryRunner();
  try {
    const plan = await explainPreparedLookup(runner, sql, parameters, 'ANALYZE, COSTS OFF');
    return [...new Set([...plan.matchAll(/ on (\w+_v\d+)\b/g)].map((m) => m[1]))].sort();
  } finally {
    await runner.release();
  }
}

/** The network check's statement for memberships: listings by NPI joined to their plan entries. */
const MEMBERSHIPS_BY_NPI = /JOIN network_membership m ON/;

describe('lookups read only the published versions they answer from (partition pruning)', () => {
  let t: TestApp;
  const sent: Sent[] = [];
  let planId: string;
  let kept: string;
  let dropped: string;
  let rxcui: string;
  let oldVersion: number;
  let currentVersion: number;
  let otherVersion: number;

  beforeAll(async () => {
    t = await startTestApp();
    const versionOf = async (issuerId: string) =>
      Number((await t.db.query(`SELECT current_version_id AS v FROM issuer WHERE issuer_id = $1`, [issuerId]))[0].v);
    // Issuer 97101 loads twice (the first version is kept, not published); the second drops a provider.
    const first = await loadFixture(t.db, { issuerId: '97101', plans: 2, providers: 3, drugs: 3, npiBase: 197_101_000 });
    oldVersion = await versionOf('97101');
    await loadFixture(t.db, { issuerId: '97101', plans: 2, providers: 2, drugs: 3, npiBase: 197_101_000 });
    currentVersion = await versionOf('97101');
    await loadFixture(t.db, { issuerId: '97102', plans: 2, providers: 2, drugs: 3, npiBase: 197_102_000 });
    otherVersion = await versionOf('97102');
    [planId] = first.planIds;
    [kept, , dropped] = first.npis;
    [rxcui] = first.rxcuis;
    captureStatements(t.db, sent);
  });
  afterAll(() => t?.close());

  it('answers from the published version, reading only its partitions', async () => {
    expect(currentVersion).toBeGreaterThan(oldVersion);
    sent.length = 0;
    const res = await t.gql(
      `query($npis: [String!]!, $rxcuis: [String!]!, $planIds: [String!]!) {
        networkCoverage(npis: $npis, planIds: $planIds) { npi status reason }
        drugCoverage(rxnormIds: $rxcuis, planIds: $planIds) { rxnormId status drugTier }
      }`,
      { npis: [kept, dropped], rxcuis: [rxcui], planIds: [planId] },
    );
    expect(res.errors).toBeUndefined();
    // The dropped provider is listed in the kept old version only: no published directory has it.
    expect(res.data.networkCoverage).toEqual([
      { npi: kept, status: 'IN_NETWORK', reason: null },
      { npi: dropped, status: 'UNKNOWN', reason: 'PROVIDER_NOT_FOUND' },
    ]);
    expect(res.data.drugCoverage).toEqual([{ rxnormId: rxcui, status: 'COVERED', drugTier: 'GENERIC' }]);

    const lookups = sent.filter(({ sql }) => /\b(network_membership|formulary_entry|provider|drug)\s+[a-z]\b/.test(sql));
    expect(lookups.length).toBeGreaterThanOrEqual(4); // memberships, listings, entries, drug names
    const scanned = new Set<string>();
    for (const statement of lookups) for (const partition of await partitionsScanned(t.db, statement)) scanned.add(partition);
    const versions = [...scanned].map((name) => Number(/_v(\d+)$/.exec(name)![1]));
    expect(versions).toContain(currentVersion);
    expect(versions).not.toContain(oldVersion); // the kept, superseded version is never opened
    // Plan-bound lookups read the plan's version only; lookups across issuers (listings, drug names) read
    // every published version, and nothing else.
    const published: number[] = (await t.db.query(`SELECT current_version_id::int AS v FROM issuer WHERE current_version_id IS NOT NULL`)).map(
      (r: { v: number }) => r.v,
    );
    for (const version of versions) expect(published).toContain(version);
    // The memberships of the NPIs' listings: both sides in the plan's version only, not the other issuer's.
    const membershipPartitions = await partitionsScanned(
      t.db,
      lookups.find(({ sql }) => MEMBERSHIPS_BY_NPI.test(sql))!,
    );
    // network_membership reads the version's listings and its network sets (migration 1700000003000).
    const membershipsOf = (version: number) => [`listing_network_set_v${version}`, `network_set_v${version}`, `provider_v${version}`];
    expect(membershipPartitions).toEqual(membershipsOf(currentVersion));
    expect(membershipPartitions).not.toContain(`listing_network_set_v${otherVersion}`);
    expect(membershipPartitions).not.toContain(`network_set_v${otherVersion}`);
  });
  it('a version published after the API read the published versions is answered from at once', async () => {
    // The API keeps the versions it read in the first test; this load publishes a newer one behind its back.
    await loadFixture(t.db, { issuerId: '97101', plans: 2, providers: 3, drugs: 3, npiBase: 197_101_000 });
    const newest = Number((await t.db.query(`SELECT current_version_id AS v FROM issuer WHERE issuer_id = '97101'`))[0].v);
    expect(newest).toBeGreaterThan(currentVersion);
    sent.length = 0;
    const res = await t.gql(`query($npis: [String!]!, $planIds: [String!]!) { networkCoverage(npis: $npis, planIds: $planIds) { npi status } }`, {
      npis: [dropped],
      planIds: [planId],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.networkCoverage).toEqual([{ npi: dropped, status: 'IN_NETWORK' }]);
    // The lookups ran again with the versions read afresh: the last memberships statement reads the newest partition.
    const memberships = sent.filter(({ sql }) => MEMBERSHIPS_BY_NPI.test(sql));
    expect(memberships.length).toBeGreaterThanOrEqual(2);
    expect(await partitionsScanned(t.db, memberships[memberships.length - 1])).toEqual([
      `listing_network_set_v${newest}`,
      `network_set_v${newest}`,
      `provider_v${newest}`,
    ]);
  });
});
