import { withNpiCheckDigit } from '../../common/identifiers';
import { JsonArraySplitter } from '../read/json-array-reader';
import { sharedZipCentroids } from '../validate/zip-geocoder';
import { DuplicateProviders } from './duplicate-providers';
import { ProviderBatchRenderer, ProviderBatchSetup, RenderedProviderBatch } from './provider-batches';

const GOLD = '70001OH0000001';
const setup = (): ProviderBatchSetup => ({
  issuerId: '70001',
  versionId: 7,
  plans: [{ planId: GOLD, networkTiers: ['PREFERRED'], drugTiers: [] }],
  zipCentroids: sharedZipCentroids(),
});
const provider = (n: number, zips: string[], first = 'Ann') => ({
  npi: withNpiCheckDigit(100_000_000 + n),
  type: 'INDIVIDUAL',
  name: { first, last: `Lee${n}` },
  addresses: zips.map((zip) => ({ address: '1 Main St', city: 'Columbus', state: 'OH', zip })),
  plans: [{ plan_id: GOLD, network_tier: 'PREFERRED' }],
});

function render(records: object[], fromBytes: boolean): RenderedProviderBatch {
  const batch = new JsonArraySplitter('providers.json').split(Buffer.from(JSON.stringify(records)), true)!;
  return new ProviderBatchRenderer(setup(), { fromBytes }).render({ fileName: 'providers.json', batch, recordNoBase: 0 });
}
const lines = (rows: { bytes: Uint8Array }) => Buffer.from(rows.bytes).toString('utf8').split('\n').filter(Boolean);

describe('DuplicateProviders', () => {
  const a = provider(1, ['43215', '43004']);
  const b = provider(2, ['10003']);
  const accented = provider(3, ['43215'], 'Zoë'); // rendered by the general path
  const records = [a, b, a, accented, provider(1, ['44308']), accented, b];

  it.each([true, false])('removes the rows of exact repeats and keeps different listings of an NPI (from bytes: %s)', (fromBytes) => {
    const rendered = render(records, fromBytes);
    const filtered = new DuplicateProviders().filter(rendered, 'providers.json');
    expect(lines(filtered.providers).map((line) => line.split('\t')[1])).toEqual(['0', '1', '3', '4']);
    expect(lines(filtered.addresses).map((line) => `${line.split('\t')[1]}:${line.split('\t')[7]}`)).toEqual([
      '0:43215',
      '0:43004',
      '1:10003',
      '3:43215',
      '4:44308',
    ]);
    expect(lines(filtered.networks).map((line) => line.split('\t')[1])).toEqual(['0', '1', '3', '4']);
    expect([filtered.providers.rows, filtered.addresses.rows, filtered.networks.rows]).toEqual([4, 5, 4]);
    expect(filtered.report.loaded).toEqual({ providers: 4, addresses: 5, networkMemberships: 4 });
    expect(filtered.report.warningsByReason).toEqual({ DUPLICATE_PROVIDER: 3, DUPLICATE_NPI: 1 });
    expect(filtered.report.warnings.map((w) => [w.reason, w.recordIndex])).toEqual([
      ['DUPLICATE_PROVIDER', 2],
      ['DUPLICATE_NPI', 4],
      ['DUPLICATE_PROVIDER', 5],
      ['DUPLICATE_PROVIDER', 6],
    ]);
  });

  it('finds repeats across batches and files, and leaves a batch without any as it is', () => {
    const duplicates = new DuplicateProviders();
    const first = render([a], true);
    expect(duplicates.filter(first, 'providers.json')).toBe(first);
    const second = duplicates.filter(render([b, a], true), 'providers-2.json');
    expect(second.report.warnings).toEqual([
      expect.objectContaining({
        file: 'providers-2.json',
        recordIndex: 1,
        reason: 'DUPLICATE_PROVIDER',
        message: expect.stringContaining('repeats providers.json record 0'),
      }),
    ]);
    expect(second.providers.rows).toBe(1);
  });
});
