import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { ImportResult, RejectionSample } from '../../src/ingest/import-contract';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { startTestApp, TestApp } from '../helpers/test-app';
import { drugCoverage, networkCoverage, removeIssuers, request } from './ingest-helpers';

/**
 * One oversized or absurdly nested record is rejected on its own, with its file, record and path; the
 * rest of the file loads. Before, a 3,000-character name failed the whole load at index build time
 * (a btree row over 2,704 bytes) and a 100,000-deep value overflowed the stack.
 */
const ISSUER = '55571';
const GOLD = `${ISSUER}OH0010001`;
const SILVER = `${ISSUER}OH0010002`;
const LONG = 'x'.repeat(3000);
/** `[[[…]]]` nested 100,000 deep, as raw JSON text. */
const DEEP = '['.repeat(100_000) + ']'.repeat(100_000);
const npi = (n: number) => withNpiCheckDigit(155_571_000 + n);

const plan = (planId: string, extra: Record<string, unknown> = {}) => ({
  plan_id_type: 'HIOS-PLAN-ID',
  plan_id: planId,
  marketing_name: `Bounds ${planId}`,
  summary_url: 'https://bounds.example.com/plan',
  years: [2025],
  network: [{ network_tier: 'PREFERRED' }],
  formulary: [
    { drug_tier: 'GENERIC', mail_order: false, cost_sharing: [{ pharmacy_type: '1-MONTH-IN-RETAIL', copay_amount: 10, copay_opt: 'AFTER-DEDUCTIBLE' }] },
  ],
  ...extra,
});
const person = (n: number, extra: Record<string, unknown> = {}) => ({
  npi: npi(n),
  type: 'INDIVIDUAL',
  name: { first: `First${n}`, last: `Last${n}` },
  addresses: [{ address: `${n} Main St`, city: 'Columbus', state: 'OH', zip: '43215', phone: '6145550000' }],
  plans: [{ plan_id: GOLD, network_tier: 'PREFERRED', years: [2025] }],
  ...extra,
});
const drug = (rxcui: string, extra: Record<string, unknown> = {}) => ({
  rxnorm_id: rxcui,
  drug_name: `Drug ${rxcui}`,
  plans: [{ plan_id: GOLD, drug_tier: 'GENERIC' }],
  ...extra,
});
/** A JSON array file whose record `deepAt` gets `"deep": DEEP` spliced in (JSON.stringify cannot write it). */
const arrayText = (records: object[], deepAt: number): string =>
  `[\n${records.map((r, i) => (i === deepAt ? JSON.stringify(r).replace(/^\{/, `{"deep": ${DEEP}, `) : JSON.stringify(r))).join(',\n')}\n]`;

describe('record bounds: text lengths and nesting depth', () => {
  let app: TestApp;
  let dir: string;
  let result: ImportResult;
  const samplesOf = (reason: string): RejectionSample[] => result.report.samples[reason] ?? [];

  beforeAll(async () => {
    app = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'record-bounds-'));
    writeFileSync(
      join(dir, 'plans.json'),
      arrayText(
        [
          plan(GOLD),
          plan(`${ISSUER}OH0010003`, { marketing_name: LONG }),
          plan(SILVER, { summary_url: `https://x.example.com/${LONG}` }),
          plan(`${ISSUER}OH0010004`),
        ],
        3,
      ),
    );
    writeFileSync(
      join(dir, 'providers.json'),
      arrayText(
        [
          person(1),
          person(2, { name: { first: 'Long', last: LONG } }),
          person(3),
          person(4, { addresses: [{ address: '4 Main St', city: 'Columbus', state: 'OH', zip: '43215', phone: LONG }] }),
          person(5, { type: 'FACILITY', facility_name: LONG }),
          person(6, { languages: ['English', LONG] }),
        ],
        2,
      ),
    );
    writeFileSync(join(dir, 'drugs.json'), arrayText([drug('197361'), drug('617314', { drug_name: LONG }), drug('617310'), drug('1049221')], 2));
    result = await new QhpImporter(app.db).import(
      request({ issuerId: ISSUER, issuerName: 'Bounds Health', paths: ['plans.json', 'providers.json', 'drugs.json'].map((f) => join(dir, f)) }),
    );
  });

  afterAll(async () => {
    await removeIssuers(app.db, [ISSUER]);
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the rest of each file and publishes', () => {
    expect(result.status).toBe('published');
    expect(result.counts).toMatchObject({ plans: 2, providers: 3, drugs: 2 });
  });

  it('rejects a record with a required text over its bound, naming file, record and path', () => {
    expect(samplesOf('TEXT_TOO_LONG')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'plans.json', recordIndex: 1, path: '$[1].marketing_name', message: expect.stringMatching(/3000 characters.*200/) }),
        expect.objectContaining({ file: 'providers.json', recordIndex: 1, path: '$[1].name.last' }),
        expect.objectContaining({ file: 'providers.json', recordIndex: 4, path: '$[4].facility_name' }),
        expect.objectContaining({ file: 'drugs.json', recordIndex: 1, path: '$[1].drug_name' }),
      ]),
    );
  });

  it('rejects a record nested deeper than the bound, without overflowing the stack', () => {
    expect(samplesOf('TOO_DEEPLY_NESTED')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'plans.json', recordIndex: 3, path: expect.stringMatching(/^\$\[3\]\.deep\[0\]/) }),
        expect.objectContaining({ file: 'providers.json', recordIndex: 2, path: expect.stringMatching(/^\$\[2\]\.deep\[0\]/) }),
        expect.objectContaining({ file: 'drugs.json', recordIndex: 2, path: expect.stringMatching(/^\$\[2\]\.deep\[0\]/) }),
      ]),
    );
  });

  it('drops a descriptive text over its bound with a warning, and keeps the record', () => {
    const warnings = result.report.warnings.filter((w) => w.reason === 'TEXT_TOO_LONG');
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'plans.json', path: '$[2].summary_url' }),
        expect.objectContaining({ file: 'providers.json', path: '$[3].addresses[0].phone' }),
        expect.objectContaining({ file: 'providers.json', path: '$[5].languages[1]' }),
      ]),
    );
  });

  it('answers for the records that loaded, over GraphQL', async () => {
    const network = await networkCoverage(app, [npi(1), npi(2), npi(3), npi(4), npi(6)], [GOLD]);
    expect(Object.fromEntries(network.map((a) => [a.npi, a.status]))).toEqual({
      [npi(1)]: 'IN_NETWORK',
      [npi(2)]: 'UNKNOWN',
      [npi(3)]: 'UNKNOWN',
      [npi(4)]: 'IN_NETWORK',
      [npi(6)]: 'IN_NETWORK',
    });
    const drugs = await drugCoverage(app, ['197361', '617314', '617310', '1049221'], [GOLD, SILVER]);
    expect(drugs.filter((d) => d.planId === GOLD).map((d) => [d.rxnormId, d.status])).toEqual([
      ['197361', 'COVERED'],
      ['617314', 'NOT_COVERED'],
      ['617310', 'NOT_COVERED'],
      ['1049221', 'COVERED'],
    ]);
    const res = await app.gql(`query($npi: String!) { provider(npi: $npi) { listings { languages addresses { phone } } } }`, { npi: npi(4) });
    expect(res.errors).toBeUndefined();
    expect(res.data.provider.listings).toEqual([{ languages: [], addresses: [{ phone: null }] }]);
    const six = await app.gql(`query($npi: String!) { provider(npi: $npi) { listings { languages } } }`, { npi: npi(6) });
    expect(six.data.provider.listings).toEqual([{ languages: ['English'] }]);
  });
});
