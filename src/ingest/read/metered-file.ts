import { createHash, Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ImportError } from '../import-contract';
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
}

/** The file's bytes in large chunks, metered; aborts and size overruns end the iteration with an error. */
export async function* meteredChunks(path: string, meter: FileMeter, options: MeteredReadOptions): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? READ_CHUNK_BYTES, signal: options.signal });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      meter.update(chunk);
      if (options.maxBytes !== undefined && meter.bytesRead > options.maxBytes) {
        throw tooLargeError(options.name, meter.bytesRead, options.maxBytes, true);
      }
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}

/** SHA-256 of a whole file (the quick pre-pass of the unchanged-files check). */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const meter = new FileMeter();
  for await (const chunk of meteredChunks(path, meter, { name: path, signal })) void chunk;
  return meter.sha256();
}
