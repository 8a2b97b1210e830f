import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { Readable, Transform, TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, Dispatcher, request } from 'undici';

/** Sent with every request, so carriers can tell who reads their files and how to reach the project. */
export const FEED_USER_AGENT = 'coverage-transparency-api/0.1 (QHP machine-readable file fetcher)';

export interface HttpSettings {
  connectTimeoutMs: number;
  /** Longest wait for the response headers, and longest silence between two body chunks. */
  idleTimeoutMs: number;
  retries: number;
  retryBaseMs: number;
  maxRetryAfterMs: number;
  maxRedirects: number;
  maxFileBytes: number;
}

/** Validators of the copy we already have: sent as If-None-Match / If-Modified-Since. */
export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

export interface Download {
  url: string;
  /** Where the body came from after redirects. */
  finalUrl: string;
  status: number;
  /** 304: the copy we have is current; nothing was written. */
  notModified: boolean;
  /** Decoded bytes written to the spool file. */
  bytes: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** SHA-256 of the decoded body, the bytes of the spool file (a load following the file takes it as its digest); null when not modified. */
  sha256: string | null;
  durationMs: number;
  attempts: number;
}

export type DownloadFailureCode =
  | 'INVALID_URL'
  | 'INSECURE_URL'
  | 'HTTP_STATUS'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'TRUNCATED'
  | 'BAD_ENCODING'
  | 'REDIRECT_LOOP'
  | 'TOO_MANY_REDIRECTS'
  | 'HTML_NOT_JSON'
  | 'TOO_LARGE'
  | 'ABORTED';

/** A URL that could not be fetched; the message names the URL, the status and where the body broke off. */
export class DownloadError extends Error {
  constructor(
    public readonly code: DownloadFailureCode,
    message: string,
    public readonly url: string,
    public readonly status: number | null = null,
    /** Bytes of the body received before the failure (decoded bytes unless the failure is in decoding). */
    public readonly byteOffset: number | null = null,
    public readonly retryable = false,
    public readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
  attempts = 1;
}

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Whether a URL points at this machine (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackUrl(raw: string): boolean {
  try {
    return isLoopback(new URL(raw).hostname);
  } catch {
    return false;
  }
}

/**
 * Carriers' files are fetched over HTTPS only: a plain-HTTP link could be altered on the way. Loopback
 * hosts are the exception (local mirrors, tests), and only when the feed itself is on loopback
 * (`allowLoopback`): a public index or redirect must not make the server fetch from its own machine.
 */
export function checkFetchableUrl(raw: string, allowLoopback = true): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError('INVALID_URL', `${raw} is not a URL`, raw);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DownloadError('INVALID_URL', `${raw}: only https:// URLs can be fetched (got ${url.protocol}//)`, raw);
  }
  if (isLoopback(url.hostname)) {
    if (allowLoopback) return url;
    throw new DownloadError('INSECURE_URL', `${raw}: refused, a public feed may not point to this machine (${url.hostname})`, raw);
  }
  if (url.protocol === 'https:') return url;
  throw new DownloadError('INSECURE_URL', `${raw}: plain HTTP to ${url.host} refused; carriers' files are fetched over HTTPS only`, raw);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusLine(status: number): string {
  return `HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Exponential backoff with full jitter: a random delay up to base * 2^attempt. */
export function backoffMs(attempt: number, baseMs: number): number {
  return Math.round(Math.random() * baseMs * 2 ** attempt);
}

function decoderFor(encoding: string | null, url: string): Transform | null {
  const value = (encoding ?? 'identity').trim().toLowerCase();
  if (value === 'identity' || value === '') return null;
  if (value === 'gzip' || value === 'x-gzip') return createGunzip();
  if (value === 'deflate') return createInflate();
  if (value === 'br') return createBrotliDecompress();
  throw new DownloadError('BAD_ENCODING', `${url}: unsupported Content-Encoding "${encoding}"`, url);
}

/** Counts the bytes as they pass. */
class ByteCounter extends Transform {
  bytes = 0;
  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    done(null, chunk);
  }
}

/**
 * Hashes and counts the decoded body as it streams, stops it at the size cap, and refuses an HTML page
 * where JSON is expected (a carrier's error page served with status 200 and a JSON content type).
 */
class BodyInspector extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  private sniffed = false;

  constructor(
    private readonly url: string,
    private readonly maxBytes: number,
    private readonly status: number,
    private readonly contentType: string | null,
  ) {
    super();
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.sniffed) {
      const text = chunk
        .toString('utf8', 0, Math.min(chunk.length, 512))
        .replace(/^\uFEFF/, '')
        .trimStart();
      if (text.length) {
        this.sniffed = true;
        if (text.startsWith('<')) {
          const start = text.slice(0, 60).replace(/\s+/g, ' ');
          done(
            new DownloadError(
              'HTML_NOT_JSON',
              `${this.url}: an HTML page was served instead of JSON (status ${this.status}, Content-Type ${this.contentType ?? 'none'}), starting "${start}"`,
              this.url,
              this.status,
              this.bytes,
            ),
          );
          return;
        }
      }
    }
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      done(tooLarge(this.url, this.status, this.maxBytes, `more than ${this.maxBytes} bytes received`, this.bytes));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }
}

function tooLarge(url: string, status: number, maxBytes: number, what: string, offset: number | null): DownloadError {
  return new DownloadError('TOO_LARGE', `${url}: file over the size limit of ${maxBytes} bytes (${what})`, url, status, offset);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Turns an error of undici, zlib or the file system into a DownloadError saying where the body broke off. */
function classify(
  error: unknown,
  url: string,
  status: number | null,
  received: number | null,
  compressedAt: number | null,
  expected: number | null,
): DownloadError {
  if (error instanceof DownloadError) return error;
  const err = error as NodeJS.ErrnoException & { code?: string };
  const code = err?.code ?? '';
  const at = received === null ? '' : ` after ${received} bytes${expected !== null ? ` of ${expected}` : ''}`;
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new DownloadError('TIMEOUT', `${url}: the body stalled${at} (no data for the idle timeout)`, url, status, received, true);
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    const what = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting' : 'waiting for the response headers';
    return new DownloadError('TIMEOUT', `${url}: timed out ${what}`, url, status, received, true);
  }
  if (code.startsWith('Z_') || /incorrect header check|invalid (block type|distance)|unexpected end of file|Decompression failed/i.test(err?.message ?? '')) {
    return new DownloadError(
      'BAD_ENCODING',
      `${url}: the compressed body is corrupt (${err.message}) at compressed byte ${compressedAt ?? 0}, after ${received ?? 0} decoded bytes`,
      url,
      status,
      received,
    );
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || (received !== null && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET'))) {
    return new DownloadError('TRUNCATED', `${url}: the connection closed mid-body${at} (${err.message})`, url, status, received, true);
  }
  if (code === 'UND_ERR_ABORTED' || err?.name === 'AbortError') return new DownloadError('ABORTED', `${url}: aborted`, url, status, received);
  if (NETWORK_CODES.has(code) || code.startsWith('UND_ERR')) {
    return new DownloadError('NETWORK', `${url}: network error${at}: ${err.message}${code ? ` (${code})` : ''}`, url, status, received, true);
  }
  return new DownloadError('NETWORK', `${url}: ${err?.message ?? String(error)}`, url, status, received, false);
}

/** Drops a body we will not read; its abort error has nowhere to go. */
function discard(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

export interface DownloadRequest {
  url: string;
  /** Spool file the decoded body is written to. */
  dest: string;
  validators?: Validators;
  signal?: AbortSignal;
  /** Loopback hosts may be fetched (the feed itself is on loopback); default true. */
  allowLoopback?: boolean;
  /** Told when a body starts (again, after a retry) and how much of it is on disk, for a reader that follows the spool file. */
  onBody?: BodyObserver;
}

export interface BodyObserver {
  /** A body starts at byte 0 of the spool file; its decoded size when the response says it (no Content-Encoding). */
  started(expectedBytes: number | null): void;
  /** `bytes` decoded bytes are written to the spool file. */
  written(bytes: number): void;
}

/**
 * A body's chunks (tens of KB each, as the socket delivers them) are gathered into writes of up to this
 * size: each write is a round trip through libuv's thread pool, and one per chunk cost the downloading
 * thread more than the bytes did.
 */
const SPOOL_WRITE_BYTES = 1024 * 1024;
/** What was gathered is written once no chunk came for this long, so a reader follows a slow body closely. */
const SPOOL_IDLE_MS = 20;

/**
 * Writes the spool file, in writes of up to SPOOL_WRITE_BYTES, one at a time, and reports each once it
 * is on disk, so a reader never reads past what is written.
 */
class ObservedSpoolWriter extends Writable {
  private handle: FileHandle | null = null;
  private bytes = 0;
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private idle: NodeJS.Timeout | null = null;
  /** The writes so far, in order; rejected once one failed. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly observer: BodyObserver,
  ) {
    super();
  }

  _construct(done: (error?: Error | null) => void): void {
    open(this.path, 'w').then((handle) => {
      this.handle = handle;
      done();
    }, done);
  }

  _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.gather([chunk], done);
  }

  /** The chunks that arrived while the previous write was under way. */
  _writev(chunks: Array<{ chunk: Buffer }>, done: (error?: Error | null) => void): void {
    this.gather(
      chunks.map(({ chunk }) => chunk),
      done,
    );
  }

  _final(done: (error?: Error | null) => void): void {
    this.flush().then(() => done(), done);
  }

  private gather(buffers: Buffer[], done: (error?: Error | null) => void): void {
    for (const buffer of buffers) {
      this.gathered.push(buffer);
      this.gatheredBytes += buffer.length;
    }
    // A full write holds the body back until it is on disk: memory stays bounded whatever the network's pace.
    if (this.gatheredBytes >= SPOOL_WRITE_BYTES) return void this.flush().then(() => done(), done);
    this.idle ??= setTimeout(() => {
      this.idle = null;
      this.flush().catch((error: Error) => this.destroy(error));
    }, SPOOL_IDLE_MS);
    done();
  }

  /** Writes what was gathered after the writes under way; resolves once all of it is on disk. */
  private flush(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    const buffers = this.gathered;
    const length = this.gatheredBytes;
    this.gathered = [];
    this.gatheredBytes = 0;
    if (length) {
      this.writing = this.writing.then(async () => {
        const { bytesWritten } = await this.handle!.writev(buffers);
        if (bytesWritten !== length) throw new Error(`${this.path}: short write (${bytesWritten} of ${length} bytes)`);
        this.bytes += length;
        this.observer.written(this.bytes);
      });
    }
    return this.writing;
  }

  _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    // Closed once the write under way is done (what was only gathered is dropped with the body).
    void this.writing
      .catch(() => undefined)
      .then(async () => {
        const handle = this.handle;
        this.handle = null;
        await handle?.close().catch(() => undefined);
        done(error);
      });
  }
}

/**
 * Downloads one URL to a spool file with undici: HTTPS only (but loopback), redirects followed up to a
 * bound and checked hop by hop, gzip/deflate/br decoded as the body streams, retries with jittered
 * exponential backoff on network errors, 429 and 5xx (Retry-After honoured), conditional requests, and
 * a size cap. Memory stays bounded: the body goes through the hash to the file chunk by chunk.
 */
export class HttpDownloader {
  private readonly agent: Agent;

  constructor(private readonly settings: HttpSettings) {
    this.agent = new Agent({
      connect: { timeout: settings.connectTimeoutMs },
      headersTimeout: settings.idleTimeoutMs,
      bodyTimeout: settings.idleTimeoutMs,
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  async download(req: DownloadRequest): Promise<Download> {
    const startedAt = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.once(req);
        return { ...result, attempts: attempt + 1, durationMs: Date.now() - startedAt };
      } catch (error) {
        const failure = req.signal?.aborted ? new DownloadError('ABORTED', `${req.url}: aborted`, req.url) : classify(error, req.url, null, null, null, null);
        failure.attempts = attempt + 1;
        if (!failure.retryable || attempt >= this.settings.retries) throw failure;
        const delay = failure.retryAfterMs ?? backoffMs(attempt, this.settings.retryBaseMs);
        if (delay > this.settings.maxRetryAfterMs) throw failure;
        await sleep(delay, undefined, { signal: req.signal });
      }
    }
  }

  private async once(req: DownloadRequest): Promise<Omit<Download, 'attempts' | 'durationMs'>> {
    const visited = new Set<string>();
    let current = req.url;
    for (let hop = 0; ; hop++) {
      checkFetchableUrl(current, req.allowLoopback ?? true);
      visited.add(current);
      const headers: Record<string, string> = { 'user-agent': FEED_USER_AGENT, 'accept-encoding': 'gzip, deflate, br', accept: 'application/json, */*;q=0.5' };
      if (req.validators?.etag) headers['if-none-match'] = req.validators.etag;
      if (req.validators?.lastModified) headers['if-modified-since'] = req.validators.lastModified;
      const response = await request(current, { dispatcher: this.agent, method: 'GET', headers, signal: req.signal });
      const status = response.statusCode;
      const contentType = header(response.headers, 'content-type');
      const etag = header(response.headers, 'etag');
      const lastModified = header(response.headers, 'last-modified');
      const base = { url: req.url, finalUrl: current, status, contentType, etag, lastModified };

      if (status >= 300 && status < 400 && status !== 304) {
        await response.body.dump();
        const location = header(response.headers, 'location');
        if (!location) throw new DownloadError('HTTP_STATUS', `${current}: ${statusLine(status)} redirect without a Location`, req.url, status);
        const next = new URL(location, current).href;
        if (visited.has(next)) {
          throw new DownloadError('REDIRECT_LOOP', `${req.url}: redirect loop (${[...visited, next].join(' -> ')})`, req.url, status);
        }
        if (hop >= this.settings.maxRedirects) {
          throw new DownloadError('TOO_MANY_REDIRECTS', `${req.url}: more than ${this.settings.maxRedirects} redirects (last to ${next})`, req.url, status);
        }
        current = next;
        continue;
      }
      if (status === 304) {
        await response.body.dump();
        return {
          ...base,
          etag: etag ?? req.validators?.etag ?? null,
          lastModified: lastModified ?? req.validators?.lastModified ?? null,
          notModified: true,
          bytes: 0,
          sha256: null,
        };
      }
      if (status === 429 || status >= 500) {
        await response.body.dump().catch(() => undefined);
        const after = retryAfterMs(header(response.headers, 'retry-after'));
        throw new DownloadError('HTTP_STATUS', `${current}: ${statusLine(status)}`, req.url, status, null, true, after);
      }
      if (status < 200 || status >= 300) {
        await response.body.dump().catch(() => undefined);
        throw new DownloadError('HTTP_STATUS', `${current}: ${statusLine(status)}`, req.url, status);
      }
      return { ...base, ...(await this.saveBody(req, current, response, status, contentType)), notModified: false };
    }
  }

  private async saveBody(
    req: DownloadRequest,
    url: string,
    response: Dispatcher.ResponseData,
    status: number,
    contentType: string | null,
  ): Promise<{ bytes: number; sha256: string }> {
    const declared = header(response.headers, 'content-length');
    const expected = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null;
    if (expected !== null && expected > this.settings.maxFileBytes) {
      discard(response.body);
      throw tooLarge(url, status, this.settings.maxFileBytes, `Content-Length ${expected}`, 0);
    }
    const counter = new ByteCounter();
    const inspector = new BodyInspector(url, this.settings.maxFileBytes, status, contentType);
    let decoder: Transform | null;
    try {
      decoder = decoderFor(header(response.headers, 'content-encoding'), url);
    } catch (error) {
      discard(response.body);
      throw error;
    }
    req.onBody?.started(decoder ? null : expected);
    const sink = req.onBody ? new ObservedSpoolWriter(req.dest, req.onBody) : createWriteStream(req.dest);
    // The compressed bytes are counted only when there are some (they locate a decoding error).
    const stages: Array<Readable | Transform | Writable> = [response.body, ...(decoder ? [counter, decoder] : []), inspector, sink];
    try {
      await pipeline(stages as unknown as [Readable, Writable], { signal: req.signal });
    } catch (error) {
      discard(response.body);
      throw classify(error, url, status, inspector.bytes, decoder ? counter.bytes : inspector.bytes, expected);
    }
    return { bytes: inspector.bytes, sha256: inspector.hash.digest('hex') };
  }
}
