import { createHash, Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportError } from '../import-contract';
import type { GrowingFile } from './growing-file';
import { LoadFailure } from '../validate/reasons';

/**
 * Each read becomes one batch of records. 64 KB batches (~100 providers) are parsed, validated and
 * written before the next read, so their objects die young and garbage collection stays cheap (larger
 * batches spend more CPU in GC).
 */
export const READ_CHUNK_BYTES = 64 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

export function tooLargeError(fileName: string, bytes: number, limit: number, whileReading: boolean): ImportError {
  const size = whileReading ? `grew past ${formatBytes(limit)} while being read` : `is ${formatBytes(bytes)}`;
  return new ImportError(LoadFailure.FILE_TOO_LARGE, `${fileName} ${size}: the limit is ${formatBytes(limit)}`, fileName);
}

/** Files at least this large are hashed by a thread of their own (FileMeter's offThread): for smaller ones, starting the thread costs about what it saves. */
export const OFF_THREAD_HASH_MIN_BYTES = 64 * 1024 * 1024;
/** Bytes of the ring through which a hashing thread receives a file's bytes. */
const HASH_RING_BYTES = 8 * 1024 * 1024;
/**
 * Bytes written to the ring between wake-ups of the hashing thread: waking it for every read cost the
 * reader a system call each time.
 */
const WAKE_AFTER_BYTES = 1024 * 1024;
/** How long update() waits at most, blocked, for room in the ring before the hashing thread counts as stuck. */
const STUCK_HASHING_MS = 60_000;

/** BigInt64 words shared with the hashing thread. */
const enum Shared {
  /** Bytes written to the ring so far (by the reader). */
  Written,
  /** Bytes hashed so far (by the hashing thread). */
  Hashed,
  /** 1 once the reader has written everything. */
  Finished,
  /** Bumped after each change of Written or Finished: what the hashing thread waits on. */
  Changes,
}

/**
 * The hashing thread's script: plain JavaScript (no TypeScript hook to load). It hashes the ring's bytes
 * as they are written, waiting (Atomics.wait) when it has caught up, and sends the digest once the reader
 * has finished. No message per chunk: each would cost both threads more than the copy into the ring.
 */
const HASH_THREAD_SCRIPT = `
const { parentPort, workerData } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
const ring = new Uint8Array(workerData.ring);
const shared = new BigInt64Array(workerData.shared);
const size = BigInt(ring.length);
let hashed = 0n;
for (;;) {
  const changes = Atomics.load(shared, ${Shared.Changes});
  const written = Atomics.load(shared, ${Shared.Written});
  if (written === hashed) {
    if (Atomics.load(shared, ${Shared.Finished}) === 1n) break;
    Atomics.wait(shared, ${Shared.Changes}, changes);
    continue;
  }
  const from = Number(hashed % size);
  const count = Number(written - hashed);
  const first = Math.min(count, ring.length - from);
  hash.update(ring.subarray(from, from + first));
  if (count > first) hash.update(ring.subarray(0, count - first));
  hashed = written;
  Atomics.store(shared, ${Shared.Hashed}, hashed);
  Atomics.notify(shared, ${Shared.Hashed});
}
parentPort.postMessage(hash.digest('hex'));
`;

/**
 * SHA-256 computed by a worker thread, so that hashing a large file overlaps splitting and parsing it
 * instead of taking the importing thread's time. Each chunk is copied into a ring of shared memory that
 * the thread hashes as it fills (copying costs a small fraction of hashing). The reader waits
 * (`behind`, `caughtUp`) when the ring is more than half full.
 */
class OffThreadHash {
  private readonly ring = new Uint8Array(new SharedArrayBuffer(HASH_RING_BYTES));
  private readonly shared = new BigInt64Array(new SharedArrayBuffer(4 * BigInt64Array.BYTES_PER_ELEMENT));
  private readonly worker: Worker;
  private written = 0;
  /** `written` when the hashing thread was last woken. */
  private woken = 0;
  private failure: Error | null = null;
  private digest: Promise<string> | null = null;
  private resolveDigest: ((hex: string) => void) | null = null;
  private rejectDigest: ((error: Error) => void) | null = null;

  constructor() {
    this.worker = new Worker(HASH_THREAD_SCRIPT, { eval: true, execArgv: [], workerData: { ring: this.ring.buffer, shared: this.shared.buffer } });
    // Never what keeps the process alive: an unfinished file's thread is stopped by abandon().
    this.worker.unref();
    this.worker.on('message', (sha256: string) => this.resolveDigest?.(sha256));
    this.worker.on('error', (error) => this.fail(new Error(`the hashing thread failed: ${error.message}`)));
    this.worker.on('exit', (code) => {
      if (code !== 0 || !this.digest) this.fail(new Error(`the hashing thread exited (code ${code})`));
    });
  }

  update(chunk: Buffer): void {
    if (this.failure) throw this.failure;
    const { ring, shared } = this;
    for (let at = 0; at < chunk.length;) {
      const room = ring.length - (this.written - this.hashed());
      if (room === 0) {
        // Only when the reader did not wait for caughtUp(): the thread is far behind.
        this.changed();
        const seen = Atomics.load(shared, Shared.Hashed);
        if (Atomics.wait(shared, Shared.Hashed, seen, STUCK_HASHING_MS) === 'timed-out') this.fail(new Error('the hashing thread is stuck'));
        if (this.failure) throw this.failure;
        continue;
      }
      const position = this.written % ring.length;
      const count = Math.min(chunk.length - at, room, ring.length - position);
      ring.set(chunk.subarray(at, at + count), position);
      at += count;
      this.written += count;
      Atomics.store(shared, Shared.Written, BigInt(this.written));
    }
    // The thread hashes whatever is written by the time it looks; it only sleeps once caught up.
    if (this.written - this.woken >= WAKE_AFTER_BYTES) this.changed();
  }

  get behind(): boolean {
    return this.written - this.hashed() > this.ring.length / 2 && !this.failure;
  }

  /** Resolves once the ring is at most a quarter full (or the thread failed: the next update or the digest says so). */
  async caughtUp(): Promise<void> {
    this.changed();
    while (this.written - this.hashed() > this.ring.length / 4 && !this.failure) {
      const wait = Atomics.waitAsync(this.shared, Shared.Hashed, Atomics.load(this.shared, Shared.Hashed), 1000);
      if (wait.async) await wait.value;
    }
  }

  /** The digest of everything written so far; nothing may be written after. */
  sha256(): Promise<string> {
    this.digest ??= new Promise<string>((resolve, reject) => {
      this.resolveDigest = resolve;
      this.rejectDigest = reject;
      if (this.failure) return reject(this.failure);
      Atomics.store(this.shared, Shared.Finished, 1n);
      this.changed();
    });
    return this.digest;
  }

  /** Stops the thread (the file was not read to its end). */
  abandon(): void {
    this.fail(new Error('the file was not read to its end'));
    void this.worker.terminate();
  }

  private hashed(): number {
    return Number(Atomics.load(this.shared, Shared.Hashed));
  }

  /** Wakes the hashing thread. */
  private changed(): void {
    this.woken = this.written;
    Atomics.add(this.shared, Shared.Changes, 1n);
    Atomics.notify(this.shared, Shared.Changes);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectDigest?.(this.failure);
  }
}

/**
 * Counts and hashes the bytes of a file as they are read. With `offThread` (large files), the SHA-256
 * is computed by a thread of its own (OffThreadHash); else by this one. With `hashedBy` (a download
 * being followed), nothing is hashed here: the downloader hashes the same bytes as it writes them to
 * the file, and its digest is the file's once the file was read to the end of the completed body.
 */
export class FileMeter {
  bytesRead = 0;
  private readonly hash: Hash | null;
  private readonly offThread: OffThreadHash | null;
  private readonly hashedBy: GrowingFile | null;
  private readToEnd = false;

  constructor({ offThread = false, hashedBy }: { offThread?: boolean; hashedBy?: GrowingFile } = {}) {
    this.hashedBy = hashedBy ?? null;
    this.offThread = offThread && !hashedBy ? new OffThreadHash() : null;
    this.hash = offThread || hashedBy ? null : createHash('sha256');
  }

  update(chunk: Buffer): void {
    this.bytesRead += chunk.length;
    if (this.offThread) this.offThread.update(chunk);
    else this.hash?.update(chunk);
  }

  /** Whether the reader should wait (`caughtUp`) before reading more: the hashing thread is far behind. */
  get behind(): boolean {
    return this.offThread?.behind ?? false;
  }

  caughtUp(): Promise<void> {
    return this.offThread?.caughtUp() ?? Promise.resolve();
  }

  /** Hex SHA-256 of everything read (call once, when the file was read to its end). */
  async sha256(): Promise<string> {
    if (this.hashedBy) return this.writersDigest(this.hashedBy);
    return this.offThread ? this.offThread.sha256() : this.hash!.digest('hex');
  }

  /** The file was read to its end: a hashing thread finishes now (and ends), whether or not the digest is asked for. */
  end(): void {
    this.readToEnd = true;
    this.offThread?.sha256().catch(() => undefined);
  }

  /** The file will not be read to its end: a hashing thread is stopped. */
  abandon(): void {
    this.offThread?.abandon();
  }

  /** The downloader's digest, only of exactly the bytes read: the whole completed body. */
  private writersDigest(file: GrowingFile): string {
    const done = file.done;
    if (!this.readToEnd || !done) throw new Error('the file was not read to its end');
    if (done.bytes !== this.bytesRead) throw new Error(`${file.name}: ${this.bytesRead} bytes were read of a ${done.bytes}-byte download`);
    return done.sha256;
  }
}

export interface MeteredReadOptions {
  /** Name used in messages. */
  name: string;
  maxBytes?: number;
  signal?: AbortSignal;
  /** Bytes per read (default READ_CHUNK_BYTES). */
  chunkBytes?: number;
  /** The file is still being written (a download): follow its growth instead of reading to its current end. */
  growing?: GrowingFile;
}

/**
 * The file's content in large chunks, metered (the meter counts and hashes the bytes as stored); aborts
 * and size overruns end the iteration with an error. A gzip file (by its magic bytes, whatever its
 * name: carriers publish `.json.gz`) is decompressed as it streams, its decompressed size bounded by the
 * same limit. A UTF-16 file is refused with a message that says so (JSON and CSV must be UTF-8).
 */
export async function* meteredChunks(path: string, meter: FileMeter, options: MeteredReadOptions): AsyncGenerator<Buffer> {
  const raw = rawChunks(path, meter, options);
  try {
    const first = await raw.next();
    if (first.done) return;
    const head = first.value;
    if (isGzip(head)) {
      yield* gunzipped(withHead(head, raw), options);
      return;
    }
    const encoding = utf16Encoding(head);
    if (encoding) {
      throw new ImportError(
        LoadFailure.UNSUPPORTED_ENCODING,
        `${options.name} is UTF-16 (${encoding}): QHP files are read as UTF-8; send it as UTF-8 (for example: iconv -f UTF-16 -t UTF-8)`,
        options.name,
      );
    }
    yield head;
    yield* raw;
  } finally {
    await raw.return(undefined);
  }
}

/** The bytes as stored, metered. */
async function* rawChunks(path: string, meter: FileMeter, options: MeteredReadOptions): AsyncGenerator<Buffer> {
  const stream = options.growing
    ? options.growing.chunks(options.chunkBytes ?? READ_CHUNK_BYTES, options.signal)
    : createReadStream(path, { highWaterMark: options.chunkBytes ?? READ_CHUNK_BYTES, signal: options.signal });
  let complete = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      meter.update(chunk);
      if (options.maxBytes !== undefined && meter.bytesRead > options.maxBytes) {
        throw tooLargeError(options.name, meter.bytesRead, options.maxBytes, true);
      }
      if (meter.behind) await meter.caughtUp();
      yield chunk;
    }
    complete = true;
    meter.end();
  } finally {
    if (!complete) meter.abandon();
    if ('destroy' in stream) stream.destroy();
    else await stream.return(undefined);
  }
}

async function* withHead(head: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  yield* rest;
}

/** gzip's magic bytes (RFC 1952): 1f 8b, then 08 (deflate). */
function isGzip(head: Buffer): boolean {
  return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08;
}

/**
 * "little-endian" / "big-endian" when the file starts as UTF-16 does: a byte order mark (FF FE, FE FF),
 * or, without one, a NUL byte beside the first character (JSON and CSV start with ASCII); else null.
 */
function utf16Encoding(head: Buffer): string | null {
  if (head.length < 2) return null;
  if (head[0] === 0xff && head[1] === 0xfe) return 'little-endian, byte order mark FF FE';
  if (head[0] === 0xfe && head[1] === 0xff) return 'big-endian, byte order mark FE FF';
  if (head[0] !== 0 && head[1] === 0) return 'little-endian, no byte order mark';
  if (head[0] === 0 && head[1] !== 0) return 'big-endian, no byte order mark';
  return null;
}

/** The decompressed content of gzip `chunks`, in chunks of about the read size, bounded by maxBytes. */
async function* gunzipped(chunks: AsyncGenerator<Buffer>, options: MeteredReadOptions): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: options.chunkBytes ?? READ_CHUNK_BYTES });
  // pipeline destroys both streams on an error of either (the source's errors, such as a size overrun or
  // an abort, come out of the iteration below as they were thrown).
  const output = pipeline(Readable.from(chunks, { objectMode: false }), gunzip, () => undefined);
  let bytes = 0;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (options.maxBytes !== undefined && bytes > options.maxBytes) {
        throw new ImportError(
          LoadFailure.FILE_TOO_LARGE,
          `${options.name} decompresses to more than ${formatBytes(options.maxBytes)}: the limit is ${formatBytes(options.maxBytes)}`,
          options.name,
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ImportError || (error as Error).name === 'AbortError') throw error;
    throw new ImportError(
      LoadFailure.INVALID_GZIP,
      `${options.name}: the gzip data is corrupt or cut short after ${formatBytes(bytes)} decompressed (${(error as Error).message})`,
      options.name,
    );
  } finally {
    output.destroy();
  }
}

/** SHA-256 of a whole file (the quick pre-pass of the unchanged-files check). */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const meter = new FileMeter();
  for await (const chunk of rawChunks(path, meter, { name: path, signal })) void chunk;
  return await meter.sha256();
}
