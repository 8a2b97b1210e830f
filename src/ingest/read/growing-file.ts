import { open } from 'node:fs/promises';
import { READ_CHUNK_BYTES } from './metered-file';

/** How long a reader with part of a chunk on disk waits for the rest before reading the part. */
const PARTIAL_CHUNK_WAIT_MS = 20;

/** The writer started the file over (a retried download) after its reader had read from it. */
export class GrowingFileRestarted extends Error {
  constructor(readonly name: string) {
    super(`${name}: the download started over after the load had begun reading it`);
  }
}

/**
 * A file still being written (a download spooled to disk) that the importer reads as it grows: the
 * reader reads to the current end, then waits until the writer reports more bytes, completes, or fails.
 * It ends only when the writer has completed, and fails with the writer's error, so a load never
 * mistakes a broken download for a short file. The spool file stays whole on disk for a later retry.
 */
export class GrowingFile {
  private written = 0;
  private completed: { bytes: number; sha256: string } | null = null;
  private failure: Error | null = null;
  private readStarted = false;
  private wake: (() => void) | null = null;
  /** How many times the writer started the file (more than one: a download retried from scratch). */
  starts = 0;
  /** The size the writer announced for the body (a download's Content-Length), when it knows it. */
  expectedBytes: number | null = null;

  constructor(
    readonly path: string,
    readonly name: string,
  ) {}

  /** Writer: a (new) body starts at byte 0. Fails the reader if it already read from the previous one. */
  started(expectedBytes: number | null = null): void {
    this.starts++;
    this.written = 0;
    this.expectedBytes = expectedBytes;
    if (this.readStarted) this.fail(new GrowingFileRestarted(this.name));
    this.notify();
  }

  /** Writer: `bytes` bytes of the body are on disk. */
  grew(bytes: number): void {
    this.written = bytes;
    this.notify();
  }

  /** Writer: the body is complete on disk; its size and SHA-256 as the downloader counted them (the reader's digest: see FileMeter). */
  complete(result: { bytes: number; sha256: string }): void {
    this.written = result.bytes;
    this.completed = result;
    this.notify();
  }

  /** Writer: the download failed for good; the reader fails with `error`. */
  fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  get done(): { bytes: number; sha256: string } | null {
    return this.completed;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /**
   * Until the writer reports something (true), or, given `pauseMs`, until it has been quiet that long
   * (false). Rejects when `signal` aborts.
   */
  private waitForWriter(signal?: AbortSignal, pauseMs?: number): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.wake === wake) this.wake = null;
      };
      const onAbort = () => {
        settle();
        reject(signal?.reason ?? new Error('aborted'));
      };
      const wake = () => {
        settle();
        resolve(true);
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = wake;
      if (pauseMs !== undefined)
        timer = setTimeout(() => {
          settle();
          resolve(false);
        }, pauseMs);
    });
  }

  /**
   * Bytes the reader at `position` should read next: a whole chunk, or what is left once the body is
   * complete, or (`quiet`: the writer paused) what there is; 0: wait for the writer. While the body
   * streams in, a chunk is read once whole, so the load handles the same chunk sizes as from a file on
   * disk (many small reads cost more per byte downstream).
   */
  private readable(position: number, chunkBytes: number, quiet: boolean): number {
    const available = this.written - position;
    return available > 0 && (available >= chunkBytes || this.completed || quiet) ? Math.min(chunkBytes, available) : 0;
  }

  /** The file's bytes as they are written, in chunks of at most `chunkBytes`, to the end of the completed body. */
  async *chunks(chunkBytes = READ_CHUNK_BYTES, signal?: AbortSignal): AsyncGenerator<Buffer> {
    // Bytes asked of the file so far (yielded, or being read).
    let position = 0;
    let handle: Awaited<ReturnType<typeof open>> | null = null;
    // As from a file on disk, the next chunk is read while the load handles this one.
    let next: Promise<Buffer> | null = null;
    // The writer went quiet with less than a chunk on disk: read what there is.
    let quiet = false;
    const read = (file: NonNullable<typeof handle>, length: number): Promise<Buffer> => {
      const at = position;
      position += length;
      const buffer = Buffer.allocUnsafe(length);
      const reading = file.read(buffer, 0, length, at).then(({ bytesRead }) => {
        // Only a restart truncates the file under the reader, and it fails the reader first.
        if (bytesRead < length) throw this.failure ?? new GrowingFileRestarted(this.name);
        return buffer;
      });
      reading.catch(() => undefined); // awaited when its turn comes, unless the reader stops first
      return reading;
    };
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        signal?.throwIfAborted();
        if (!next) {
          const length = this.readable(position, chunkBytes, quiet);
          if (length > 0) {
            quiet = false;
            if (!handle) {
              this.readStarted = true;
              handle = await open(this.path, 'r');
            }
            next = read(handle, length);
          }
        }
        if (next) {
          const chunk = await next;
          next = null;
          const length = this.readable(position, chunkBytes, false);
          if (length > 0) next = read(handle!, length);
          yield chunk;
          continue;
        }
        if (this.completed && position >= this.completed.bytes) return;
        if (this.written > position) quiet = !(await this.waitForWriter(signal, PARTIAL_CHUNK_WAIT_MS));
        else await this.waitForWriter(signal);
      }
    } finally {
      await next?.catch(() => undefined);
      await handle?.close();
    }
  }
}
