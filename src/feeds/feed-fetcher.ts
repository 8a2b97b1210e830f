import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { FeedConfig } from '../config/app-config';
import { Semaphore } from '../database/database';
import { ImportError, ImportFile, ImportProgress, ImportResult } from '../ingest/import-contract';
import { QhpImporter } from '../ingest/qhp-importer';
import { GrowingFile } from '../ingest/read/growing-file';
import { FeedFileKind, FeedFileRow, FeedRow, FeedSource, FeedStore, FileCheck } from './feed-store';
import { BodyObserver, Download, DownloadError, HttpDownloader, isLoopbackUrl } from './http-download';

/** An index is a small document; anything bigger is not one. */
const MAX_INDEX_BYTES = 10 * 1024 * 1024;
/** Files of one feed downloaded at once. */
const FILES_AT_ONCE = 4;

export type FeedOutcome = 'published' | 'unchanged' | 'not-modified' | 'failed';

export interface FeedRunResult {
  issuerId: string;
  indexUrl: string;
  /**
   * published: a new version; unchanged: downloaded, but the same content as the published version;
   * not-modified: every URL answered 304 (nothing downloaded or loaded); failed: see error.
   */
  outcome: FeedOutcome;
  versionId: number | null;
  errorCode: string | null;
  error: string | null;
  import: ImportResult | null;
  durationMs: number;
}

export interface FeedFetcherOptions {
  loadedBy?: string;
  parseWorkers?: number;
  onProgress?: (issuerId: string, progress: ImportProgress) => void;
}

interface ListedFile {
  url: string;
  kind: Exclude<FeedFileKind, 'index'>;
}

interface Fetched extends ListedFile {
  path: string;
  download: Download;
}

/** The check was interrupted (shutdown, Ctrl-C): nothing of it is recorded as the feed's state. */
export class FeedCheckAborted extends Error {
  constructor(readonly issuerId: string) {
    super(`the check of issuer ${issuerId}'s feed was interrupted`);
  }
}

/** A whole-feed failure: the code, and the message the feed's health record shows. */
class FeedFailure extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const INDEX_KEYS: Array<{ key: string; kind: ListedFile['kind']; required: boolean }> = [
  { key: 'plan_urls', kind: 'plans', required: true },
  { key: 'provider_urls', kind: 'providers', required: true },
  { key: 'formulary_urls', kind: 'drugs', required: false },
];

/** The files an index lists, each URL resolved against the index's own URL (relative links are common). */
export function filesOfIndex(text: string, indexUrl: string): ListedFile[] {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new FeedFailure('INVALID_INDEX', `${indexUrl} is not JSON: ${(error as Error).message.slice(0, 200)}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new FeedFailure('INVALID_INDEX', `${indexUrl}: expected an object with plan_urls, provider_urls and formulary_urls`);
  }
  const record = document as Record<string, unknown>;
  const files: ListedFile[] = [];
  const seen = new Set<string>();
  for (const { key, kind, required } of INDEX_KEYS) {
    const value = record[key];
    if (value == null && !required) continue;
    if (!Array.isArray(value) || value.some((url) => typeof url !== 'string' || url.trim() === '')) {
      throw new FeedFailure('INVALID_INDEX', `${indexUrl}: $.${key} ${value == null ? 'is missing' : 'is not an array of URLs'}`);
    }
    if (required && value.length === 0) throw new FeedFailure('INVALID_INDEX', `${indexUrl}: $.${key} is empty (at least one URL is required)`);
    (value as string[]).forEach((raw, i) => {
      let url: string;
      try {
        url = new URL(raw.trim(), indexUrl).href;
      } catch {
        throw new FeedFailure('INVALID_INDEX', `${indexUrl}: $.${key}[${i}] "${raw}" is not a URL`);
      }
      if (seen.has(url)) return;
      seen.add(url);
      files.push({ url, kind });
    });
  }
  return files;
}

/** "at byte 1234" and "$[12].plans[0]" in an importer message, for the health record's own columns. */
function locationOf(message: string): { byteOffset: number | null; jsonPath: string | null } {
  const byte = /\bbyte (\d+)/.exec(message);
  const path = /(\$(?:\[\d+\]|\.[A-Za-z_][\w]*)+)/.exec(message);
  return { byteOffset: byte ? Number(byte[1]) : null, jsonPath: path ? path[1] : null };
}

function healthOf(file: { url: string; kind: FeedFileKind }, download: Download, previous: FeedFileRow | undefined): FileCheck {
  const changed = download.notModified ? false : previous?.sha256 ? previous.sha256 !== download.sha256 : true;
  return {
    url: file.url,
    kind: file.kind,
    httpStatus: download.status,
    bytes: download.notModified ? null : download.bytes,
    contentType: download.contentType,
    downloadMs: download.durationMs,
    changed,
    etag: download.etag,
    lastModified: download.lastModified,
    sha256: download.sha256,
    ok: true,
    errorCode: null,
    error: null,
    byteOffset: null,
    jsonPath: null,
    recordsRejected: null,
    validationSummary: null,
  };
}

function failureHealth(file: { url: string; kind: FeedFileKind }, error: DownloadError): FileCheck {
  return {
    url: file.url,
    kind: file.kind,
    httpStatus: error.status,
    bytes: error.byteOffset,
    contentType: null,
    downloadMs: null,
    changed: null,
    etag: null,
    lastModified: null,
    sha256: null,
    ok: false,
    errorCode: error.code,
    error: error.attempts > 1 ? `${error.message} (after ${error.attempts} attempts)` : error.message,
    byteOffset: error.byteOffset,
    jsonPath: null,
    recordsRejected: null,
    validationSummary: null,
  };
}

/** Runs `work` over `items`, at most `limit` at a time, results in item order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Follows what carriers publish: downloads an issuer's cms-data-index.json and the files it lists to a
 * spool directory, records every URL's health, and loads changed files through the QHP importer as one
 * new dataset version. Whatever fails, the published version stays as it is.
 */
export class FeedFetcher {
  readonly store: FeedStore;
  private readonly http: HttpDownloader;
  private readonly importer: QhpImporter;

  constructor(
    db: DataSource,
    private readonly config: FeedConfig,
    private readonly options: FeedFetcherOptions = {},
  ) {
    this.store = new FeedStore(db);
    this.http = new HttpDownloader(config);
    this.importer = new QhpImporter(db);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** Downloads a URL (the PUF, say) to `dest` with the same HTTP settings; throws DownloadError. */
  download(url: string, dest: string, signal?: AbortSignal): Promise<Download> {
    return this.http.download({ url, dest, signal });
  }

  /** Every issuer of a Machine-Readable URL PUF, each into its own version, `concurrency` at a time. */
  async fetchAll(sources: readonly FeedSource[], onResult?: (result: FeedRunResult) => void, signal?: AbortSignal): Promise<FeedRunResult[]> {
    return mapBounded(sources, this.config.concurrency, async (source) => {
      const result = await this.fetch(source, signal);
      onResult?.(result);
      return result;
    });
  }

  /**
   * Registers (or re-points) the issuer's feed, then checks it. An index URL that cannot be fetched (plain
   * HTTP, not a URL) is registered too: its feed is then reported broken, which is what a reader needs to know.
   */
  async fetch(source: FeedSource, signal?: AbortSignal): Promise<FeedRunResult> {
    await this.store.register(source);
    return this.check(source.issuerId, signal);
  }

  /** Checks every registered feed, `concurrency` at a time; one feed's failure does not stop the others. */
  async refreshAll(signal?: AbortSignal, onResult?: (result: FeedRunResult) => void): Promise<FeedRunResult[]> {
    const feeds = await this.store.feeds();
    return mapBounded(feeds, this.config.concurrency, async (feed) => {
      const result = await this.check(feed.issuerId, signal);
      onResult?.(result);
      return result;
    });
  }

  async check(issuerId: string, signal?: AbortSignal): Promise<FeedRunResult> {
    const feed = await this.store.feed(issuerId);
    if (!feed) throw new Error(`no feed registered for issuer ${issuerId}`);
    const startedAt = Date.now();
    const spool = await mkdtemp(join(this.config.spoolDir ?? tmpdir(), `feed-${issuerId}-`));
    const finish = async (outcome: FeedOutcome, fields: Partial<FeedRunResult> & { contentChanged?: boolean } = {}): Promise<FeedRunResult> => {
      // An interrupted check says nothing about the feed: its record keeps the last finished check.
      if (signal?.aborted) throw new FeedCheckAborted(issuerId);
      const durationMs = Date.now() - startedAt;
      const broken = outcome === 'failed';
      if (broken) await this.store.forgetValidators(issuerId);
      await this.store.recordFeed(issuerId, {
        status: broken ? 'broken' : 'ok',
        outcome,
        error: fields.error ?? null,
        contentChanged: fields.contentChanged ?? false,
        versionId: fields.versionId ?? null,
        checkMs: durationMs,
      });
      return {
        issuerId,
        indexUrl: feed.indexUrl,
        outcome,
        versionId: fields.versionId ?? null,
        errorCode: fields.errorCode ?? null,
        error: fields.error ?? null,
        import: fields.import ?? null,
        durationMs,
      };
    };
    try {
      return await this.run(feed, spool, finish, signal);
    } catch (error) {
      if (error instanceof FeedCheckAborted) throw error;
      if (signal?.aborted) throw new FeedCheckAborted(issuerId);
      const failure =
        error instanceof FeedFailure || error instanceof DownloadError ? error : new FeedFailure('FETCH_FAILED', (error as Error).message ?? String(error));
      return finish('failed', { errorCode: failure.code, error: failure.message });
    } finally {
      await rm(spool, { recursive: true, force: true });
    }
  }

  private async run(
    feed: FeedRow,
    spool: string,
    finish: (outcome: FeedOutcome, fields?: Partial<FeedRunResult> & { contentChanged?: boolean }) => Promise<FeedRunResult>,
    signal?: AbortSignal,
  ): Promise<FeedRunResult> {
    const { issuerId, indexUrl } = feed;
    const previous = new Map((await this.store.files([issuerId])).map((row) => [row.url, row]));
    // Validators are trusted only while the last check loaded (or confirmed) the files: after a failure, everything is fetched again.
    const conditional = feed.status === 'ok';
    const validatorsOf = (url: string) => {
      const row = previous.get(url);
      return conditional && row?.ok && row.sha256 ? { etag: row.etag, lastModified: row.lastModified } : undefined;
    };

    let index = await this.get(issuerId, indexUrl, { url: indexUrl, kind: 'index' }, join(spool, 'index.json'), validatorsOf(indexUrl), previous, signal);
    let listed: ListedFile[] | null = null;
    if (index.download.notModified) {
      const known = [...previous.values()].filter((row) => row.listed && row.kind !== 'index') as Array<FeedFileRow & ListedFile>;
      if (known.length) listed = known.map(({ url, kind }) => ({ url, kind }));
      else index = await this.get(issuerId, indexUrl, { url: indexUrl, kind: 'index' }, join(spool, 'index.json'), undefined, previous, signal);
    }
    if (!listed) {
      try {
        if (index.download.bytes > MAX_INDEX_BYTES)
          throw new FeedFailure('INVALID_INDEX', `${indexUrl}: ${index.download.bytes} bytes is too big for an index`);
        listed = filesOfIndex(await readFile(index.path, 'utf8'), indexUrl);
      } catch (error) {
        const failure = error as FeedFailure;
        await this.store.annotateFile(issuerId, indexUrl, {
          ok: false,
          errorCode: failure.code,
          error: failure.message,
          jsonPath: locationOf(failure.message).jsonPath,
        });
        throw failure;
      }
    }
    await this.store.setListed(issuerId, listed);

    // Every listed URL is checked, even after one fails, so the health record shows every broken link at once.
    // The files download at once (a few at a time, in load order), each to its spool file, and the load follows
    // them as they grow: it starts once the plans files are complete (everything else is checked against them)
    // and the first providers file's body is arriving, and reads the drug files once the providers are read.
    const fetched: Array<Fetched | DownloadError | undefined> = new Array(listed.length);
    const spoolOf = (i: number) => join(spool, `${i}-${listed[i].kind}.json`);
    const growing = listed.map((file, i) => new GrowingFile(spoolOf(i), file.url));
    const fetchOne = (i: number, conditional: boolean) =>
      this.get(issuerId, indexUrl, listed[i], spoolOf(i), conditional ? validatorsOf(listed[i].url) : undefined, previous, signal, observe(i)).catch(
        (error: unknown) => {
          if (error instanceof DownloadError) return error;
          throw error;
        },
      );
    const answered = (item: Fetched | DownloadError | undefined): item is Fetched => item !== undefined && !(item instanceof DownloadError);
    const planIndexes = listed.flatMap((file, i) => (file.kind === 'plans' ? [i] : []));
    const firstProviders = listed.findIndex((file) => file.kind === 'providers');
    // Something answered 200: the load needs every file, so none is asked conditionally any more.
    let changed = !index.download.notModified;
    // A download that fails for good stops the load that follows the files: nothing of it can be published.
    const stopLoad = new AbortController();
    let firstBodyStarted = false;
    let loadable!: () => void;
    const canLoad = new Promise<void>((resolve) => (loadable = resolve));
    const progressed = () => {
      const plansComplete = planIndexes.every((i) => answered(fetched[i]) && !(fetched[i] as Fetched).download.notModified);
      if (plansComplete && firstBodyStarted && !stopLoad.signal.aborted) loadable();
    };
    function observe(i: number): BodyObserver {
      return {
        started: (expectedBytes) => {
          growing[i].started(expectedBytes);
          if (i === firstProviders) firstBodyStarted = true;
          changed = true;
          downloadUnchanged();
          progressed();
        },
        written: (bytes) => growing[i].grew(bytes),
      };
    }
    // Downloads wait for one of FILES_AT_ONCE slots, the earliest file in load order first.
    const slots = new Semaphore(FILES_AT_ONCE);
    const inSlot = async (i: number, work: () => Promise<void>): Promise<void> => {
      const release = await slots.acquire(i);
      try {
        await work();
      } finally {
        release();
      }
    };
    const pending: Array<Promise<void>> = [];
    // Asked conditionally only while nothing has answered 200.
    const download = (i: number, conditional: boolean) => {
      const done = inSlot(i, async () => settle(i, await fetchOne(i, conditional && !changed)));
      done.catch(() => undefined); // awaited below, possibly after it has failed
      pending.push(done);
    };
    const settle = (i: number, item: Fetched | DownloadError) => {
      fetched[i] = item;
      if (!answered(item)) {
        growing[i].fail(item);
        stopLoad.abort(item);
      } else if (!item.download.notModified) {
        changed = true;
        growing[i].complete({ bytes: item.download.bytes, sha256: item.download.sha256! });
      }
      downloadUnchanged();
      progressed();
    };
    // Some files changed: the ones that answered 304 are downloaded after all, as soon as that is known.
    const refetched = new Set<number>();
    function downloadUnchanged(): void {
      if (!changed) return;
      for (const [j, other] of fetched.entries()) {
        if (answered(other) && other.download.notModified && !refetched.has(j)) {
          refetched.add(j);
          download(j, false);
        }
      }
    }
    const downloads = (async () => {
      try {
        for (const i of listed.keys()) download(i, true);
        // Settling a download may start another (a 304 downloaded after all): wait until none is left.
        let failure: { reason: unknown } | undefined;
        for (let settled = 0; settled < pending.length;) {
          const batch = pending.slice(settled);
          settled = pending.length;
          failure ??= (await Promise.allSettled(batch)).find((outcome) => outcome.status === 'rejected');
        }
        if (failure) throw failure.reason;
      } finally {
        // A file that will not be written any further ends its reader (an aborted check, a 304 kept).
        for (const file of growing) if (!file.done) file.fail(new Error(`${file.name} was not downloaded`));
      }
    })();
    downloads.catch(() => undefined);

    let importing: Promise<ImportResult | ImportError> | null = null;
    if (await Promise.race([canLoad.then(() => true), downloads.then(() => false)])) {
      const loadSignal = signal ? AbortSignal.any([signal, stopLoad.signal]) : stopLoad.signal;
      importing = this.load(
        feed,
        listed.map((file, i) => ({ path: spoolOf(i), name: file.url, kind: file.kind, growing: growing[i] })),
        loadSignal,
      );
      importing.catch(() => undefined);
    }
    try {
      await downloads;
    } catch (error) {
      await importing?.catch(() => undefined);
      throw error;
    }

    const failures = fetched.filter((item): item is DownloadError => item instanceof DownloadError);
    if (failures.length) {
      // A broken download fails the load that followed it: nothing of it is published.
      await importing?.catch(() => undefined);
      const first = failures[0];
      const more = failures.length > 1 ? ` (and ${failures.length - 1} more broken URL${failures.length > 2 ? 's' : ''})` : '';
      return finish('failed', { errorCode: first.code, error: `${first.message}${more}` });
    }
    const files = fetched as Fetched[];
    if (!importing && index.download.notModified && files.every((file) => file.download.notModified)) return finish('not-modified');
    // Some files changed: the load needs them all, so the ones that answered 304 are downloaded after all.
    for (const [i, file] of files.entries()) {
      if (file.download.notModified) files[i] = await this.get(issuerId, indexUrl, file, file.path, undefined, previous, signal);
    }
    const contentChanged =
      (!index.download.notModified && index.download.sha256 !== previous.get(indexUrl)?.sha256) ||
      files.some((file) => file.download.sha256 !== previous.get(file.url)?.sha256);

    const onDisk = () => files.map((file) => ({ path: file.path, name: file.url, kind: file.kind }));
    let outcome = await (importing ?? this.load(feed, onDisk(), signal));
    // A download retried from scratch after the load had read part of it: the load runs again, from the complete file.
    if (outcome instanceof ImportError && growing.some((file) => file.starts > 1)) outcome = await this.load(feed, onDisk(), signal);
    if (outcome instanceof ImportError) {
      const error = outcome;
      const where = error.file && files.some((file) => file.url === error.file) ? error.file : null;
      if (where) await this.store.annotateFile(issuerId, where, { ok: false, errorCode: error.code, error: error.message, ...locationOf(error.message) });
      return finish('failed', {
        errorCode: error.code,
        error: where && !error.message.includes(where) ? `${where}: ${error.message}` : error.message,
        versionId: null,
      });
    }
    const result = outcome;
    await this.recordValidation(issuerId, files, result);
    return finish(result.unchanged ? 'unchanged' : 'published', {
      versionId: result.versionId,
      import: result,
      contentChanged: !result.unchanged && contentChanged,
    });
  }

  /** Loads the files as one version; an ImportError is returned (the check records it), anything else thrown. */
  private async load(feed: FeedRow, files: ImportFile[], signal?: AbortSignal): Promise<ImportResult | ImportError> {
    const { issuerId } = feed;
    try {
      return await this.importer.import({
        issuerId,
        issuerName: feed.issuerName ?? undefined,
        files,
        source: 'feed',
        loadedBy: this.options.loadedBy ?? 'feed',
        maxFileBytes: this.config.maxFileBytes,
        parseWorkers: this.options.parseWorkers,
        signal,
        onProgress: this.options.onProgress && ((progress) => this.options.onProgress?.(issuerId, progress)),
      });
    } catch (error) {
      if (error instanceof ImportError) return error;
      throw error;
    }
  }

  /** Downloads one URL and records its health (also when it fails: then the DownloadError is thrown). */
  private async get<F extends { url: string; kind: FeedFileKind }>(
    issuerId: string,
    feedIndexUrl: string,
    file: F,
    path: string,
    validators: { etag: string | null; lastModified: string | null } | undefined,
    previous: Map<string, FeedFileRow>,
    signal?: AbortSignal,
    onBody?: BodyObserver,
  ): Promise<F & { path: string; download: Download }> {
    try {
      const download = await this.http.download({ url: file.url, dest: path, validators, signal, allowLoopback: isLoopbackUrl(feedIndexUrl), onBody });
      await this.store.recordFile(issuerId, healthOf(file, download, previous.get(file.url)));
      return { ...file, path, download };
    } catch (error) {
      if (signal?.aborted) throw new FeedCheckAborted(issuerId);
      const failure = error instanceof DownloadError ? error : new DownloadError('NETWORK', `${file.url}: ${(error as Error).message}`, file.url);
      await this.store.recordFile(issuerId, failureHealth(file, failure));
      throw failure;
    }
  }

  /** Each file's rejected records and their reasons, from the load's validation report. */
  private async recordValidation(issuerId: string, files: Fetched[], result: ImportResult): Promise<void> {
    const samples = Object.values(result.report.samples ?? {}).flat();
    for (const file of files) {
      const mine = samples.filter((sample) => sample.file === file.url);
      const byReason = new Map<string, number>();
      for (const sample of mine) byReason.set(sample.reason, (byReason.get(sample.reason) ?? 0) + 1);
      const onlyOfKind = files.filter((other) => other.kind === file.kind).length === 1;
      const rejected = onlyOfKind ? (result.report.rejected?.[file.kind] ?? 0) : new Set(mine.map((sample) => sample.recordIndex)).size;
      const summary = [...byReason].map(([reason, n]) => `${reason} ${n}`).join(', ') || null;
      await this.store.annotateFile(issuerId, file.url, { recordsRejected: rejected, validationSummary: summary });
    }
  }
}
