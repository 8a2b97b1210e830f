import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { ImportResult } from '../../src/ingest/import-contract';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { startTestApp, TestApp } from '../helpers/test-app';
import { networkCoverage, removeIssuers, request } from './ingest-helpers';

/**
 * A GROUP provider is named by `group_name` in the QHP format ({"type": "GROUP", "group_name": "North Main
 * Physicians Group", ...}); files that used `facility_name` for groups still load. The group is answered,
 * found by name and exported under `group_name`.
 */
const ISSUER = '55572';
const GOLD = `${ISSUER}OH0010001`;
const npi = (n: number) => withNpiCheckDigit(155_572_000 + n);
const addresses = [{ address: '1 N Main St', city: 'Columbus', state: 'OH', zip: '43215' }];
const plans = [{ plan_id: GOLD, network_tier: 'PREFERRED', years: [2025] }];

describe('GROUP providers named by group_name', () => {
  let app: TestApp;
  let dir: string;
  let result: ImportResult;

  beforeAll(async () => {
    app = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'group-name-'));
    writeFileSync(
      join(dir, 'plans.json'),
      JSON.stringify([{ plan_id: GOLD, plan_id_type: 'HIOS-PLAN-ID', marketing_name: 'Group Gold', years: [2025], network: [{ network_tier: 'PREFERRED' }] }]),
    );
    writeFileSync(
      join(dir, 'providers.json'),
      JSON.stringify([
        { npi: npi(1), type: 'GROUP', group_name: 'North Main Physicians Group', addresses, plans, last_updated_on: '2025-01-01' },
        { npi: npi(2), type: 'GROUP', facility_name: 'Old Style Medical Group', addresses, plans },
        { npi: npi(3), type: 'FACILITY', facility_name: 'Main Street Hospital', facility_type: ['Hospital'], addresses, plans },
        { npi: npi(4), type: 'GROUP', addresses, plans },
        // A group practice in the format's own spelling, with non-ASCII text (the general path).
        { npi: npi(5), type: 'GROUP', group_name: 'Clínica Norte Group', addresses, plans },
      ]),
    );
    result = await new QhpImporter(app.db).import(
      request({ issuerId: ISSUER, issuerName: 'Group Health', paths: [join(dir, 'plans.json'), join(dir, 'providers.json')] }),
    );
  });

  afterAll(async () => {
    await removeIssuers(app.db, [ISSUER]);
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads groups named by group_name or facility_name; a group with neither is rejected at group_name', () => {
    expect(result.counts.providers).toBe(4);
    expect(result.report.rejectedByReason).toEqual({ MISSING_FIELD: 1 });
    expect(result.report.samples.MISSING_FIELD).toEqual([
      expect.objectContaining({ file: 'providers.json', recordIndex: 3, path: '$[3].group_name', message: 'group_name is required' }),
    ]);
  });

  it('answers with the group name', async () => {
    const res = await app.gql(`query($npi: String!) { provider(npi: $npi) { displayName listings { type displayName groupName facilityName } } }`, {
      npi: npi(1),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.provider).toEqual({
      displayName: 'North Main Physicians Group',
      listings: [{ type: 'GROUP', displayName: 'North Main Physicians Group', groupName: 'North Main Physicians Group', facilityName: null }],
    });
    const old = await app.gql(`query($npi: String!) { provider(npi: $npi) { listings { groupName facilityName } } }`, { npi: npi(2) });
    expect(old.data.provider.listings).toEqual([{ groupName: 'Old Style Medical Group', facilityName: null }]);
    const hospital = await app.gql(`query($npi: String!) { provider(npi: $npi) { listings { groupName facilityName } } }`, { npi: npi(3) });
    expect(hospital.data.provider.listings).toEqual([{ groupName: null, facilityName: 'Main Street Hospital' }]);
    expect((await networkCoverage(app, [npi(1), npi(5)], [GOLD])).map((a) => a.status)).toEqual(['IN_NETWORK', 'IN_NETWORK']);
  });

  it('finds the group by name in searchProviders', async () => {
    const res = await app.gql(`query($filter: ProviderSearchFilter!) { searchProviders(filter: $filter) { edges { node { listing { npi displayName } } } } }`, {
      filter: { name: 'North Main Physicians', planId: GOLD },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.searchProviders.edges.map((e: any) => e.node.listing)).toContainEqual({ npi: npi(1), displayName: 'North Main Physicians Group' });
  });

  it('exports groups with group_name, facilities with facility_name', async () => {
    const res = await app.http().get(`/export/plans/${GOLD}/network.json`);
    expect(res.status).toBe(200);
    const byNpi = Object.fromEntries((res.body as any[]).map((p) => [p.npi, p]));
    expect(byNpi[npi(1)]).toMatchObject({ type: 'GROUP', group_name: 'North Main Physicians Group' });
    expect(byNpi[npi(1)]).not.toHaveProperty('facility_name');
    expect(byNpi[npi(2)]).toMatchObject({ type: 'GROUP', group_name: 'Old Style Medical Group' });
    expect(byNpi[npi(3)]).toMatchObject({ type: 'FACILITY', facility_name: 'Main Street Hospital' });
    expect(byNpi[npi(3)]).not.toHaveProperty('group_name');
  });
});
