import busboy from 'busboy';
import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { QhpFileKind } from '../ingest/import-contract';
import { EXPECTED_NAMES, inferUploadKind, safeUploadName } from './qhp-upload-names';

export interface SpooledFile {
  /** Name as uploaded (sanitised); also the file's name in the spool directory. */
  name: string;
  kind: QhpFileKind;
  path: string;
  bytes: number;
}

export interface SpoolOptions {
  dir: string;
  maxFileBytes: number;
  maxFiles: number;
}

/** The upload cannot be accepted as sent; `status` is the HTTP status to answer with. */
export class UploadRejectedError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The client went away before the whole body arrived. */
export class UploadAbortedError extends Error {
  constructor() {
    super('the client closed the connection before the upload finished');
  }
}

/** A full disk (or quota) is 507 Insufficient Storage; any other failure to store a file is the server's 500. */
export function storageFailure(what: string, error: NodeJS.ErrnoException): [number, string] {
  const code = error.code ?? 'write error';
  if (code === 'ENOSPC' || code === 'EDQUOT') return [507, `the server has no room to store this upload (${code}): nothing was loaded; try again later`];
  return [500, `the server could not store ${what} (${code}): nothing was loaded; try again later`];
}

/**
 * Counts bytes and passes through at most `limit` of them. Past the limit it keeps counting but
 * drops the data, so the caller can report the file's real size without storing it.
 */
class SizeLimit extends Transform {
  bytes = 0;

  constructor(private readonly limit: number) {
    super();
  }

  get exceeded(): boolean {
    return this.bytes > this.limit;
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, this.exceeded ? undefined : chunk);
  }
}

/**
 * Streams every file of a multipart/form-data request into `dir` (never holding a file in memory)
 * and resolves with what was written. On a problem (unknown file kind, file over the limit) the
 * rest of the body is still read and discarded so the client receives the answer instead of a
 * broken pipe; on a client disconnect it rejects with UploadAbortedError once every write has stopped.
 * The caller owns `dir` and removes it when the upload is not used.
 */
export function spoolMultipartUpload(request: IncomingMessage, options: SpoolOptions): Promise<SpooledFile[]> {
  return new Promise<SpooledFile[]>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { files: options.maxFiles, fields: 20, fieldSize: 64 * 1024, parts: options.maxFiles + 20 },
      });
    } catch (error) {
      // busboy throws on a missing or non-multipart Content-Type.
      reject(new UploadRejectedError(415, `send the files as multipart/form-data (${error.message})`));
      request.resume();
      return;
    }

    const spooled: Array<SpooledFile & { position: number }> = [];
    const writes: Array<Promise<void>> = [];
    const openStreams = new Set<Readable>();
    const names = new Set<string>();
    let problem: UploadRejectedError | null = null;
    let settled = false;
    /** Set on a disconnect or a malformed body: the parser's own 'close' must not decide the outcome then. */
    let interrupted = false;

    const refuse = (status: number, message: string) => {
      problem ??= new UploadRejectedError(status, message);
    };

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      request.off('close', onRequestClosed);
      outcome();
    };

    // Writes finish in any order; the job lists files in the order they were sent.
    const inUploadOrder = (): SpooledFile[] =>
      spooled.sort((a, b) => a.position - b.position).map(({ name, kind, path, bytes }) => ({ name, kind, path, bytes }));

    const onRequestClosed = () => {
      if (request.complete || settled) return;
      interrupted = true;
      // Stop every write; reject only once they have let go of their files, so the caller can delete them.
      request.unpipe(parser);
      parser.destroy();
      for (const stream of openStreams) stream.destroy();
      void Promise.allSettled(writes).then(() => settle(() => reject(new UploadAbortedError())));
    };

    parser.on('file', (fieldName, stream, info) => {
      const name = safeUploadName(info.filename || fieldName);
      const kind = inferUploadKind(name, fieldName);
      if (problem || !kind || names.has(name)) {
        if (!kind) refuse(400, `cannot tell what file ${name} holds: name it ${EXPECTED_NAMES}`);
        else if (names.has(name)) refuse(400, `file ${name} appears twice in the upload`);
        stream.resume();
        return;
      }
      names.add(name);
      const position = names.size;
      const path = join(options.dir, name);
      const limit = new SizeLimit(options.maxFileBytes);
      openStreams.add(stream);
      openStreams.add(limit);
      // The part is piped by hand, not through pipeline(): a failed write must not destroy busboy's file
      // stream (busboy would wait for it forever); the rest of the part is read and dropped instead.
      let bodyFailed = false;
      // A malformed or cut body errors busboy's file stream (the parser's 'error' answers for it).
      stream.on('error', (error) => {
        bodyFailed = true;
        limit.destroy(error);
      });
      stream.pipe(limit);
      writes.push(
        pipeline(limit, createWriteStream(path, { flags: 'wx' }))
          .then(
            () => {
              if (limit.exceeded) refuse(413, `file ${name} is ${limit.bytes} bytes, above the limit of ${options.maxFileBytes}`);
              else spooled.push({ name, kind, path, bytes: limit.bytes, position });
            },
            (error: NodeJS.ErrnoException) => {
              if (!interrupted && !bodyFailed) refuse(...storageFailure(`file ${name}`, error));
              stream.unpipe(limit);
              if (!stream.destroyed) stream.resume();
            },
          )
          .finally(() => {
            openStreams.delete(stream);
            openStreams.delete(limit);
          }),
      );
    });
    parser.on('filesLimit', () => refuse(413, `an upload may hold at most ${options.maxFiles} files`));
    parser.on('error', (error: Error) => {
      // A malformed body. The rest of it is drained by DrainUploadBodyFilter before the 400 goes out.
      if (interrupted) return;
      interrupted = true;
      request.unpipe(parser);
      for (const stream of openStreams) stream.destroy();
      void Promise.allSettled(writes).then(() => settle(() => reject(new UploadRejectedError(400, `malformed multipart body: ${error.message}`))));
    });
    parser.on('close', () => {
      if (interrupted) return;
      Promise.all(writes).then(
        () => settle(() => (problem ? reject(problem) : resolve(inUploadOrder()))),
        (error) => settle(() => reject(error)),
      );
    });

    request.on('close', onRequestClosed);
    // Errors of an aborted request are handled by 'close'; without a listener they would crash the process.
    request.on('error', () => undefined);
    request.pipe(parser);
  });
}
