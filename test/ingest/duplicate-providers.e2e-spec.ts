import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { ImportResult } from '../../src/ingest/import-contract';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { startTestApp, TestApp } from '../helpers/test-app';
import { networkCoverage, removeIssuers, request } from './ingest-helpers';

/**
 * A provider record repeated exactly (same NPI, same bytes) is loaded once, with a warning: before, its
 * addresses showed twice in every answer. The same NPI listed with different data is kept, with a warning
 * naming the first listing. Worker threads and this thread keep and report the same records.
 */
const ISSUERS = ['55575', '55576'];
const npi = (n: number) => withNpiCheckDigit(155_575_000 + n);
const plansOf = (issuer: string) => [
  { plan_id: `${issuer}OH0010001`, plan_id_type: 'HIOS-PLAN-ID', marketing_name: 'Dup Gold', years: [2025], network: [{ network_tier: 'PREFERRED' }] },
];
const person = (issuer: string, n: number, zip: string, first = `First${n}`) => ({
  npi: npi(n),
  type: 'INDIVIDUAL',
  name: { first, last: `Last${n}` },
  addresses: [{ address: `${zip} Main St`, city: 'Columbus', state: 'OH', zip }],
  plans: [{ plan_id: `${issuer}OH0010001`, network_tier: 'PREFERRED', years: [2025] }],
});

describe('duplicate provider records', () => {
  let app: TestApp;
  let dir: string;
  const results: Record<string, ImportResult> = {};

  beforeAll(async () => {
    app = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'duplicate-providers-'));
    for (const [issuer, parseWorkers] of [
      [ISSUERS[0], 0],
      [ISSUERS[1], 2],
    ] as const) {
      const files = join(dir, issuer);
      mkdirSync(files);
      const first = person(issuer, 1, '43215');
      const moved = person(issuer, 1, '43004');
      const accented = person(issuer, 3, '43215', 'Zoë');
      writeFileSync(join(files, 'plans.json'), JSON.stringify(plansOf(issuer)));
      writeFileSync(
        join(files, 'providers.json'),
        `[\n${[first, person(issuer, 2, '43215'), first, moved, moved, accented, accented].map((r) => JSON.stringify(r)).join(',\n')}\n]`,
      );
      writeFileSync(join(files, 'providers-2.json'), JSON.stringify([first]));
      results[issuer] = await new QhpImporter(app.db).import(
        request({
          issuerId: issuer,
          issuerName: 'Dup Health',
          parseWorkers,
          paths: ['plans.json', 'providers.json', 'providers-2.json'].map((f) => join(files, f)),
        }),
      );
    }
  });

  afterAll(async () => {
    await removeIssuers(app.db, ISSUERS);
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads an exact repeat once, with a DUPLICATE_PROVIDER warning naming the first', () => {
    const result = results[ISSUERS[0]];
    expect(result.counts).toMatchObject({ providers: 4, addresses: 4, networkMemberships: 4 });
    expect(result.report.warningsByReason).toEqual({ DUPLICATE_PROVIDER: 4, DUPLICATE_NPI: 1 });
    const repeats = result.report.warnings.filter((w) => w.reason === 'DUPLICATE_PROVIDER');
    expect(repeats.map((w) => [w.file, w.path, w.message.replace(/ exactly.*/, '')])).toEqual([
      ['providers.json', '$[2].npi', `NPI ${npi(1)} repeats providers.json record 0`],
      ['providers.json', '$[4].npi', `NPI ${npi(1)} repeats providers.json record 3`],
      ['providers.json', '$[6].npi', `NPI ${npi(3)} repeats providers.json record 5`],
      ['providers-2.json', '$[0].npi', `NPI ${npi(1)} repeats providers.json record 0`],
    ]);
  });

  it('keeps the same NPI listed with different data, with a DUPLICATE_NPI warning', () => {
    expect(results[ISSUERS[0]].report.warnings.filter((w) => w.reason === 'DUPLICATE_NPI')).toEqual([
      {
        file: 'providers.json',
        recordIndex: 3,
        path: '$[3].npi',
        reason: 'DUPLICATE_NPI',
        message: `NPI ${npi(1)} is also listed in providers.json record 0 with different data: both listings are kept`,
      },
    ]);
  });

  it('answers with each address once', async () => {
    const [answer] = await networkCoverage(app, [npi(1)], [`${ISSUERS[0]}OH0010001`]);
    expect(answer.status).toBe('IN_NETWORK');
    expect(answer.addresses.map((a) => a.zip).sort()).toEqual(['43004', '43215']);
    const res = await app.gql(`query($npi: String!) { provider(npi: $npi) { listings { issuerId addresses { zip } } } }`, { npi: npi(3) });
    expect(res.data.provider.listings.filter((l: any) => l.issuerId === ISSUERS[0])).toEqual([{ issuerId: ISSUERS[0], addresses: [{ zip: '43215' }] }]);
  });

  it('keeps and reports the same records when worker threads render the file', () => {
    const [inThread, workers] = ISSUERS.map((issuer) => results[issuer]);
    expect(workers.counts).toEqual(inThread.counts);
    const strip = (r: ImportResult) => JSON.parse(JSON.stringify(r.report).replaceAll(ISSUERS[1], ISSUERS[0]));
    expect(strip(workers)).toEqual(strip(inThread));
  });
});
