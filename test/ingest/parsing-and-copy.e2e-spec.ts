import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyIntArray, copyNumber, copyText, copyTextArray, ListLiterals, NumberTexts, YearListLiterals } from '../../src/ingest/render/copy-text';
import { FieldReader } from '../../src/ingest/validate/field-rules';
import { ImportError } from '../../src/ingest/import-contract';
import { JsonArraySplitter, readJsonArray } from '../../src/ingest/read/json-array-reader';
import { ProviderBatchRenderer, RenderedProviderBatch } from '../../src/ingest/render/provider-batches';
import { IssueSink, JsonRecordLocation, ReportCollector } from '../../src/ingest/validate/validation-report';
import { maintenanceWorkMemMb } from '../../src/ingest/store/version-partitions';
import { fillZipCentroids, loadZipCentroids, sharedZipCentroids } from '../../src/ingest/validate/zip-geocoder';
import { testDatabaseUrl } from '../helpers/test-app';
import { ALICE, BOB, fixture, GOLD, GOOD_ISSUER } from './ingest-helpers';
import { streamJsonBatches } from './stream-json-oracle';

/** Every record of a file, or the ImportError code, read by the importer's reader or by stream-json (the oracle) in chunks of `chunkBytes`. */
async function readAll(bytes: Buffer, reader: 'importer' | 'stream-json', chunkBytes: number): Promise<{ records: unknown[] } | { code: string }> {
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
  }
  const records: unknown[] = [];
  try {
    const batches = reader === 'stream-json' ? streamJsonBatches(chunks(), 'file.json', () => 0) : readJsonArray(chunks(), 'file.json');
    for await (const batch of batches) {
      expect(batch.firstIndex).toBe(records.length);
      records.push(...batch.records);
    }
    return { records };
  } catch (error) {
    if (error instanceof ImportError) return { code: error.code };
    throw error;
  }
}

/** A deterministic random generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('JSON array reading', () => {
  const jsonFixtures = ['official', 'good', 'bad'].flatMap((dir) =>
    readdirSync(fixture(dir))
      .filter((name) => name.endsWith('.json'))
      .map((name) => `${dir}/${name}`),
  );

  it.each(jsonFixtures)('the fast splitter and stream-json read %s alike', async (name) => {
    const bytes = readFileSync(fixture(name));
    const reference = await readAll(bytes, 'stream-json', 64 * 1024);
    for (const chunkBytes of [1, 7, 64 * 1024]) expect(await readAll(bytes, 'importer', chunkBytes)).toEqual(reference);
  });

  it('the stream-json oracle sees a truncated providers file as truncated after its complete records', async () => {
    const path = fixture('bad/providers-truncated.json');
    const error = await (async () => {
      try {
        const chunks = createReadStream(path) as AsyncIterable<Buffer>;
        for await (const batch of streamJsonBatches(chunks, 'providers-truncated.json', () => statSync(path).size))
          expect(batch.records.length).toBeGreaterThan(0);
      } catch (caught) {
        return caught as ImportError;
      }
      throw new Error('expected the truncated file to fail');
    })();
    expect(error.code).toBe('TRUNCATED_JSON');
    expect(error.message).toMatch(/^providers-truncated\.json is truncated: it ends at byte 3000 after 2 complete records/);
  });

  it('reads back random arrays with escapes, multi-byte characters and any chunk boundaries', async () => {
    const next = random(42);
    const pieces = ['a', '\\', '"', '\\"', 'é', '€', '😀', '[', ']', '{', '}', ',', ' ', '\n', '\t'];
    const text = (): string => Array.from({ length: Math.floor(next() * 8) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
    const value = (depth: number): unknown => {
      const pick = next();
      if (depth > 2 || pick < 0.3) return [text(), 12.5, -3, true, null][Math.floor(next() * 5)];
      if (pick < 0.7) return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [text(), value(depth + 1)]));
      return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
    };
    for (let round = 0; round < 300; round++) {
      const array = Array.from({ length: Math.floor(next() * 6) }, () => value(0));
      const bytes = Buffer.from(JSON.stringify(array, null, round % 2 ? 2 : 0));
      const splitter = new JsonArraySplitter('random.json');
      const records: unknown[] = [];
      for (let i = 0; i < bytes.length;) {
        const size = 1 + Math.floor(next() * 9);
        records.push(...splitter.push(bytes.subarray(i, i + size)));
        i += size;
      }
      splitter.end();
      expect(records).toEqual(array);
      // In one chunk: many elements share it, and where its next backslash is is remembered across them.
      const whole = new JsonArraySplitter('random.json');
      expect(whole.push(bytes)).toEqual(array);
      whole.end();
    }
  });

  it('parses a large chunk in pieces: same records, and a malformed record in a later piece is located exactly', () => {
    // ~370 KB: several 64 KB pieces, multi-byte text at their edges and one record larger than a piece.
    const records: unknown[] = Array.from({ length: 2400 }, (_, i) => ({ n: i, name: `Zoë ${'é€😀'.repeat(i % 7)} ${i}`, plans: [i, i + 1] }));
    records[700] = { n: 700, note: 'x'.repeat(100 * 1024) };
    const text = JSON.stringify(records);
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 64 * 1024);
    const splitter = new JsonArraySplitter('big.json');
    expect(splitter.push(Buffer.from(text))).toEqual(records);
    splitter.end();

    const broken = text.replace('{"n":1000,', '{"n":1000 ');
    const start = Buffer.byteLength(broken.slice(0, broken.indexOf('{"n":1000 ')));
    let thrown: unknown;
    try {
      new JsonArraySplitter('big.json').push(Buffer.from(broken));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'INVALID_JSON',
      message: expect.stringMatching(new RegExp(`^big\\.json is not valid JSON: record 1000 \\(from byte ${start}\\) is malformed near byte ${start + 10}: `)),
    });
  });

  it.each([
    ['', 'NOT_JSON', 'file.json is not JSON: the file is empty'],
    ['\uFEFF {"a": 1}', 'NOT_AN_ARRAY', "file.json: expected a JSON array ('[') at the top level, found an object ('{') at byte 4"],
    ['[{"a": 1} {"b": 2}]', 'INVALID_JSON', "file.json is not valid JSON: expected ',' or ']' after record 0 but found '{' at byte 10"],
    ['[{"a": 1},]', 'INVALID_JSON', "file.json is not valid JSON: unexpected ']' at byte 10 (expected record 1)"],
    [
      '[{"a": 1}, {"b" 2}]',
      'INVALID_JSON',
      "file.json is not valid JSON: record 1 (from byte 11) is malformed near byte 16: Expected ':' after property name in JSON at position 5",
    ],
    ['[{"a": 1}] x', 'INVALID_JSON', "file.json is not valid JSON: unexpected 'x' at byte 11 after the closing ']' of the array"],
    ['[{"a": "\\"}]', 'TRUNCATED_JSON', 'file.json is truncated: it ends at byte 12 inside record 0 (which starts at byte 1)'],
    ['[{"a": 1}', 'TRUNCATED_JSON', "file.json is truncated: it ends at byte 9 after 1 records, without the closing ']' of the array"],
  ])('%j fails with %s', (text, code, message) => {
    const splitter = new JsonArraySplitter('file.json');
    let thrown: unknown;
    try {
      splitter.push(Buffer.from(text));
      splitter.end();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ImportError);
    expect(thrown).toMatchObject({ code, message });
  });
});

describe('COPY text encoding', () => {
  it('escapes the COPY specials and drops NUL', () => {
    expect(copyText('plain')).toBe('plain');
    expect(copyText('back\\slash\ttab\nnew\rcr\0nul')).toBe('back\\\\slash\\ttab\\nnew\\rcr' + 'nul');
    expect(copyText(null)).toBe('\\N');
    expect(copyNumber(0.1)).toBe('0.1');
    expect(copyIntArray([2025, 2026])).toBe('{2025,2026}');
    expect(copyTextArray([])).toBe('{}');
    expect(copyTextArray(['a,b', 'NULL'])).toBe('{"a,b","NULL"}');
  });

  it('writes remembered one-value lists exactly as copyTextArray does', () => {
    const lower = new ListLiterals((value) => value.toLowerCase());
    const plain = new ListLiterals();
    for (const list of [['Family Medicine'], ['Say "Ah"\\'], ['Family Medicine'], [], ['A', 'B'], ['Tab\there'], ['Say "Ah"\\']]) {
      expect(plain.of(list)).toBe(copyTextArray(list));
      expect(lower.of(list)).toBe(copyTextArray(list.map((value) => value.toLowerCase())));
    }
  });

  it('remembers year lists and coordinates without mixing up lists or values that share a key part', () => {
    const years = new YearListLiterals();
    const lists = [[2025], [2025, 2026], [2026], [], [2025, 2026, 2027], [2025], [2026, 2025], [2025, 2026], [70000]];
    for (let round = 0; round < 2; round++) for (const list of lists) expect(years.of(list)).toBe(copyIntArray(list));
    const numbers = new NumberTexts();
    for (const value of [39.9671, -83.0044, 39.9671, 0, -0, null, 1e21, 39.96710000000001, -83.0044]) {
      expect(numbers.of(value)).toBe(copyNumber(value));
    }
  });

  it('round-trips awkward values through a real COPY into PostgreSQL', async () => {
    const texts = ['tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', 'quote "q"', 'brace {x}', 'comma, here', 'NULL', 'emoji 😀', ''];
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query('CREATE TEMP TABLE copy_probe (n int, t text, list text[], years int[])');
      const stream = client.query(copyFrom('COPY copy_probe (n, t, list, years) FROM STDIN'));
      const finished = new Promise((resolve, reject) => stream.on('finish', resolve).on('error', reject));
      stream.end(
        texts.map((t, i) => `${i}\t${copyText(t)}\t${copyTextArray([t, 'x'])}\t${copyIntArray([2025])}\n`).join('') + `99\t${copyText(null)}\t{}\t{}\n`,
      );
      await finished;
      const { rows } = await client.query('SELECT n, t, list, years FROM copy_probe ORDER BY n');
      expect(rows).toEqual([...texts.map((t, i) => ({ n: i, t, list: [t, 'x'], years: [2025] })), { n: 99, t: null, list: [], years: [] }]);
    } finally {
      await client.end();
    }
  });
});

describe('field normalization', () => {
  const reader = (): { read: FieldReader; report: ReportCollector } => {
    const report = new ReportCollector();
    return { read: new FieldReader(new IssueSink('providers.json', report), new JsonRecordLocation(3)), report };
  };

  it('keeps plan years that are already in order, and sorts, dedupes or converts the others', () => {
    const { read, report } = reader();
    expect(read.years([2025, 2026], ['years'])).toEqual([2025, 2026]);
    expect(read.years([2026, 2025, 2026], ['years'])).toEqual([2025, 2026]);
    expect(read.years(['2026', 2025], ['years'])).toEqual([2025, 2026]);
    expect(read.years([2025, 2025.5], ['years'])).toBeUndefined();
    expect(read.years([2013], ['plans', 0, 'years'])).toBeUndefined();
    expect(report.toReport().samples.INVALID_YEARS?.map((sample) => sample.path)).toEqual(['$[3].years[1]', '$[3].plans[0].years[0]']);
  });

  it('checks every date that differs from the last valid one', () => {
    const { read, report } = reader();
    expect(read.date('2025-01-10', ['last_updated_on'])).toBe('2025-01-10');
    expect(read.date('2025-01-10', ['last_updated_on'])).toBe('2025-01-10');
    expect(read.date('2025-02-30', ['last_updated_on'])).toBeNull();
    expect(read.date('2025-02-30', ['last_updated_on'])).toBeNull();
    expect(read.date('2025-03-01T08:00:00Z', ['last_updated_on'])).toBe('2025-03-01');
    expect(report.toReport().warningsByReason).toEqual({ INVALID_DATE: 2 });
  });
});

describe('index build memory', () => {
  it('gives a build enough maintenance_work_mem to sort its table in memory, within a cap', () => {
    expect(maintenanceWorkMemMb(0, true)).toBe(256); // the floor
    expect(maintenanceWorkMemMb(3_000_000, true)).toBe(Math.min(367, Math.max(256, Math.floor(totalmem() / 16 / 2 ** 20)))); // 3M rows × 128 bytes
    expect(maintenanceWorkMemMb(3_000_000, false)).toBe(256); // a remote server's memory is unknown: the floor
    expect(maintenanceWorkMemMb(1e9, true)).toBe(Math.max(256, Math.min(1024, Math.floor(totalmem() / 16 / 2 ** 20))));
  });
});

describe('ZIP centroid table', () => {
  const bytes = (table: Float64Array) => Buffer.from(table.buffer, table.byteOffset, table.byteLength);
  const fromPackage = () => {
    const table = new Float64Array(100_000 * 2);
    fillZipCentroids(table);
    return table;
  };

  it('is cached in a file that later processes read instead of loading the zipcodes package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zip-centroids-'));
    try {
      const path = join(dir, 'zip-centroids.f64');
      const built = loadZipCentroids(path);
      expect(bytes(built).equals(bytes(fromPackage()))).toBe(true);
      expect([built[2 * 43215], built[2 * 43215 + 1]]).toEqual([expect.closeTo(39.96, 1), expect.closeTo(-83.0, 0)]); // Columbus, OH
      expect(Number.isNaN(built[2 * 99999])).toBe(true);
      expect(statSync(path).size).toBe(1_600_000);

      // Read back, not rebuilt: a value changed in the file shows.
      const edited = new Float64Array(readFileSync(path).buffer.slice(0));
      edited[2 * 43215] = 12.5;
      writeFileSync(path, Buffer.from(edited.buffer));
      const read = loadZipCentroids(path);
      expect(read[2 * 43215]).toBe(12.5);
      expect(read.buffer).toBeInstanceOf(SharedArrayBuffer);

      // A file cut short is not a table: rebuilt from the package and rewritten whole.
      writeFileSync(path, readFileSync(path).subarray(0, 1000));
      expect(bytes(loadZipCentroids(path)).equals(bytes(fromPackage()))).toBe(true);
      expect(statSync(path).size).toBe(1_600_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shared by the importer, holds what the package holds', () => {
    expect(bytes(sharedZipCentroids()).equals(bytes(fromPackage()))).toBe(true);
  });
});

describe('provider batch rendering', () => {
  const setup = () => ({
    issuerId: GOOD_ISSUER,
    versionId: 7,
    plans: [{ planId: GOLD, networkTiers: ['PREFERRED'], drugTiers: [] }],
    zipCentroids: sharedZipCentroids(),
  });
  const provider = (npi: string, first: string) =>
    JSON.stringify({
      npi,
      type: 'INDIVIDUAL',
      name: { first, last: 'Doe' },
      addresses: [{ address: '1 Main St', city: 'Columbus', state: 'OH', zip: '43215' }],
      plans: [{ plan_id_type: 'HIOS-PLAN-ID', plan_id: GOLD, network_tier: 'PREFERRED', years: [2025] }],
    });
  const render = (renderer: ProviderBatchRenderer, records: string[]): RenderedProviderBatch => {
    const batch = new JsonArraySplitter('providers.json').split(Buffer.from(`[${records.join(',\n')}]`), true)!;
    return renderer.render({ fileName: 'providers.json', batch, recordNoBase: 0 });
  };
  const text = (batch: RenderedProviderBatch) => [batch.providers, batch.addresses, batch.networks].map((rows) => Buffer.from(rows.bytes).toString('utf8'));

  it('renders a batch with nothing left over from one that failed half way', () => {
    // Well over one 64 KB parse piece of good records, then a malformed one: the first piece is rendered before the error.
    const failing = [...Array.from({ length: 400 }, (_, i) => provider(ALICE, `Alice${i}`)), '{"npi": tru}'];
    const reused = new ProviderBatchRenderer(setup());
    expect(() => render(reused, failing)).toThrow(/not valid JSON/);
    const good = [provider(BOB, 'Bob')];
    const expected = render(new ProviderBatchRenderer(setup()), good);
    const after = render(reused, good);
    expect(text(after)).toEqual(text(expected));
    expect(after.providers.rows).toBe(1);
    expect(text(after)[0]).toContain('\tBob Doe\t');
  });
});
