import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GrowingFile } from './growing-file';
import { FileMeter, meteredChunks } from './metered-file';

/**
 * A file's SHA-256 is that of its bytes as stored, whether this thread hashes them or a thread of its
 * own does (large files), and whatever the read size; a file not read to its end has no digest.
 */
describe('FileMeter', () => {
  let dir: string;
  let plain: string;
  let gzipped: string;
  /** Larger than the ring through which a hashing thread receives the bytes (8 MB), so that it wraps around. */
  const text = Buffer.from(`[${Array.from({ length: 250_000 }, (_, i) => JSON.stringify({ npi: String(1_000_000_000 + i), name: `Name ${i}` })).join(',\n')}]`);
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'metered-file-'));
    plain = join(dir, 'providers.json');
    gzipped = join(dir, 'providers.json.gz');
    writeFileSync(plain, text);
    writeFileSync(gzipped, gzipSync(text));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const readAll = async (path: string, meter: FileMeter, chunkBytes?: number): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of meteredChunks(path, meter, { name: 'providers.json', chunkBytes })) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  };

  it.each([
    ['this thread', false, undefined],
    ['a thread of its own', true, undefined],
    ['a thread of its own, small reads', true, 4096],
  ])('hashes the bytes as stored in %s', async (_, offThread, chunkBytes) => {
    const meter = new FileMeter({ offThread });
    expect((await readAll(plain, meter, chunkBytes)).equals(text)).toBe(true);
    expect(meter.bytesRead).toBe(text.length);
    expect(await meter.sha256()).toBe(sha256(text));
  });

  it('hashes a gzip file as stored (compressed) off the thread too, and reads it decompressed', async () => {
    const meter = new FileMeter({ offThread: true });
    expect((await readAll(gzipped, meter)).equals(text)).toBe(true);
    expect(await meter.sha256()).toBe(sha256(gzipSync(text)));
  });

  it('gives no digest for a file not read to its end, and stops its hashing thread', async () => {
    const meter = new FileMeter({ offThread: true });
    for await (const chunk of meteredChunks(plain, meter, { name: 'providers.json', chunkBytes: 4096 })) {
      expect(chunk.length).toBe(4096);
      break;
    }
    await expect(meter.sha256()).rejects.toThrow('the file was not read to its end');
  });

  describe('a download being followed (hashed by its downloader)', () => {
    const follow = async (file: GrowingFile, meter: FileMeter): Promise<Buffer> => {
      const chunks: Buffer[] = [];
      for await (const chunk of meteredChunks(file.path, meter, { name: file.name, growing: file })) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks);
    };

    it("takes the downloader's digest once the completed body was read to its end", async () => {
      const file = new GrowingFile(plain, 'providers.json');
      file.started(text.length);
      file.grew(text.length);
      file.complete({ bytes: text.length, sha256: sha256(text) });
      const meter = new FileMeter({ hashedBy: file });
      expect((await follow(file, meter)).equals(text)).toBe(true);
      expect(meter.bytesRead).toBe(text.length);
      expect(await meter.sha256()).toBe(sha256(text));
    });

    it('gives no digest for a download that failed before the end was read', async () => {
      const file = new GrowingFile(plain, 'providers.json');
      file.started(text.length);
      file.grew(4096);
      const meter = new FileMeter({ hashedBy: file });
      const reading = follow(file, meter);
      setImmediate(() => file.fail(new Error('the connection closed mid-body')));
      await expect(reading).rejects.toThrow('the connection closed mid-body');
      await expect(meter.sha256()).rejects.toThrow('the file was not read to its end');
    });
  });
});
