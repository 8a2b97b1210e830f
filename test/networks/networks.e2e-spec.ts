import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { ImportResult } from '../../src/ingest/import-contract';
import { removeIssuers } from '../ingest/ingest-helpers';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * A carrier with two networks: plans A1 and A2 sold on network A, B1, B2 and B3 on network B, and C
 * with no providers. Each provider lists every plan of each network it joins (as carriers publish).
 */
const ISSUER = '71717';
const plan = (n: string) => `${ISSUER}OH00000${n}`;
const [A1, A2, B1, B2, B3, C] = ['01', '02', '11', '12', '13', '21'].map(plan);
const NETWORK_A = [A1, A2];
const NETWORK_B = [B1, B2, B3];

const plansFile = () =>
  JSON.stringify(
    [A1, A2, B1, B2, B3, C].map((planId) => ({
      plan_id_type: 'HIOS-PLAN-ID',
      plan_id: planId,
      marketing_name: `Plan ${planId}`,
      years: [2026],
      network: [{ network_tier: 'PREFERRED' }],
      formulary: [],
      last_updated_on: '2026-01-01',
    })),
  );

interface Doctor {
  n: number;
  specialty: string;
  zip: string;
  networks: string[][];
}
const DOCTORS: Doctor[] = [
  { n: 1, specialty: 'Cardiology', zip: '43215', networks: [NETWORK_A] },
  { n: 2, specialty: 'Cardiology', zip: '43215', networks: [NETWORK_A] },
  { n: 3, specialty: 'Psychiatry', zip: '44308', networks: [NETWORK_A] },
  { n: 4, specialty: 'Psychiatry', zip: '44308', networks: [NETWORK_A, NETWORK_B] },
  { n: 5, specialty: 'Cardiology', zip: '43215', networks: [NETWORK_A, NETWORK_B] },
  { n: 6, specialty: 'Pediatrics', zip: '45202', networks: [NETWORK_B] },
];
const npiOf = (n: number) => withNpiCheckDigit(171_700_000 + n);

const providersFile = () =>
  JSON.stringify(
    DOCTORS.map((d) => ({
      npi: npiOf(d.n),
      type: 'INDIVIDUAL',
      name: { first: `Doc${d.n}`, last: `Network${d.n}` },
      speciality: [d.specialty],
      addresses: [{ address: `${d.n} Main St`, city: 'Columbus', state: 'OH', zip: d.zip }],
      plans: d.networks.flat().map((planId) => ({ plan_id: planId, network_tier: 'PREFERRED', years: [2026] })),
    })),
  );

describe('provider networks (GraphQL over HTTP)', () => {
  let t: TestApp;
  let dir: string;
  let load: ImportResult;

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'networks-'));
    writeFileSync(join(dir, 'plans.json'), plansFile());
    writeFileSync(join(dir, 'providers.json'), providersFile());
    load = await new QhpImporter(t.db).import({
      issuerId: ISSUER,
      source: 'test',
      loadedBy: 'jest',
      paths: [join(dir, 'plans.json'), join(dir, 'providers.json')],
    });
    expect(load.status).toBe('published');
  }, 60_000);

  afterAll(async () => {
    await removeIssuers(t.db, [ISSUER]);
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('stores each distinct plan list once: one row per listing, the lists beside them', async () => {
    const version = Number(load.versionId);
    const [{ listings }] = await t.db.query(`SELECT count(*)::int AS listings FROM listing_network_set WHERE version_id = $1`, [version]);
    const [{ sets, entries }] = await t.db.query(
      `SELECT count(DISTINCT set_id)::int AS sets, count(*)::int AS entries FROM network_set WHERE version_id = $1`,
      [version],
    );
    // Three lists (A; A and B; B): 2 + 5 + 3 entries, instead of 3×2 + 2×5 + 3 = 19 membership rows.
    expect({ listings, sets, entries }).toEqual({ listings: 6, sets: 3, entries: 10 });
    // The memberships read as before.
    const [{ memberships }] = await t.db.query(`SELECT count(*)::int AS memberships FROM network_membership WHERE version_id = $1`, [version]);
    expect(memberships).toBe(19);
    expect(load.counts.networkMemberships).toBe(19);
  });

  it("lists an issuer's networks: which of its plans share one", async () => {
    const res = await t.gql(`query($issuerId: String!) { networks(issuerId: $issuerId) { id issuerId planIds tiers providerCount plans { planId } } }`, {
      issuerId: ISSUER,
    });
    expect(res.errors).toBeUndefined();
    const networks = res.data.networks.map(({ id, ...rest }: { id: string }) => ({ ...rest, hasId: typeof id === 'string' && id.length > 0 }));
    expect(networks).toEqual([
      { issuerId: ISSUER, planIds: NETWORK_A, tiers: ['PREFERRED'], providerCount: 5, plans: NETWORK_A.map((planId) => ({ planId })), hasId: true },
      { issuerId: ISSUER, planIds: NETWORK_B, tiers: ['PREFERRED'], providerCount: 3, plans: NETWORK_B.map((planId) => ({ planId })), hasId: true },
    ]);
  });

  it('answers plan { networks } and plansSharingNetwork; a plan with no providers references none', async () => {
    const res = await t.gql(
      `query($a: String!, $b: String!, $c: String!) {
        a: plan(planId: $a) { networks { tiers providerCount planIds } }
        c: plan(planId: $c) { networks { id } }
        sharingA: plansSharingNetwork(planId: $a) { planId }
        sharingB: plansSharingNetwork(planId: $b) { planId }
        sharingC: plansSharingNetwork(planId: $c) { planId }
      }`,
      { a: A1, b: B2, c: C },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.a.networks).toEqual([{ tiers: ['PREFERRED'], providerCount: 5, planIds: NETWORK_A }]);
    expect(res.data.c.networks).toEqual([]);
    expect(res.data.sharingA).toEqual([{ planId: A2 }]);
    expect(res.data.sharingB).toEqual([{ planId: B1 }, { planId: B3 }]);
    expect(res.data.sharingC).toEqual([]);
  });

  it('answers network(id) { plans providers(first, after, filter) size }', async () => {
    const ids = await t.gql(`query($a: String!) { plan(planId: $a) { networks { id } } }`, { a: A2 });
    const id: string = ids.data.plan.networks[0].id;
    const query = `query($id: String!, $after: String, $filter: NetworkProviderFilter) {
      network(id: $id) {
        id plans { planId }
        providers(first: 2, after: $after, filter: $filter) { edges { node { listing { npi } } } pageInfo { hasNextPage endCursor } }
        bySpecialty: size(groupBy: SPECIALTY) { key providers hospitals }
        byZip3: size(groupBy: ZIP3) { key providers }
        byCounty: size(groupBy: COUNTY) { key name providers }
      }
    }`;
    const first = await t.gql(query, { id });
    expect(first.errors).toBeUndefined();
    const network = first.data.network;
    expect(network.id).toBe(id);
    expect(network.plans).toEqual(NETWORK_A.map((planId) => ({ planId })));
    expect(network.bySpecialty).toEqual([
      { key: 'cardiology', providers: 3, hospitals: 0 },
      { key: 'psychiatry', providers: 2, hospitals: 0 },
    ]);
    expect(network.byZip3).toEqual([
      { key: '432', providers: 3 },
      { key: '443', providers: 2 },
    ]);
    // 43215 is in Franklin County, 44308 in Summit County.
    expect(network.byCounty).toEqual([
      { key: '39049', name: 'Franklin, OH', providers: 3 },
      { key: '39153', name: 'Summit, OH', providers: 2 },
    ]);
    // Every listing of the network, two at a time, by name.
    const npis: string[] = [];
    let page = network.providers;
    for (;;) {
      npis.push(...page.edges.map((e: { node: { listing: { npi: string } } }) => e.node.listing.npi));
      if (!page.pageInfo.hasNextPage) break;
      const next = await t.gql(query, { id, after: page.pageInfo.endCursor });
      expect(next.errors).toBeUndefined();
      page = next.data.network.providers;
    }
    expect(npis).toEqual([1, 2, 3, 4, 5].map(npiOf));
    const psychiatry = await t.gql(query, { id, filter: { specialty: 'psychiatry' } });
    expect(psychiatry.data.network.providers.edges.map((e: { node: { listing: { npi: string } } }) => e.node.listing.npi)).toEqual([3, 4].map(npiOf));
  });

  it('answers null for an unknown network id', async () => {
    const res = await t.gql(`query($id: String!) { network(id: $id) { id } }`, { id: 'bm90IGEgbmV0d29yaw' });
    expect(res.errors).toBeUndefined();
    expect(res.data.network).toBeNull();
  });

  it("reports each version's rows and bytes on disk, and the database size", async () => {
    const res = await t.gql(
      `query($issuerId: String!) {
        datasetVersions(issuerId: $issuerId, first: 1) { edges { node { id storageUsed { rows bytes tables { table rows bytes } } } } }
        databaseStorage { bytes versionBytes }
      }`,
      { issuerId: ISSUER },
    );
    expect(res.errors).toBeUndefined();
    const storage = res.data.datasetVersions.edges[0].node.storageUsed;
    const table = (name: string) => storage.tables.find((t: { table: string }) => t.table === name);
    expect(table('plan')).toEqual({ table: 'plan', rows: 6, bytes: 0 });
    expect(table('provider')).toMatchObject({ rows: 6 });
    expect(table('listing_network_set')).toMatchObject({ rows: 6 });
    expect(table('network_set')).toMatchObject({ rows: 10 });
    expect(table('provider').bytes).toBeGreaterThan(0);
    expect(storage.bytes).toBe(storage.tables.reduce((sum: number, t: { bytes: number }) => sum + t.bytes, 0));
    expect(res.data.databaseStorage.bytes).toBeGreaterThan(res.data.databaseStorage.versionBytes);
    expect(res.data.databaseStorage.versionBytes).toBeGreaterThanOrEqual(storage.bytes);
  });

  it('describes every type, field and argument it adds to the schema', async () => {
    const res = await t.gql(`{
      __schema { types { name description fields { name description args { name description } } inputFields { name description } } }
    }`);
    expect(res.errors).toBeUndefined();
    type Type = {
      name: string;
      description: string | null;
      fields: Array<{ name: string; description: string | null; args: Array<{ name: string; description: string | null }> }> | null;
      inputFields: Array<{ name: string; description: string | null }> | null;
    };
    const types: Type[] = res.data.__schema.types;
    const undescribed: string[] = [];
    const check = (type: Type, fieldNames?: string[]) => {
      if (!fieldNames && !type.description) undescribed.push(type.name);
      for (const field of [...(type.fields ?? []), ...(type.inputFields ?? [])]) {
        if (fieldNames && !fieldNames.includes(field.name)) continue;
        if (!field.description) undescribed.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? (field.args as Array<{ name: string; description: string | null }>) : []) {
          if (!arg.description) undescribed.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    };
    const byName = (name: string) => types.find((type) => type.name === name)!;
    for (const name of ['Network', 'NetworkSizeGroup', 'NetworkProviderFilter', 'TableStorage', 'VersionStorage', 'DatabaseStorage']) check(byName(name));
    check(byName('Query'), ['network', 'networks', 'plansSharingNetwork', 'databaseStorage']);
    check(byName('Plan'), ['networks']);
    check(byName('DatasetVersion'), ['storageUsed']);
    expect(undescribed).toEqual([]);
  });
});
