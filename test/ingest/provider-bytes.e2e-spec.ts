import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { JsonArraySplitter } from '../../src/ingest/read/json-array-reader';
import { ProviderBatchRenderer, ProviderBatchSetup, RenderedProviderBatch } from '../../src/ingest/render/provider-batches';
import { sharedZipCentroids } from '../../src/ingest/validate/zip-geocoder';
import { fixture } from './ingest-helpers';

/**
 * Provider records rendered straight from their bytes (provider-bytes.ts) must give exactly the rows and
 * report of the general path (JSON.parse + validateProvider + RowRenderer), and records the byte renderer
 * does not take must still be loaded (or rejected, or fail the load) exactly as before. Every case is
 * rendered both ways and compared; the canonical ones must also really be taken from bytes.
 */
const ISSUER = '70001';
const GOLD = `${ISSUER}OH0000001`;
const SILVER = `${ISSUER}OH0000002`;
const BRONZE = `${ISSUER}OH0000010`;

const setup = (): ProviderBatchSetup => ({
  issuerId: ISSUER,
  versionId: 42,
  plans: [
    { planId: GOLD, networkTiers: ['PREFERRED', 'NON-PREFERRED'], drugTiers: [] },
    { planId: SILVER, networkTiers: ['PREFERRED'], drugTiers: [] },
    { planId: BRONZE, networkTiers: ['TIER ONE', 'TIER-TWO'], drugTiers: [] },
  ],
  zipCentroids: sharedZipCentroids(),
});

type Json = Record<string, unknown>;

const individual = (n: number, extra: Json = {}): Json => ({
  npi: withNpiCheckDigit(100_000_000 + n),
  type: 'INDIVIDUAL',
  name: { first: `First${n}`, last: `Last${n}` },
  addresses: [{ address: `${n} Main St`, city: 'Columbus', state: 'OH', zip: '43215', phone: '6145550000' }],
  plans: [{ plan_id_type: 'HIOS-PLAN-ID', plan_id: GOLD, network_tier: 'PREFERRED', years: [2025, 2026] }],
  specialty: ['Cardiology'],
  accepting: 'accepting',
  gender: 'Female',
  languages: ['English', 'Spanish'],
  last_updated_on: '2025-01-01',
  ...extra,
});

const facility = (n: number, extra: Json = {}): Json => ({
  npi: withNpiCheckDigit(200_000_000 + n),
  type: 'FACILITY',
  facility_name: `General Hospital ${n}`,
  facility_type: ['Hospital', 'Urgent Care'],
  addresses: [{ address: `${n} Hospital Way`, city: 'New York', state: 'NY', zip: '10003' }],
  plans: [
    { plan_id: SILVER, network_tier: 'PREFERRED', years: [2025] },
    { plan_id: GOLD, network_tier: 'NON-PREFERRED', years: [2026] },
  ],
  ...extra,
});

const withName = (n: number, name: Json) => individual(n, { name });
const withAddress = (n: number, address: Json) =>
  individual(n, { addresses: [{ address: '1 Main St', city: 'Columbus', state: 'OH', zip: '43215', ...address }] });
const withEntry = (n: number, entry: Json) => individual(n, { plans: [{ plan_id: GOLD, network_tier: 'PREFERRED', years: [2025], ...entry }] });

/** Records in the shape the byte renderer takes: each must be taken from bytes. */
const CANONICAL: string[] = [
  individual(1),
  facility(2),
  facility(3, { type: 'GROUP', facility_type: 'Clinic' }),
  withName(4, { prefix: 'Dr', first: 'Martin', middle: 'Van', last: 'Nostrand', suffix: 'Jr.' }),
  withName(5, { first: 'Ann', middle: '', last: 'Lee', suffix: null, prefix: '' }),
  individual(6, { speciality: ['Family Medicine', 'Pediatrics', 'Family Medicine', ''], specialty: undefined }),
  individual(7, { specialty: 'Dermatology', languages: 'French', gender: null, accepting: '' }),
  individual(8, { specialty: ['CARDIOLOGY', 'cardiology'], languages: [], facility_type: ['ignored for people'] }),
  individual(9, { accepting: 'accepting in some locations', gender: 'Other', last_updated_on: '2024-02-29' }),
  individual(10, { accepting: 'not accepting', gender: 'Male', last_updated_on: null, languages: null }),
  individual(11, { last_updated_on: '' }),
  individual(12, { unknown: { nested: [1, -2.5e3, true, false, null, 'a\\"b\\u00e9'] }, 'x-extension': [] }),
  individual(13, { facility_name: 'ignored for people' }),
  facility(14, { name: { first: 'ignored', last: 'for facilities' } }),
  withAddress(15, { address_2: 'Suite 120', phone: null }),
  withAddress(16, { latitude: 40.7128, longitude: -74.006 }),
  withAddress(17, { latitude: 95, longitude: -74.006 }), // out of range: the ZIP centroid
  withAddress(18, { latitude: null, longitude: 10 }),
  withAddress(19, { zip: '00000' }), // no centroid
  withAddress(20, { state: 'oh', address_2: '' }),
  withAddress(21, { latitude: 1e1, longitude: -0 }),
  individual(22, {
    addresses: Array.from({ length: 12 }, (_, i) => ({ address: `${i} Elm St`, city: 'Akron', state: 'OH', zip: String(44300 + i) })),
  }),
  individual(23, {
    plans: [
      { plan_id: BRONZE, network_tier: 'TIER-TWO', years: [2025] },
      { plan_id: SILVER, network_tier: 'PREFERRED' },
      { plan_id: GOLD, network_tier: 'NON-PREFERRED', years: null },
      { plan_id: BRONZE, network_tier: 'TIER ONE', years: [] },
      { plan_id: GOLD, network_tier: 'PREFERRED', years: [2014, 2020, 2100] },
    ],
  }),
  withEntry(24, { plan_id_type: 'HIOS-PLAN-ID', extra: { a: 1 } }),
  individual(25, { unknown: 'long text in a key no one reads '.repeat(100), specialty: ['S'.repeat(100)] }),
  // A GROUP named the format's way, and the way some files did.
  facility(26, { type: 'GROUP', facility_name: undefined, group_name: 'North Main Physicians Group', facility_type: undefined }),
  facility(27, { type: 'GROUP', facility_name: undefined, group_name: 'Group 27', specialty: ['Family Medicine'] }),
  individual(28, { group_name: 'ignored for people' }),
].map((r) => JSON.stringify(r));

/** The same canonical records laid out differently (white space between every token). */
const PRETTY: string[] = [individual(30), facility(31)].map((r) => JSON.stringify(r, null, 3).replace(/:/g, ' :\t').replace(/,/g, '\r\n,'));

/** Valid JSON the byte renderer leaves to the general path: loaded, normalized, warned or rejected there. */
const NOT_TAKEN: string[] = [
  ...[
    withName(40, { first: 'Zoë', last: 'Ångström' }),
    withName(41, { first: 'Rosa\\nMaria', last: 'Tab\tbed' }),
    withName(42, { first: ' Padded', last: 'Name ' }),
    withName(43, { first: 'Quoted "Q"', last: 'Back\\slash' }),
    withName(44, { first: 42, last: 'Number' }),
    withName(45, { last: 'NoFirst' }),
    individual(46, { name: 'not an object' }),
    individual(47, { name: null }),
    individual(48, { type: 'individual' }),
    individual(49, { type: 'DOCTOR' }),
    individual(50, { npi: Number(withNpiCheckDigit(100_000_050)) }),
    individual(51, { npi: '1234567890' }),
    individual(52, { npi: '' }),
    individual(53, { npi: undefined }),
    individual(54, { accepting: 'Accepting' }),
    individual(55, { accepting: 'maybe' }),
    individual(56, { gender: 'F' }),
    individual(57, { last_updated_on: '2025-02-30' }),
    individual(58, { last_updated_on: '2025-03-01T08:00:00Z' }),
    individual(59, { last_updated_on: 20250101 }),
    individual(60, { speciality: ['A'], specialty: ['B'] }),
    individual(61, { speciality: null, specialty: ['Used'] }),
    individual(62, { specialty: ['Cardiology', 7] }),
    individual(63, { languages: [' English'] }),
    individual(64, { addresses: [] }),
    individual(65, { plans: [] }),
    facility(119, { plans: [] }),
    facility(120, { type: 'GROUP', plans: [], facility_name: undefined, group_name: 'Listed Only Group' }),
    individual(66, { addresses: undefined }),
    individual(67, { plans: 'nope' }),
    withAddress(68, { zip: '43215-1234' }),
    withAddress(69, { zip: 43215 }),
    withAddress(70, { state: 'Ohio' }),
    withAddress(71, { city: '' }),
    withAddress(72, { latitude: '40.1', longitude: '-80.2' }),
    withAddress(73, { phone: 6145550000 }),
    individual(74, { addresses: ['1 Main St'] }),
    withEntry(75, { plan_id: `${ISSUER}OH0009999` }),
    withEntry(76, { plan_id: '99999OH0000001' }),
    withEntry(77, { plan_id: 'short' }),
    withEntry(78, { network_tier: 'GOLD-TIER' }),
    withEntry(79, { network_tier: 'preferred' }),
    withEntry(80, { years: [2026, 2025] }),
    withEntry(81, { years: ['2025'] }),
    withEntry(82, { years: [2013] }),
    withEntry(83, { years: [2025.0, 2026.5] }),
    withEntry(84, { years: 2025 }),
    individual(85, {
      plans: [
        { plan_id: GOLD, network_tier: 'PREFERRED', years: [2025] },
        { plan_id: GOLD, network_tier: 'PREFERRED', years: [2026] },
      ],
    }),
    individual(86, { plans: [{ plan_id: GOLD, network_tier: 'PREFERRED' }, 'not an entry'] }),
    facility(87, { facility_name: '' }),
    facility(88, { facility_name: 12 }),
    facility(89, { type: 'FACILITY ' }),
    // group_name and facility_name together, or group_name on a facility, or not a string.
    facility(112, { type: 'GROUP', group_name: 'Both Named Group' }),
    facility(113, { type: 'GROUP', group_name: null }),
    facility(114, { group_name: 'Facility Named As Group', facility_name: undefined }),
    facility(115, { type: 'GROUP', facility_name: undefined, group_name: '' }),
    facility(116, { type: 'GROUP', facility_name: undefined, group_name: 7 }),
    facility(117, { type: 'GROUP', facility_name: undefined }),
    facility(118, { type: 'GROUP', facility_name: undefined, group_name: 'Grupo Médico' }),
    // Text over its bound (qhp/vocabulary TEXT_LIMITS): rejected, or dropped with a warning.
    withName(100, { first: 'Long', last: 'L'.repeat(201) }),
    withName(101, { first: 'F'.repeat(200), middle: 'M'.repeat(200), last: 'L'.repeat(200), suffix: 'S'.repeat(5) }),
    withName(102, { first: 'Ann', last: 'Lee', prefix: 'P'.repeat(201) }),
    facility(103, { facility_name: 'H'.repeat(201) }),
    withAddress(104, { phone: '6'.repeat(101) }),
    withAddress(105, { address: 'A'.repeat(201) }),
    withAddress(106, { address_2: 'B'.repeat(150) }),
    individual(107, { languages: ['English', 'X'.repeat(201)], specialty: ['S'.repeat(120)] }),
    // Nesting: shallow enough for the general path, but more than the byte renderer skips.
    individual(109, { unknown: [[[[[[[[[[[['deep']]]]]]]]]]]] }),
  ].map((r) => JSON.stringify(r)),
  // Nested past MAX_NESTING_DEPTH, in a key no one reads and in a read one: rejected whole, no stack overflow.
  JSON.stringify(individual(110)).replace(/^\{/, `{"unknown": ${'['.repeat(100_000)}${']'.repeat(100_000)}, `),
  JSON.stringify(individual(111)).replace('"languages":["English","Spanish"]', `"languages": ${'{"a":'.repeat(40)}1${'}'.repeat(40)}`),
  '"a string"',
  '42',
  '[1, 2]',
  '{}',
  'null',
  // A key written twice (JSON.parse keeps the last), and a key written with an escape.
  JSON.stringify(individual(90)).replace('"type":"INDIVIDUAL"', '"type":"FACILITY","type":"INDIVIDUAL"'),
  JSON.stringify(individual(91)).replace('"npi":', '"n\\u0070i":'),
  JSON.stringify(individual(92)).replace('"Columbus"', '"Col\\u0075mbus"'),
];

/** Not JSON: the load fails, with the same message whichever path meets the record. */
const MALFORMED: string[] = [
  '{"npi": tru}',
  `{"npi": "${withNpiCheckDigit(100_000_001)}",}`,
  '{"npi" "1"}',
  "{'npi': '1'}",
  '{"npi": "1\u0001"}',
  '{"npi": "\\x41"}',
  '{"a": 01}',
  '{"a": 1.}',
  '{"a": -}',
  '{"a": .5}',
  '{"a": [1 2]}',
  '{"a": nul}',
  JSON.stringify(individual(93)).replace('"Columbus"', '"Col\\u00Gmbus"'),
  // The same mistakes inside records the byte renderer would otherwise take.
  JSON.stringify(individual(94)).replace('First94', 'First\u000194'),
  JSON.stringify(individual(95)).replace('Main St', 'Main\tSt'),
  ...['01', '1.', '-', '.5', '1e', '[1 2]', '[1,]', '{"a":1,}', '{"a" 1}', 'nul', 'tru', '"\\x41"', '"\\u00G1"', "'x'", '+1'].map((bad) =>
    JSON.stringify(individual(96)).replace('"type":', `"note": ${bad}, "type":`),
  ),
  JSON.stringify(individual(97)).replace('"type":"INDIVIDUAL"', '"type":"INDIVIDUAL",'),
  JSON.stringify(individual(98)).replace('"Cardiology"', '"Cardiology",'),
  JSON.stringify(individual(99)).replace('"years":[2025,2026]', '"years":[2025,,2026]'),
];

const render = (renderer: ProviderBatchRenderer, records: string[], recordNoBase = 1000): RenderedProviderBatch => {
  const batch = new JsonArraySplitter('providers.json').split(Buffer.from(`[\n${records.join(',\n')}\n]`), true)!;
  return renderer.render({ fileName: 'providers.json', batch, recordNoBase });
};
const rowsOf = (batch: RenderedProviderBatch) => ({
  providers: Buffer.from(batch.providers.bytes).toString('utf8'),
  addresses: Buffer.from(batch.addresses.bytes).toString('utf8'),
  networks: Buffer.from(batch.networks.bytes).toString('utf8'),
  networkSets: Buffer.from(batch.networkSets.bytes).toString('utf8'),
  rows: [batch.providers.rows, batch.addresses.rows, batch.networks.rows, batch.networkSets.rows],
  // What duplicate detection reads: NPI, record index, row counts and fingerprint of each loaded provider.
  listings: Array.from(batch.listings),
});

/** Renders `records` both ways: same rows, same report; returns how many were taken from bytes. */
function compareBothWays(records: string[]): number {
  const fromBytes = new ProviderBatchRenderer(setup());
  const parsed = new ProviderBatchRenderer(setup(), { fromBytes: false });
  const viaBytes = render(fromBytes, records);
  const viaParse = render(parsed, records);
  expect(rowsOf(viaBytes)).toEqual(rowsOf(viaParse));
  expect(viaBytes.report).toEqual(viaParse.report);
  expect(viaBytes.records).toBe(records.length);
  expect(parsed.recordsFromBytes).toBe(0);
  return fromBytes.recordsFromBytes;
}

describe('provider records rendered from bytes', () => {
  it('writes the rows and report of the general path for canonical records, and takes them all from bytes', () => {
    const records = [...CANONICAL, ...PRETTY];
    expect(compareBothWays(records)).toBe(records.length);
    const rows = rowsOf(render(new ProviderBatchRenderer(setup()), records));
    // Spot checks of what the comparison covers, so that a shared mistake shows too.
    expect(rows.providers.split('\n')[3]).toBe(
      `42\t1003\t${withNpiCheckDigit(100_000_004)}\tINDIVIDUAL\tDr\tMartin\tVan\tNostrand\tJr.\t\\N\tMartin Van Nostrand Jr.\t{"Cardiology"}\t{}\taccepting\tFemale\t{"English","Spanish"}\t2025-01-01\tproviders.json\t{"cardiology"}`,
    );
    // Record 1022's plan list: the listing points to its network set, whose entries are stored once.
    const setId = new RegExp(`^42\t1022\t${withNpiCheckDigit(100_000_023)}\t(\\d+)$`, 'm').exec(rows.networks)![1];
    expect(rows.networkSets).toContain(`42\t${setId}\t${BRONZE}\tTIER ONE\t{}\n42\t${setId}\t${BRONZE}\tTIER-TWO\t`);
    expect(rows.addresses).toContain('42\t1015\t0\t1 Main St\t\\N\tColumbus\tOH\t43215\t\\N\t40.7128\t-74.006\n');
  });

  it('leaves every other valid record to the general path, with the same rows and report', () => {
    expect(compareBothWays(NOT_TAKEN)).toBe(0);
    // Mixed with canonical ones, in one batch: rows stay in record order whichever path renders each.
    const mixed = NOT_TAKEN.flatMap((record, i) => [record, CANONICAL[i % CANONICAL.length]]);
    expect(compareBothWays(mixed)).toBe(NOT_TAKEN.length);
  });

  it('fails a batch with a malformed record exactly as the general path does', () => {
    for (const bad of MALFORMED) {
      const records = [CANONICAL[0], CANONICAL[1], bad, CANONICAL[2]];
      const failure = (renderer: ProviderBatchRenderer) => {
        try {
          render(renderer, records);
        } catch (error) {
          return (error as Error).message;
        }
        return 'no error';
      };
      const message = failure(new ProviderBatchRenderer(setup()));
      expect([bad, message]).toEqual([bad, expect.stringMatching(/is not valid JSON: record 2 /)]);
      expect(message).toBe(failure(new ProviderBatchRenderer(setup(), { fromBytes: false })));
    }
  });

  it('renders the official QHP example providers as the general path does', () => {
    const dir = fixture('official'); // the CMS example files, as published
    const plans = JSON.parse(readFileSync(join(dir, 'plans.json'), 'utf8')) as Array<{ plan_id: string; network: Array<{ network_tier: string }> }>;
    const official: ProviderBatchSetup = {
      issuerId: '12345',
      versionId: 3,
      plans: plans.map((p) => ({ planId: p.plan_id, networkTiers: p.network.map((n) => n.network_tier), drugTiers: [] })),
      zipCentroids: sharedZipCentroids(),
    };
    const text = readFileSync(join(dir, 'providers.json'));
    const batch = () => new JsonArraySplitter('providers.json').split(text, true)!;
    const fromBytes = new ProviderBatchRenderer(official);
    const viaBytes = fromBytes.render({ fileName: 'providers.json', batch: batch(), recordNoBase: 0 });
    const viaParse = new ProviderBatchRenderer(official, { fromBytes: false }).render({ fileName: 'providers.json', batch: batch(), recordNoBase: 0 });
    expect(rowsOf(viaBytes)).toEqual(rowsOf(viaParse));
    expect(viaBytes.report).toEqual(viaParse.report);
    expect(viaBytes.providers.rows).toBe(1);
    expect(fromBytes.recordsFromBytes).toBe(1); // the other two fail the NPI check digit: rejected by the general path
  });

  it('matches the general path on randomly varied records', () => {
    let state = 12345;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
      return state % n;
    };
    const variants: Array<(n: number) => Json> = [
      (n) => individual(n),
      (n) => facility(n),
      (n) => withName(n, { first: ['Al', 'Bé', ' C', 'D\\E'][next(4)], last: 'X' }),
      (n) => withEntry(n, { network_tier: ['PREFERRED', 'NON-PREFERRED', 'BAD'][next(3)], years: [[2025], [2026, 2025], [], null][next(4)] }),
      (n) => withAddress(n, { zip: ['43215', '10003', '99999', '4321'][next(4)], state: ['OH', 'ny', 'N1'][next(3)] }),
      (n) => individual(n, { accepting: ['accepting', 'Accepting', null, 'x'][next(4)], gender: ['Male', 'male', ''][next(3)] }),
    ];
    const records = Array.from({ length: 3000 }, (_, n) => JSON.stringify(variants[next(variants.length)](n)));
    const taken = compareBothWays(records);
    expect(taken).toBeGreaterThan(records.length / 3);
    expect(taken).toBeLessThan(records.length);
  });
});
