import { JsonArraySplitter, LONG_ARRAY_BYTES, parseSplitBatch } from './json-array-reader';

/**
 * The splitter steps over a long array met before (LONG_ARRAY_BYTES) by comparing its bytes: records
 * must come out with the same bounds whatever the chunking, whether or not an array is recognised.
 */
describe('JsonArraySplitter and long arrays met again', () => {
  const entry = (n: number, tier = 'PREFERRED') => ({ plan_id: `70001OH00001${String(n).padStart(2, '0')}`, network_tier: tier, years: [2025, 2026] });
  const network = Array.from({ length: 20 }, (_, n) => entry(n));
  /** The same length and bytes but for one letter near the end: compared, then not taken for the first. */
  const nearlyNetwork = [...network.slice(0, -1), { ...network[19], network_tier: 'PREFERREX' }];
  /** Brackets, braces and escaped quotes inside strings of a long array. */
  const tricky = [...network, { plan_id: 'x"]},{[', note: 'a \\"quoted\\" ] value' }];
  const records = [network, network, nearlyNetwork, tricky, network, tricky, nearlyNetwork].map((plans, n) => ({
    npi: String(1_000_000_000 + n),
    addresses: [{ zip: '43215' }],
    plans,
    tail: n % 2 ? ['[', ']'] : { k: '}' },
  }));
  const file = Buffer.from(`[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]`);

  function split(chunkBytes: number): { bounds: number[]; parsed: unknown[]; recognised: number } {
    const splitter = new JsonArraySplitter('providers.json');
    const bounds: number[] = [];
    const parsed: unknown[] = [];
    for (let at = 0; at < file.length; at += chunkBytes) {
      const batch = splitter.split(file.subarray(at, at + chunkBytes), true);
      if (!batch) continue;
      bounds.push(...batch.bounds);
      parsed.push(...parseSplitBatch(batch, 'providers.json'));
    }
    splitter.end();
    return { bounds, parsed, recognised: splitter.arraysRecognised };
  }

  it('splits the same records whatever the chunk size, stepping over long arrays met again', () => {
    expect(JSON.stringify(network).length).toBeGreaterThan(LONG_ARRAY_BYTES);
    const whole = split(file.length);
    expect(whole.parsed).toEqual(records);
    // network (twice again), nearlyNetwork and tricky (once again each); the first of each is scanned.
    expect(whole.recognised).toBe(4);
    for (const chunkBytes of [1, 7, 100, 1000, 1500, 4096]) {
      const chunked = split(chunkBytes);
      expect(chunked.bounds).toEqual(whole.bounds);
      expect(chunked.parsed).toEqual(records);
    }
  });

  it("hands on each read's own memory, the part of a record begun in earlier reads kept apart (head)", () => {
    const splitter = new JsonArraySplitter('providers.json');
    const parsed: unknown[] = [];
    let heads = 0;
    for (let at = 0; at < file.length; at += 1500) {
      // Memory of its own, as file reads give it (Buffer.alloc never takes from the shared pool).
      const chunk = Buffer.alloc(Math.min(1500, file.length - at));
      file.copy(chunk, 0, at, at + chunk.length);
      const batch = splitter.split(chunk, true);
      if (!batch) continue;
      expect(batch.bytes.buffer).toBe(chunk.buffer);
      if (batch.head) {
        heads++;
        const [start, end] = batch.bounds;
        expect(
          Buffer.concat([batch.head, batch.bytes])
            .subarray(0, end - start)
            .equals(file.subarray(start, end)),
        ).toBe(true);
        expect(start + batch.head.length).toBe(at);
      }
      parsed.push(...parseSplitBatch(batch, 'providers.json'));
    }
    splitter.end();
    expect(heads).toBeGreaterThan(0);
    expect(parsed).toEqual(records);
  });

  it('still finds a truncated record after a long array met before', () => {
    const truncated = file.subarray(0, file.lastIndexOf('"tail"'));
    const splitter = new JsonArraySplitter('providers.json');
    splitter.split(truncated, true);
    expect(splitter.arraysRecognised).toBe(4);
    expect(() => splitter.end()).toThrow(/truncated: it ends at byte \d+ inside record 6/);
  });
});
