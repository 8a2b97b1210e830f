import { withNpiCheckDigit } from '../../common/identifiers';
import { LISTING_NETWORK_SET_TABLE, NETWORK_SET_TABLE, PROVIDER_ADDRESS_TABLE, PROVIDER_TABLE } from '../../qhp/version-tables';
import { JsonArraySplitter } from '../read/json-array-reader';
import { sharedZipCentroids } from '../validate/zip-geocoder';
import { ProviderBatchRenderer, ProviderBatchSetup, RenderedProviderBatch } from './provider-batches';

/**
 * The byte renderer (provider-bytes.ts) against the general path (JSON.parse + validateProvider +
 * RowRenderer) on a few records: the same rows and report, byte for byte. The full differential, with
 * the records it declines and the load failures, is test/ingest/provider-bytes.e2e-spec.ts.
 */
const ISSUER = '70001';
const GOLD = `${ISSUER}OH0000001`;
const SILVER = `${ISSUER}OH0000002`;

const setup = (): ProviderBatchSetup => ({
  issuerId: ISSUER,
  versionId: 7,
  plans: [
    { planId: GOLD, networkTiers: ['PREFERRED', 'NON-PREFERRED'], drugTiers: [] },
    { planId: SILVER, networkTiers: ['PREFERRED'], drugTiers: [] },
  ],
  zipCentroids: sharedZipCentroids(),
});

const person = {
  npi: withNpiCheckDigit(100_000_001),
  type: 'INDIVIDUAL',
  name: { prefix: 'Dr', first: 'Ann', middle: 'B', last: 'Lee', suffix: 'Jr.' },
  addresses: [
    { address: '1 Main St', address_2: 'Suite 2', city: 'Columbus', state: 'OH', zip: '43215', phone: '6145550000' },
    { address: '9 Elm St', city: 'Akron', state: 'OH', zip: '44308', latitude: 41.08, longitude: -81.52 },
  ],
  plans: [
    { plan_id_type: 'HIOS-PLAN-ID', plan_id: GOLD, network_tier: 'PREFERRED', years: [2025, 2026] },
    { plan_id: SILVER, network_tier: 'PREFERRED' },
  ],
  specialty: ['Cardiology', 'cardiology'],
  accepting: 'accepting in some locations',
  gender: 'Female',
  languages: ['English', 'Spanish'],
  last_updated_on: '2025-01-01',
};
const facility = {
  npi: withNpiCheckDigit(200_000_002),
  type: 'FACILITY',
  facility_name: 'General Hospital',
  facility_type: ['Hospital'],
  addresses: [{ address: '5 Hospital Way', city: 'New York', state: 'NY', zip: '10003' }],
  plans: [{ plan_id: GOLD, network_tier: 'NON-PREFERRED', years: [2026] }],
};
/** A group practice named by group_name, as the format names it. */
const group = { ...facility, npi: withNpiCheckDigit(200_000_009), type: 'GROUP', facility_name: undefined, group_name: 'North Main Physicians Group' };
/** Valid, but not in the byte renderer's shape (a non-ASCII name): declined, so the general path writes it. */
const declined = { ...person, npi: withNpiCheckDigit(100_000_003), name: { first: 'Zoë', last: 'Ångström' } };
/** Rejected (unknown plan) and warned (unknown gender): the report must match too. */
const rejected = { ...person, npi: withNpiCheckDigit(100_000_004), plans: [{ plan_id: `${ISSUER}OH0000099`, network_tier: 'PREFERRED' }] };
const warned = { ...person, npi: withNpiCheckDigit(100_000_005), gender: 'Unknown' };
/** Over text bounds: a last name (rejected) and a phone (dropped with a warning). */
const longName = { ...person, npi: withNpiCheckDigit(100_000_006), name: { first: 'Ann', last: 'L'.repeat(3000) } };
const longPhone = { ...facility, npi: withNpiCheckDigit(200_000_007), addresses: [{ ...facility.addresses[0], phone: '6'.repeat(101) }] };
/** Nested 40 deep in a key nothing reads: rejected whole. */
const nested = { ...person, npi: withNpiCheckDigit(100_000_008), extra: JSON.parse('['.repeat(40) + ']'.repeat(40)) };

function render(renderer: ProviderBatchRenderer, records: object[]): RenderedProviderBatch {
  const batch = new JsonArraySplitter('providers.json').split(Buffer.from(JSON.stringify(records)), true)!;
  return renderer.render({ fileName: 'providers.json', batch, recordNoBase: 100 });
}

const text = (rows: { bytes: Uint8Array }): string => Buffer.from(rows.bytes).toString('utf8');

function bothWays(records: object[]): { viaBytes: RenderedProviderBatch; viaParse: RenderedProviderBatch; fromBytes: number } {
  const bytesRenderer = new ProviderBatchRenderer(setup());
  const viaBytes = render(bytesRenderer, records);
  const viaParse = render(new ProviderBatchRenderer(setup(), { fromBytes: false }), records);
  return { viaBytes, viaParse, fromBytes: bytesRenderer.recordsFromBytes };
}

describe('byte renderer vs general path', () => {
  it('renders canonical records from their bytes, as the general path does', () => {
    const { viaBytes, viaParse, fromBytes } = bothWays([person, facility]);
    expect(fromBytes).toBe(2);
    for (const table of ['providers', 'addresses', 'networks', 'networkSets'] as const) {
      expect(text(viaBytes[table])).toBe(text(viaParse[table]));
      expect(viaBytes[table].rows).toBe(viaParse[table].rows);
    }
    expect(viaBytes.report).toEqual(viaParse.report);
    // One listing row each, pointing to its plan list; each list's three entries stored once.
    expect([viaBytes.providers.rows, viaBytes.addresses.rows, viaBytes.networks.rows, viaBytes.networkSets.rows]).toEqual([2, 3, 2, 3]);
    // What duplicate detection reads of each loaded provider: NPI, record index, row counts, fingerprint.
    expect(Array.from(viaBytes.listings)).toEqual(Array.from(viaParse.listings));
    expect(Array.from(viaBytes.listings).filter((_, i) => i % 5 !== 4)).toEqual([Number(person.npi), 0, 2, 2, Number(facility.npi), 1, 1, 1]);
  });

  it('renders a GROUP named by group_name from its bytes, as the general path does', () => {
    const { viaBytes, viaParse, fromBytes } = bothWays([group, { ...group, npi: withNpiCheckDigit(200_000_010), facility_name: 'Also Named' }]);
    expect(fromBytes).toBe(1);
    expect(text(viaBytes.providers)).toBe(text(viaParse.providers));
    expect(viaBytes.report).toEqual(viaParse.report);
    expect(text(viaBytes.providers).split('\n')[0]).toContain('\tNorth Main Physicians Group\tNorth Main Physicians Group\t');
    expect(viaBytes.providers.rows).toBe(2);
  });

  it('leaves a provider listed in no plan to the general path, which loads it with a warning', () => {
    const listedOnly = { ...facility, npi: withNpiCheckDigit(200_000_011), plans: [] };
    const { viaBytes, viaParse, fromBytes } = bothWays([person, listedOnly]);
    expect(fromBytes).toBe(1);
    for (const table of ['providers', 'addresses', 'networks', 'networkSets'] as const) expect(text(viaBytes[table])).toBe(text(viaParse[table]));
    expect(viaBytes.report).toEqual(viaParse.report);
    expect([viaBytes.providers.rows, viaBytes.networks.rows]).toEqual([2, 2]);
    expect(viaBytes.report.warningsByReason).toEqual({ NO_PLANS: 1 });
  });

  it('writes every column of the tables described in qhp/version-tables.ts, in order', () => {
    const { viaBytes } = bothWays([person]);
    const fields = (rows: { bytes: Uint8Array }) => text(rows).split('\n')[0].split('\t');
    const provider = fields(viaBytes.providers);
    expect(provider).toHaveLength(PROVIDER_TABLE.columns.length);
    const column = (name: string) => provider[PROVIDER_TABLE.columns.indexOf(name)];
    expect([column('version_id'), column('record_no'), column('npi'), column('type')]).toEqual(['7', '100', person.npi, 'INDIVIDUAL']);
    expect([column('display_name'), column('accepting'), column('gender')]).toEqual(['Ann B Lee Jr.', 'accepting in some locations', 'Female']);
    expect(fields(viaBytes.addresses)).toHaveLength(PROVIDER_ADDRESS_TABLE.columns.length);
    expect(fields(viaBytes.networks)).toHaveLength(LISTING_NETWORK_SET_TABLE.columns.length);
    expect(fields(viaBytes.networkSets)).toHaveLength(NETWORK_SET_TABLE.columns.length);
  });

  it('leaves declined, rejected and warned records to the general path, with the same rows and report', () => {
    const records = [person, declined, rejected, warned, facility];
    const { viaBytes, viaParse, fromBytes } = bothWays(records);
    expect(fromBytes).toBe(2);
    for (const table of ['providers', 'addresses', 'networks', 'networkSets'] as const) expect(text(viaBytes[table])).toBe(text(viaParse[table]));
    expect(Array.from(viaBytes.listings)).toEqual(Array.from(viaParse.listings));
    expect(viaBytes.providers.rows).toBe(4);
    expect(viaBytes.report).toEqual(viaParse.report);
    expect(viaBytes.report.rejectedByReason).toEqual({ UNKNOWN_PLAN: 1, NO_VALID_PLAN_ENTRIES: 1 });
    expect(viaBytes.report.warningsByReason).toEqual({ INVALID_ENUM: 1 });
  });

  it('leaves text over its bound and deep nesting to the general path, which rejects or warns', () => {
    const { viaBytes, viaParse, fromBytes } = bothWays([person, longName, longPhone, nested, facility]);
    expect(fromBytes).toBe(2);
    for (const table of ['providers', 'addresses', 'networks', 'networkSets'] as const) expect(text(viaBytes[table])).toBe(text(viaParse[table]));
    expect(viaBytes.report).toEqual(viaParse.report);
    expect(viaBytes.providers.rows).toBe(3);
    expect(viaBytes.report.rejectedByReason).toEqual({ TEXT_TOO_LONG: 1, TOO_DEEPLY_NESTED: 1 });
    expect(viaBytes.report.warningsByReason).toEqual({ TEXT_TOO_LONG: 1 });
    expect(viaBytes.report.samples.TOO_DEEPLY_NESTED[0].path).toBe(`$[3].extra${'[0]'.repeat(31)}`);
  });

  it('stores a plan list met again once; the byte renderer recognises its bytes and does not read them again', () => {
    const again = (n: number, of: typeof person | typeof facility) => ({ ...of, npi: withNpiCheckDigit(300_000_000 + n) });
    /** The same plan twice (merged by the general path) and an unknown plan: reported as before, never remembered. */
    const twice = { ...person, npi: withNpiCheckDigit(100_000_006), plans: [person.plans[1], person.plans[1]] };
    const records = [person, again(1, person), facility, rejected, again(2, facility), twice, again(3, person), rejected, twice];
    const bytesRenderer = new ProviderBatchRenderer(setup());
    const viaBytes = render(bytesRenderer, records);
    const viaParse = render(new ProviderBatchRenderer(setup(), { fromBytes: false }), records);
    for (const table of ['providers', 'addresses', 'networks', 'networkSets'] as const) expect(text(viaBytes[table])).toBe(text(viaParse[table]));
    expect(viaBytes.report).toEqual(viaParse.report);
    expect(viaBytes.report.rejectedByReason).toEqual({ UNKNOWN_PLAN: 2, NO_VALID_PLAN_ENTRIES: 2 });
    expect(bytesRenderer.recordsFromBytes).toBe(5);
    expect(bytesRenderer.plansListsRecognised).toBe(3);
    // Seven listings; three distinct lists (person's 2 entries, the facility's 1, `twice` merged into 1).
    expect(viaBytes.networks.rows).toBe(7);
    expect(viaBytes.networkSets.rows).toBe(4);
    const setIds = text(viaBytes.networks)
      .trim()
      .split('\n')
      .map((row) => row.split('\t')[3]);
    expect(new Set(setIds).size).toBe(3);
    expect([setIds[1], setIds[5]]).toEqual([setIds[0], setIds[0]]);
  });
});

/**
 * Dense files: every plan of each network a provider joins is listed on each listing, so a few long
 * plans arrays repeat on every record. The byte renderer compares an array's bytes with the long ones
 * met last before reading them; what it writes and reports must not change.
 */
describe('long plans arrays met again (dense files)', () => {
  const PLANS = Array.from({ length: 20 }, (_, n) => `${ISSUER}OH00001${String(n).padStart(2, '0')}`);
  const denseSetup = (): ProviderBatchSetup => ({
    ...setup(),
    plans: PLANS.map((planId) => ({ planId, networkTiers: ['PREFERRED', 'NON-PREFERRED'], drugTiers: [] })),
  });
  const network = PLANS.map((plan_id) => ({ plan_id_type: 'HIOS-PLAN-ID', plan_id, network_tier: 'PREFERRED', years: [2025, 2026] }));
  const listing = (n: number, plans: object[]) => ({ ...person, npi: withNpiCheckDigit(400_000_000 + n), plans });

  /** The records of `json` (a file's text, not re-serialized) through both renderers. */
  function bothWaysText(json: string): { viaBytes: RenderedProviderBatch; viaParse: RenderedProviderBatch; bytesRenderer: ProviderBatchRenderer } {
    const bytesRenderer = new ProviderBatchRenderer(denseSetup());
    const run = (renderer: ProviderBatchRenderer) =>
      renderer.render({ fileName: 'providers.json', batch: new JsonArraySplitter('providers.json').split(Buffer.from(json), true)!, recordNoBase: 0 });
    return { viaBytes: run(bytesRenderer), viaParse: run(new ProviderBatchRenderer(denseSetup(), { fromBytes: false })), bytesRenderer };
  }
  const expectSameAsGeneralPath = ({ viaBytes, viaParse }: { viaBytes: RenderedProviderBatch; viaParse: RenderedProviderBatch }) => {
    for (const table of ['providers', 'addresses', 'networks', 'networkSets'] as const) expect(text(viaBytes[table])).toBe(text(viaParse[table]));
    expect(Array.from(viaBytes.listings)).toEqual(Array.from(viaParse.listings));
    expect(viaBytes.report).toEqual(viaParse.report);
  };
  const setIdsOf = (rows: { bytes: Uint8Array }) =>
    text(rows)
      .trim()
      .split('\n')
      .map((row) => row.split('\t')[3]);

  it('reuses the set of an array met before by its bytes, and writes what the general path writes', () => {
    expect(JSON.stringify(network).length).toBeGreaterThan(1024);
    const both = bothWaysText(JSON.stringify([0, 1, 2, 3].map((n) => listing(n, network))));
    expectSameAsGeneralPath(both);
    expect(both.bytesRenderer.recordsFromBytes).toBe(4);
    expect(both.bytesRenderer.plansListsRecognised).toBe(3);
    expect(new Set(setIdsOf(both.viaBytes.networks)).size).toBe(1);
    expect(both.viaBytes.networkSets.rows).toBe(PLANS.length);
    expect(both.viaBytes.report.loaded.networkMemberships).toBe(4 * PLANS.length);
  });

  it('reads an array whose bytes differ (white space, a last entry) as its own, into the right set', () => {
    const lastTierChanged = [...network.slice(0, -1), { ...network[network.length - 1], network_tier: 'NON-PREFERRED' }];
    const records = [listing(0, network), listing(1, lastTierChanged), listing(2, network), listing(3, lastTierChanged)].map((r) => JSON.stringify(r));
    // Record 4 lists the same entries as record 0, pretty-printed: other bytes, the same set.
    const pretty = JSON.stringify(listing(4, network), null, 2);
    const both = bothWaysText(`[${records.join(',')},\n${pretty}]`);
    expectSameAsGeneralPath(both);
    expect(both.bytesRenderer.recordsFromBytes).toBe(5);
    expect(both.bytesRenderer.plansListsRecognised).toBe(2);
    const setIds = setIdsOf(both.viaBytes.networks);
    expect(setIds[0]).not.toBe(setIds[1]);
    expect([setIds[2], setIds[3], setIds[4]]).toEqual([setIds[0], setIds[1], setIds[0]]);
    expect(both.viaBytes.networkSets.rows).toBe(2 * PLANS.length);
  });

  it('reports an invalid long array on every record that lists it, with its record and path', () => {
    const unknownPlan = [...network, { plan_id: `${ISSUER}OH0000999`, network_tier: 'PREFERRED' }];
    const planTwice = [...network, network[3]];
    const badTier = [...network.slice(0, -1), { ...network[network.length - 1], network_tier: 'GOLD-TIER' }];
    // One plan in two tiers is two valid entries, not a conflict.
    const twoTiers = [...network, { ...network[5], network_tier: 'NON-PREFERRED' }];
    const lists = [unknownPlan, network, unknownPlan, planTwice, badTier, unknownPlan, planTwice, badTier, twoTiers, twoTiers];
    const both = bothWaysText(JSON.stringify(lists.map((plans, n) => listing(n, plans))));
    expectSameAsGeneralPath(both);
    const { report } = both.viaBytes;
    expect(report.rejectedByReason).toEqual({ UNKNOWN_PLAN: 3, UNKNOWN_NETWORK_TIER: 2 });
    expect(report.samples.UNKNOWN_PLAN.map((s) => [s.file, s.recordIndex, s.path])).toEqual(
      [0, 2, 5].map((k) => ['providers.json', k, `$[${k}].plans[${PLANS.length}].plan_id`]),
    );
    expect(report.samples.UNKNOWN_NETWORK_TIER.map((s) => s.path)).toEqual([4, 7].map((k) => `$[${k}].plans[${PLANS.length - 1}].network_tier`));
    // The valid entries of each such listing are loaded; a plan listed twice is merged into one entry.
    expect(report.loaded.providers).toBe(lists.length);
    expect(report.loaded.networkMemberships).toBe(5 * PLANS.length + 2 * (PLANS.length - 1) + 2 * (PLANS.length + 1) + PLANS.length);
    expect(both.bytesRenderer.recordsFromBytes).toBe(3);
  });
});
