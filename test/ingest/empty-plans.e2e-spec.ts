import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { ImportResult } from '../../src/ingest/import-contract';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { startTestApp, TestApp } from '../helpers/test-app';
import { removeIssuers, request } from './ingest-helpers';

/**
 * A provider whose `plans` array is empty is valid under the public QHP JSON schema: listed in the
 * issuer's directory, in none of its plans. It loads as a listing in no plan, counted as a warning (not
 * against the carrier's rejected share), and the issuer's plans answer that it is out of network.
 */
const ISSUER = '55573';
const GOLD = `${ISSUER}OH0010001`;
const SILVER = `${ISSUER}OH0010002`;
const npi = (n: number) => withNpiCheckDigit(155_573_000 + n);
const addresses = [{ address: '1 Elm St', city: 'Columbus', state: 'OH', zip: '43215' }];

describe('providers listed in none of the issuer plans', () => {
  let app: TestApp;
  let dir: string;
  let result: ImportResult;

  beforeAll(async () => {
    app = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'empty-plans-'));
    const plan = (planId: string) => ({
      plan_id: planId,
      plan_id_type: 'HIOS-PLAN-ID',
      marketing_name: `Plan ${planId}`,
      years: [2025],
      network: [{ network_tier: 'PREFERRED' }],
    });
    writeFileSync(join(dir, 'plans.json'), JSON.stringify([plan(GOLD), plan(SILVER)]));
    writeFileSync(
      join(dir, 'providers.json'),
      JSON.stringify([
        {
          npi: npi(1),
          type: 'INDIVIDUAL',
          name: { first: 'Ina', last: 'Network' },
          addresses,
          plans: [{ plan_id: GOLD, network_tier: 'PREFERRED', years: [2025] }],
        },
        { npi: npi(2), type: 'INDIVIDUAL', name: { first: 'Noah', last: 'Plans' }, addresses, plans: [] },
        { npi: npi(3), type: 'FACILITY', facility_name: 'Listed Only Clinic', addresses, plans: [] },
        { npi: npi(4), type: 'INDIVIDUAL', name: { first: 'Mia', last: 'Missing' }, addresses },
      ]),
    );
    result = await new QhpImporter(app.db).import(
      request({ issuerId: ISSUER, issuerName: 'Listing Health', paths: [join(dir, 'plans.json'), join(dir, 'providers.json')] }),
    );
  });

  afterAll(async () => {
    await removeIssuers(app.db, [ISSUER]);
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads them as listings in no plan, with a warning each, not a rejection', () => {
    expect(result.counts).toMatchObject({ providers: 3, networkMemberships: 1 });
    expect(result.report.rejected.providers).toBe(1); // the record without a plans array at all
    expect(result.report.rejectedByReason).toEqual({ MISSING_FIELD: 1 });
    expect(result.report.warningsByReason).toEqual({ NO_PLANS: 2 });
    expect(result.report.warnings).toEqual([
      expect.objectContaining({ file: 'providers.json', recordIndex: 1, path: '$[1].plans', reason: 'NO_PLANS' }),
      expect.objectContaining({ file: 'providers.json', recordIndex: 2, path: '$[2].plans', reason: 'NO_PLANS' }),
    ]);
  });

  it('finds them by NPI, in no plan', async () => {
    const res = await app.gql(`query($npi: String!) { provider(npi: $npi) { displayName listings { issuerId } plans { planId } } }`, { npi: npi(2) });
    expect(res.errors).toBeUndefined();
    expect(res.data.provider).toEqual({ displayName: 'Noah Plans', listings: [{ issuerId: ISSUER }], plans: [] });
  });

  it("answers OUT_OF_NETWORK / NOT_COVERED for the issuer's plans, since its directory is reported", async () => {
    const res = await app.gql(
      `query($npis: [String!]!, $plans: [String!]!) { networkCoverage(npis: $npis, planIds: $plans, year: 2025) { npi planId status outcome reason } }`,
      { npis: [npi(1), npi(2), npi(3)], plans: [GOLD, SILVER] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.networkCoverage.map((a: any) => [a.npi, a.planId, a.status, a.outcome])).toEqual([
      [npi(1), GOLD, 'IN_NETWORK', 'COVERED'],
      [npi(1), SILVER, 'OUT_OF_NETWORK', 'NOT_COVERED'],
      [npi(2), GOLD, 'OUT_OF_NETWORK', 'NOT_COVERED'],
      [npi(2), SILVER, 'OUT_OF_NETWORK', 'NOT_COVERED'],
      [npi(3), GOLD, 'OUT_OF_NETWORK', 'NOT_COVERED'],
      [npi(3), SILVER, 'OUT_OF_NETWORK', 'NOT_COVERED'],
    ]);
  });
});
