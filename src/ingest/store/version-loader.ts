import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DATA_KINDS, DataKind, DRUG_PARTITIONED_TABLES, PARTITIONED_TABLES, PROVIDER_PARTITIONED_TABLES } from '../../qhp/version-tables';
import { carryForward, CarriedKind } from './carry-forward';
import { countNetworkSets } from './network-set-counts';
import { COPY_PLAN, CopyPlan, CopyTarget, CopyWriterGroup } from './copy-writer';
import { readDrugCsv, readProviderCsv } from '../read/csv-layout';
import { ImportError, ImportProgress, ImportRequest } from '../import-contract';
import { isDrugKind, isProviderKind, SourceFile } from '../read/input-resolver';
import { JsonArraySplitter, readJsonArray, RecordBatch } from '../read/json-array-reader';
import { FileMeter, meteredChunks, OFF_THREAD_HASH_MIN_BYTES } from '../read/metered-file';
import { ProviderBatchRenderer, ProviderBatchSetup, RenderedProviderBatch } from '../render/provider-batches';
import { DuplicateProviders } from '../render/duplicate-providers';
import { defaultParseWorkers, ProviderWorkerPool, WORKER_MIN_FILE_BYTES } from '../render/provider-worker-pool';
import { PlanCatalog, PlanRecord } from '../validate/qhp-records';
import { DrugRegistry, foreignIssuersOnly, validateDrug, validatePlan, validateProvider } from '../validate/qhp-validator';
import { LoadFailure } from '../validate/reasons';
import { RowRenderer } from '../render/table-rows';
import { IssueSink, JsonRecordLocation, RecordLocation, ReportCollector } from '../validate/validation-report';
import { attachVersionTables, createVersionTables, indexVersionTables, versionTableName } from './version-partitions';
import { LoadOutcome, PublishedVersion, SourceFileDigest } from './version-publisher';
import { sharedZipCentroids, ZipGeocoder } from '../validate/zip-geocoder';

/** One hash over the kinds and contents of the data files, in load order: equal hashes mean identical loads. */
export function contentHashOf(files: ReadonlyArray<Pick<SourceFileDigest, 'kind' | 'sha256'>>): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.kind}:${file.sha256}\n`);
  return hash.digest('hex');
}

type RecordHandler = (record: unknown, at: RecordLocation) => void;

/** Reads (so batches) for the worker threads: fewer, larger messages than the in-thread 64 KB. */
const WORKER_BATCH_BYTES = 256 * 1024;
/** Batches queued or being rendered per worker thread: keeps them busy, memory flat. */
const BATCHES_IN_FLIGHT_PER_WORKER = 3;

/**
 * Who renders a load's providers.json batches: this thread's renderer, and the worker threads when the
 * file is large enough for them (this thread renders while they start).
 */
interface ProviderThreads {
  pool: ProviderWorkerPool | null;
  inThread: ProviderBatchRenderer;
}

/**
 * Streams the files of one load into the tables under `versionId`: plans first (providers and drugs
 * are checked against them), then providers, then drugs; each table through its own COPY.
 */
export class VersionLoader {
  private readonly report = new ReportCollector();
  private readonly catalog = new PlanCatalog();
  private readonly geocoder = new ZipGeocoder();
  /** Providers repeated across the load's providers.json files (exact repeats are left out). */
  private readonly duplicateProviders = new DuplicateProviders();
  private readonly renderer: RowRenderer;
  private readonly copies: CopyPlan;
  private readonly digests: SourceFileDigest[] = [];
  private readonly bytesTotal: number;
  private bytesOfFinishedFiles = 0;
  private recordsRead = 0;
  private nextRecordNo = 0;
  private current: { file: SourceFile; meter: FileMeter } | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly poolSize: number,
    private readonly request: ImportRequest,
    private readonly versionId: number,
    private readonly files: readonly SourceFile[],
    /** The issuer's published version when the load started: the kinds the load brings no file for are carried from it. */
    private readonly published: PublishedVersion | null = null,
  ) {
    this.renderer = new RowRenderer(versionId);
    // The partitioned tables' rows go to the version's own standalone tables (attached once indexed).
    // Created empty by run() and written by its COPY alone, a version table is loaded fresh (no WAL, frozen).
    const toVersionTable = (target: CopyTarget): CopyTarget =>
      PARTITIONED_TABLES.includes(target.layout.table)
        ? { layout: { ...target.layout, table: versionTableName(target.layout.table, versionId) }, freshTable: true }
        : target;
    this.copies = {
      plans: COPY_PLAN.plans.map(toVersionTable),
      providers: COPY_PLAN.providers.map(toVersionTable),
      drugs: COPY_PLAN.drugs.map(toVersionTable),
    };
    this.bytesTotal = files.reduce((sum, file) => sum + file.bytes, 0);
  }

  async run(): Promise<LoadOutcome> {
    await createVersionTables(this.pool, this.versionId);
    const plans = await this.loadPlans(this.files.filter((f) => f.kind === 'plans'));
    const providerFiles = this.files.filter((f) => isProviderKind(f.kind));
    const drugFiles = this.files.filter((f) => isDrugKind(f.kind));
    const brought: Record<DataKind, boolean> = { plans: plans.length > 0, providers: providerFiles.length > 0, drugs: drugFiles.length > 0 };
    const carried = await this.carryForward(DATA_KINDS.filter((kind) => !brought[kind]));
    if (providerFiles.length) await this.loadProviders(providerFiles);
    await this.loadDrugsWhileIndexingProviders(drugFiles);
    await attachVersionTables(this.pool, this.versionId);
    const states = new Set(plans.map((plan) => plan.state));
    const isCarried = (kind: DataKind) => carried.some((c) => c.kind === kind);
    const dropped = Object.assign({}, ...carried.map((c) => c.dropped)) as Record<string, number>;
    return {
      counts: Object.assign(this.report.loadedCounts(), ...carried.map((c) => c.counts)),
      report: {
        ...this.report.toReport(),
        replaced: DATA_KINDS.filter((kind) => brought[kind]),
        carriedForward: carried.map((c) => c.kind),
        carriedFromVersionId: carried.length ? this.published!.id : null,
        ...(Object.keys(dropped).length ? { droppedWithRemovedPlans: dropped } : {}),
      },
      sourceFiles: this.digests,
      contentHash: contentHashOf(this.digests),
      hasProviderFiles: brought.providers || (isCarried('providers') && this.published!.hasProviderFiles),
      hasFormularyFiles: brought.drugs || (isCarried('drugs') && this.published!.hasFormularyFiles),
      state: states.size === 1 ? [...states][0] : null,
    };
  }

  /**
   * The kinds this load brings no file for, copied from the published version (which reported them),
   * unless the load replaces everything. Runs after the plans are loaded (carried rows must name one of
   * them) and before the version's tables are indexed.
   */
  private async carryForward(kinds: DataKind[]): Promise<CarriedKind[]> {
    const from = this.published;
    if (this.request.replaceAll || !from) return [];
    const reported: Record<DataKind, boolean> = { plans: true, providers: from.hasProviderFiles, drugs: from.hasFormularyFiles };
    const carried: CarriedKind[] = [];
    for (const kind of kinds.filter((k) => reported[k])) carried.push(await carryForward(this.pool, kind, from.id, this.versionId));
    return carried;
  }

  /** plans.json is small: read whole, checked as a whole (wrong issuer, empty), then validated and copied. */
  private async loadPlans(files: SourceFile[]): Promise<PlanRecord[]> {
    const raw: Array<{ record: unknown; at: RecordLocation; file: SourceFile }> = [];
    for (const file of files) await this.streamFile(file, (record, at) => raw.push({ record, at, file }));

    const names = files.map((f) => f.name).join(', ');
    if (!raw.length) throw new ImportError(LoadFailure.EMPTY_PLANS, `${names}: the plans list is empty; a load needs at least one plan`, files[0].name);
    const foreign = foreignIssuersOnly(
      raw.map((r) => r.record),
      this.request.issuerId,
    );
    if (foreign) {
      throw new ImportError(
        LoadFailure.WRONG_ISSUER,
        `${names}: none of the ${raw.length} plans belongs to issuer ${this.request.issuerId}; they belong to issuer ${foreign.join(', ')}`,
        files[0].name,
      );
    }

    const plans: PlanRecord[] = [];
    const sinks = new Map(files.map((file) => [file, new IssueSink(file.name, this.report)]));
    for (const { record, at, file } of raw) {
      const plan = validatePlan(record, at, { issues: sinks.get(file)!, issuerId: this.request.issuerId, catalog: this.catalog });
      if (plan) {
        this.catalog.add(plan);
        plans.push(plan);
      }
    }
    if (!plans.length) {
      throw new ImportError(LoadFailure.NO_VALID_PLANS, `${names}: none of the ${raw.length} plans is valid (see the report's samples)`, files[0].name);
    }

    await this.copy(this.copies.plans, async (group) => {
      const [planRows, tierRows, costRows] = group.writers;
      for (const plan of plans) this.renderer.writePlan(plan, planRows, tierRows, costRows);
    });
    return plans;
  }

  /**
   * A provider's record_no is its file's base plus its index in the file (unique in the version,
   * whichever thread renders it); the next file's base follows the last index. providers.json files go
   * through one reader, the splitter and the provider-batch renderer (byte renderer, else the general
   * path), in worker threads or in this one; CSV files through the CSV reader and the general path.
   */
  private async loadProviders(files: SourceFile[]): Promise<void> {
    const setup = this.workerSetup();
    const threads: ProviderThreads = { pool: null, inThread: new ProviderBatchRenderer(setup) };
    try {
      await this.copy(this.copies.providers, async (group) => {
        const [providers, addresses, networks, networkSets] = group.writers;
        for (const file of files) {
          const base = this.nextRecordNo;
          if (file.kind === 'providers') {
            const workers = this.parseWorkersFor(file);
            if (workers > 0 && !threads.pool) threads.pool = new ProviderWorkerPool(workers, setup);
            this.nextRecordNo = base + (await this.streamProvidersJson(file, threads, workers, base, group));
            continue;
          }
          const ctx = { issues: new IssueSink(file.name, this.report), issuerId: this.request.issuerId, catalog: this.catalog, geocoder: this.geocoder };
          const handle: RecordHandler = (raw, at) => {
            this.nextRecordNo = Math.max(this.nextRecordNo, base + at.recordIndex + 1);
            const provider = validateProvider(raw, at, ctx);
            if (provider) this.renderer.writeProvider(base + at.recordIndex, provider, file.name, providers, addresses, networks, networkSets);
          };
          await this.streamFile(file, handle, () => group.drained());
        }
      });
    } finally {
      await threads.pool?.close();
    }
  }

  private workerSetup(): ProviderBatchSetup {
    return { issuerId: this.request.issuerId, versionId: this.versionId, plans: this.catalog.toData(), zipCentroids: sharedZipCentroids() };
  }

  /** Worker threads for this providers.json file: 0 (this thread renders it) unless it is large enough to pay for starting them. */
  private parseWorkersFor(file: SourceFile): number {
    if (this.request.parseWorkers !== undefined) return this.request.parseWorkers;
    return file.bytes >= WORKER_MIN_FILE_BYTES ? defaultParseWorkers() : 0;
  }

  /**
   * This thread reads, hashes and splits the file; the batches are parsed, validated and rendered by
   * the worker threads (`workers` > 0) or by this thread; their rows and reports are taken in file order
   * (same report, same rows either way). At most a few batches per worker are in flight, so memory
   * stays flat. Returns the records read.
   */
  private async streamProvidersJson(
    file: SourceFile,
    { pool, inThread }: ProviderThreads,
    workers: number,
    base: number,
    group: CopyWriterGroup,
  ): Promise<number> {
    const [providers, addresses, networks, networkSets] = group.writers;
    const { meter, chunks } = this.openFile(file, workers > 0 ? WORKER_BATCH_BYTES : undefined);
    const maxInFlight = workers > 0 ? workers * BATCHES_IN_FLIGHT_PER_WORKER : 1;
    const splitter = new JsonArraySplitter(file.name);
    const inFlight: Array<Promise<RenderedProviderBatch>> = [];
    const takeOldest = async (): Promise<void> => {
      const rendered = this.duplicateProviders.filter(await inFlight.shift()!, file.name);
      providers.writeEncodedRows(rendered.providers.bytes, rendered.providers.rows);
      addresses.writeEncodedRows(rendered.addresses.bytes, rendered.addresses.rows);
      networks.writeEncodedRows(rendered.networks.bytes, rendered.networks.rows);
      networkSets.writeEncodedRows(rendered.networkSets.bytes, rendered.networkSets.rows);
      this.report.absorb(rendered.report);
      this.recordsRead += rendered.records;
      this.progress('reading');
      await group.drained();
    };
    try {
      for await (const chunk of chunks) {
        const batch = splitter.split(chunk, true);
        if (batch) {
          const task = { fileName: file.name, batch, recordNoBase: base };
          // While the workers start, this thread renders the batches itself (same renderer, same rows).
          const rendered = workers > 0 && pool?.started ? pool.run(task) : Promise.resolve().then(() => inThread.render(task));
          rendered.catch(() => undefined); // rejections surface when the batch's turn comes (takeOldest)
          inFlight.push(rendered);
        }
        while (inFlight.length >= maxInFlight) await takeOldest();
        this.request.signal?.throwIfAborted();
      }
      splitter.end();
      while (inFlight.length) await takeOldest();
    } finally {
      inFlight.length = 0;
    }
    await this.closeFile(file, meter);
    return splitter.index;
  }

  /**
   * The provider tables are complete once their files are read: their indexes are built while the drug
   * files load, which keep about one core busy, so the other core is not left idle while drugs are read.
   * The network sets are counted (per version, never carried forward) on a session of their own from the
   * moment the provider tables, loaded or carried, are analyzed: counting groups every listing on one
   * core, and beside the index builds it does not leave the other core idle at the end. Then the drug
   * tables' indexes. A failure stops the builds still queued.
   */
  private async loadDrugsWhileIndexingProviders(drugFiles: SourceFile[]): Promise<void> {
    const stopBuilds = new AbortController();
    const signal = this.request.signal ? AbortSignal.any([this.request.signal, stopBuilds.signal]) : stopBuilds.signal;
    // One connection stays free for the heartbeat and other queries, the drug files need theirs for COPY
    // and the counting one.
    const spare = this.poolSize - 1;
    const drugCopyConnections = this.copies.drugs.length;
    let counting: Promise<void> | undefined;
    let countingFailure: unknown;
    const providerIndexes = indexVersionTables(this.pool, spare - drugCopyConnections - 1, this.versionId, PROVIDER_PARTITIONED_TABLES, {
      signal,
      onAnalyzed: () => {
        counting = countNetworkSets(this.pool, this.versionId).catch((error: unknown) => {
          countingFailure = error;
          stopBuilds.abort();
        });
      },
    });
    providerIndexes.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    try {
      if (drugFiles.length) await this.loadDrugs(drugFiles);
      this.request.signal?.throwIfAborted();
      this.progress('indexing');
      await indexVersionTables(this.pool, spare, this.versionId, DRUG_PARTITIONED_TABLES, { signal: this.request.signal });
      await providerIndexes;
      await counting;
      if (countingFailure) throw countingFailure;
    } catch (error) {
      stopBuilds.abort();
      await Promise.allSettled([providerIndexes, counting]);
      // The builds a failed count stopped fail with an abort: the count's own error says what went wrong.
      throw countingFailure ?? error;
    }
  }

  private async loadDrugs(files: SourceFile[]): Promise<void> {
    const drugs = new DrugRegistry(this.catalog.size);
    await this.copy(this.copies.drugs, async (group) => {
      const [drugRows, entryRows] = group.writers;
      for (const file of files) {
        const ctx = { issues: new IssueSink(file.name, this.report), issuerId: this.request.issuerId, catalog: this.catalog, drugs };
        const handle: RecordHandler = (raw, at) => {
          const drug = validateDrug(raw, at, ctx);
          if (drug) this.renderer.writeDrug(drug, file.name, at.recordIndex, drugRows, entryRows);
        };
        await this.streamFile(file, handle, () => group.drained());
      }
    });
  }

  /** Runs `write` with one COPY per table, then waits for PostgreSQL to commit them; any error cancels all. */
  private async copy(targets: CopyTarget[], write: (group: CopyWriterGroup) => Promise<void>): Promise<void> {
    const group = await CopyWriterGroup.open(this.pool, targets);
    try {
      await write(group);
      this.progress('copying');
      await group.finish();
    } catch (error) {
      group.abort(error as Error);
      if (error instanceof Error && error.message.startsWith('COPY into')) {
        throw new ImportError(LoadFailure.COPY_FAILED, error.message, this.current?.file.name);
      }
      throw error;
    }
  }

  /** Starts reading `file`: its bytes in chunks, metered (count, SHA-256, size limit, abort), and shown in progress. */
  private openFile(file: SourceFile, chunkBytes?: number): { meter: FileMeter; chunks: AsyncGenerator<Buffer> } {
    // A file still being written is hashed once, by its downloader, as the bytes are written.
    const meter = new FileMeter(file.growing ? { hashedBy: file.growing } : { offThread: file.bytes >= OFF_THREAD_HASH_MIN_BYTES });
    this.current = { file, meter };
    const chunks = meteredChunks(file.path, meter, {
      name: file.name,
      maxBytes: this.request.maxFileBytes,
      signal: this.request.signal,
      chunkBytes,
      growing: file.growing,
    });
    return { meter, chunks };
  }

  /** `file` was read to its end: its digest joins the load's. */
  private async closeFile(file: SourceFile, meter: FileMeter): Promise<void> {
    this.digests.push({ name: file.name, kind: file.kind, bytes: meter.bytesRead, sha256: await meter.sha256() });
    this.bytesOfFinishedFiles += meter.bytesRead;
    this.current = null;
  }

  private batchesOf(file: SourceFile, chunks: AsyncGenerator<Buffer>): AsyncGenerator<RecordBatch> {
    if (file.kind === 'providers-csv') return readProviderCsv(chunks, file.name, new IssueSink(file.name, this.report));
    if (file.kind === 'drugs-csv') return readDrugCsv(chunks, file.name, new IssueSink(file.name, this.report));
    return readJsonArray(chunks, file.name);
  }

  /** Feeds every record of the file to `handle`, waiting on `drained` (COPY backpressure) between batches. */
  private async streamFile(file: SourceFile, handle: RecordHandler, drained?: () => Promise<void>): Promise<void> {
    const { meter, chunks } = this.openFile(file);
    for await (const batch of this.batchesOf(file, chunks)) {
      const { records, firstIndex, locations } = batch;
      for (let i = 0; i < records.length; i++) handle(records[i], locations?.[i] ?? new JsonRecordLocation(firstIndex + i));
      this.recordsRead += records.length;
      this.progress('reading');
      if (drained) await drained();
      this.request.signal?.throwIfAborted();
    }
    await this.closeFile(file, meter);
  }

  progress(phase: ImportProgress['phase']): void {
    this.request.onProgress?.({
      phase,
      file: this.current?.file.name,
      recordsRead: this.recordsRead,
      recordsRejected: this.report.rejectedTotal,
      bytesRead: this.bytesOfFinishedFiles + (this.current?.meter.bytesRead ?? 0),
      bytesTotal: this.bytesTotal,
    });
  }
}
