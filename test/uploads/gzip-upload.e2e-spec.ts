import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { startTestApp, TestApp } from '../helpers/test-app';
import { removeIssuers } from '../ingest/ingest-helpers';
import { postUpload, waitForJob } from './upload-helpers';

/** Carriers publish `.json.gz` and `.csv.gz`: an upload of them loads as the plain files would. */
const ISSUER = '55574';
const GOLD = `${ISSUER}OH0010001`;
const npi = (n: number) => withNpiCheckDigit(155_574_000 + n);

describe('gzip uploads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gzip-upload-'));
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await startTestApp();
    key = (await t.app.get(ApiKeysService).create({ label: 'gzip uploads', issuerIds: [ISSUER] })).plainKey;
    const plans = [{ plan_id: GOLD, plan_id_type: 'HIOS-PLAN-ID', marketing_name: 'Gzip Gold', years: [2025], network: [{ network_tier: 'PREFERRED' }] }];
    writeFileSync(join(dir, 'plans.json.gz'), gzipSync(JSON.stringify(plans)));
    const csv =
      'npi,type,first_name,last_name,facility_name,address,city,state,zip,plan_id,network_tier,years\n' +
      `${npi(1)},INDIVIDUAL,Gail,Zipper,,1 Main St,Columbus,OH,43215,${GOLD},PREFERRED,2025\n`;
    writeFileSync(join(dir, 'providers.csv.gz'), gzipSync(csv));
  });

  afterAll(async () => {
    await removeIssuers(t.db, [ISSUER]);
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts plans.json.gz and providers.csv.gz, and answers from them', async () => {
    const res = await postUpload(t.app.getHttpServer(), ISSUER, [{ path: join(dir, 'plans.json.gz') }, { path: join(dir, 'providers.csv.gz') }], {
      Authorization: `Bearer ${key}`,
    });
    expect(res.status).toBe(202);
    const job = await waitForJob(t, res.body.jobId, key);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.files.map((f: any) => [f.name, f.kind])).toEqual([
      ['plans.json.gz', 'plans'],
      ['providers.csv.gz', 'providers-csv'],
    ]);
    const answer = await t.gql(`query($npis: [String!]!, $plans: [String!]!) { networkCoverage(npis: $npis, planIds: $plans) { status } }`, {
      npis: [npi(1)],
      plans: [GOLD],
    });
    expect(answer.data.networkCoverage).toEqual([{ status: 'IN_NETWORK' }]);
  });
});
