import { createHash, Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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

/** Counts and hashes the bytes of a file as they are read. */
export class FileMeter {
  bytesRead = 0;
  private readonly hash: Hash = createHash('sha256');

  update(chunk: Buffer): void {
    this.bytesRead += chunk.length;
    this.hash.update(chunk);
  }

  /** Hex SHA-256 of everything read (call once, at the end). */
  sha256(): string {
    return this.hash.digest('hex');
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
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      meter.update(chunk);
      if (options.maxBytes !== undefined && meter.bytesRead > options.maxBytes) {
        throw tooLargeError(options.name, meter.bytesRead, options.maxBytes, true);
      }
      yield chunk;
    }
  } finally {
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
  return meter.sha256();
}
