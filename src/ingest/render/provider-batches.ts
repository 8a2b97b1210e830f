import { ValidationReport } from '../import-contract';
import { batchRuns, parseSplitBatchPieces, parseSplitElement, runOf, SplitBatch } from '../read/json-array-reader';
import { NetworkSets } from './network-sets';
import { ByteRowSink, ProviderBytesRenderer, recordFingerprint } from './provider-bytes';
import { CatalogPlanData, PlanCatalog } from '../validate/qhp-records';
import { validateProvider } from '../validate/qhp-validator';
import { RowRenderer, RowSink } from './table-rows';
import { IssueSink, JsonRecordLocation, ReportCollector } from '../validate/validation-report';
import { ZipGeocoder } from '../validate/zip-geocoder';

/** What a provider-batch renderer needs to know of its load (plain data, sent to worker threads). */
export interface ProviderBatchSetup {
  issuerId: string;
  versionId: number;
  plans: CatalogPlanData[];
  /** sharedZipCentroids(): shared with the workers, not copied. */
  zipCentroids: Float64Array;
}

/** A piece of a providers.json file to parse, validate and render as COPY rows. */
export interface ProviderBatchTask {
  fileName: string;
  batch: SplitBatch;
  /** record_no of the file's first record: a record's number is this plus its array index. */
  recordNoBase: number;
}

/** One batch as COPY text for provider, provider_address, listing_network_set and network_set, and its report. */
export interface RenderedProviderBatch {
  records: number;
  providers: RenderedRows;
  addresses: RenderedRows;
  networks: RenderedRows;
  /** The rows of the network sets this thread met first in the batch. */
  networkSets: RenderedRows;
  report: ValidationReport;
  /**
   * The loaded providers, in row order, LISTING_FIELDS numbers each (duplicate-providers.ts finds
   * repeated NPIs across batches with them).
   */
  listings: Float64Array;
}

/** The numbers kept per loaded provider in RenderedProviderBatch.listings. */
export const enum ListingField {
  /** The NPI as a number; 0 for a provider without one. */
  Npi,
  RecordIndex,
  AddressRows,
  /** Network memberships (plan entries) the listing loaded; its listing_network_set row is always one. */
  NetworkRows,
  /**
   * A hash of the record's JSON bytes (recordFingerprint): records that hash alike are exact repeats.
   */
  Fingerprint,
}
export const LISTING_FIELDS = 5;

/** COPY text rows as UTF-8 bytes: encoded by the worker, moved (not copied) to the importing thread. */
export interface RenderedRows {
  bytes: Uint8Array;
  rows: number;
}

/**
 * Characters of rows joined into one string before encoding: below V8's large-object size (128 KB), whose
 * allocation costs more than the join and the encoding together.
 */
const ENCODE_PIECE_CHARS = 32 * 1024;
/** A UTF-8 character takes at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_BYTES_PER_CHAR = 3;

/**
 * COPY rows of one table, a batch at a time, encoded as UTF-8 into a scratch buffer kept from batch to
 * batch. Rows are joined into pieces of ENCODE_PIECE_CHARS (one join: a flat string, unlike `+=`, which
 * the encoder would first flatten) and each piece is written in place (Buffer#write: no buffer per piece).
 * A batch's rows then leave as one exact-size copy, transferred to the importing thread: handing over
 * the scratch buffer itself (sized for the worst case) tripled the external memory each batch allocates,
 * and V8 collects garbage by external memory too, so the importing thread kept collecting.
 */
class TextRows implements RowSink, ByteRowSink {
  private lines: string[] = [];
  private chars = 0;
  private scratch = Buffer.allocUnsafeSlow(256 * 1024);
  private bytes = 0;
  private rows = 0;

  writeRow(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    this.rows++;
    if (this.chars >= ENCODE_PIECE_CHARS) this.encodePiece();
  }

  private encodePiece(): void {
    const text = this.lines.join('');
    this.ensure(this.bytes + text.length * MAX_UTF8_BYTES_PER_CHAR);
    this.bytes += this.scratch.write(text, this.bytes, 'utf8');
    this.lines = [];
    this.chars = 0;
  }

  get byteLength(): number {
    return this.bytes;
  }

  /** Room for rows written in place (ProviderBytesRenderer), after the string rows so far. */
  reserve(bytes: number): Uint8Array {
    if (this.lines.length) this.encodePiece();
    this.ensure(this.bytes + bytes);
    return this.scratch;
  }

  get rowCount(): number {
    return this.rows;
  }

  commit(byteLength: number, rows: number): void {
    this.bytes = byteLength;
    this.rows += rows;
  }

  private ensure(needed: number): void {
    if (needed <= this.scratch.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, 2 * this.scratch.length));
    this.scratch.copy(grown, 0, 0, this.bytes);
    this.scratch = grown;
  }

  /** The batch's rows as a Uint8Array with an ArrayBuffer of its own (to be transferred). */
  take(): RenderedRows {
    if (this.lines.length) this.encodePiece();
    const bytes = new Uint8Array(this.bytes);
    bytes.set(this.scratch.subarray(0, this.bytes));
    return { bytes, rows: this.rows };
  }

  /** Forgets the rows so far: a batch starts empty, even after one that failed half way. */
  clear(): void {
    this.lines = [];
    this.chars = 0;
    this.bytes = 0;
    this.rows = 0;
  }
}

/**
 * Parses, validates and renders batches of provider records, independently of each other (each
 * with its own report), so that worker threads can share a file's batches.
 */
export class ProviderBatchRenderer {
  private readonly catalog: PlanCatalog;
  private readonly renderer: RowRenderer;
  private readonly geocoder: ZipGeocoder;
  private readonly fromBytes: ProviderBytesRenderer | null;
  private readonly rows = { providers: new TextRows(), addresses: new TextRows(), networks: new TextRows(), networkSets: new TextRows() };
  /** Records rendered straight from their bytes so far (the others were parsed). */
  recordsFromBytes = 0;

  /** Plans arrays the byte renderer recognised by their bytes (not read again) so far. */
  get plansListsRecognised(): number {
    return this.fromBytes?.plansListsRecognised ?? 0;
  }

  /** `fromBytes: false` parses every record (the general path alone: for comparison in tests). */
  constructor(
    private readonly setup: ProviderBatchSetup,
    { fromBytes = true }: { fromBytes?: boolean } = {},
  ) {
    this.catalog = PlanCatalog.fromData(setup.plans);
    const sets = new NetworkSets(setup.versionId);
    this.renderer = new RowRenderer(setup.versionId, sets);
    this.geocoder = new ZipGeocoder(setup.zipCentroids);
    this.fromBytes = fromBytes ? new ProviderBytesRenderer(setup.versionId, this.catalog, this.geocoder, sets) : null;
  }

  render({ fileName, batch, recordNoBase }: ProviderBatchTask): RenderedProviderBatch {
    const report = new ReportCollector();
    const ctx = { issues: new IssueSink(fileName, report), issuerId: this.setup.issuerId, catalog: this.catalog, geocoder: this.geocoder };
    const { providers, addresses, networks, networkSets } = this.rows;
    for (const rows of [providers, addresses, networks, networkSets]) rows.clear();
    const { bounds, firstIndex } = batch;
    const count = bounds.length / 2;
    const runs = batchRuns(batch);
    const listings: number[] = [];
    /** Notes record k when it was loaded (its rows written), with `npi`. */
    const noteListing = (k: number, npi: number, addressRowsBefore: number, membershipsBefore: number, fingerprint: number): void => {
      listings.push(npi, firstIndex + k, addresses.rowCount - addressRowsBefore, report.loadedCount('networkMemberships') - membershipsBefore, fingerprint);
    };
    const generally = (raw: unknown, k: number): void => {
      const index = firstIndex + k;
      // The validator counts a record's memberships as it accepts them, before its rows are written.
      const membershipsBefore = report.loadedCount('networkMemberships');
      const provider = validateProvider(raw, new JsonRecordLocation(index), ctx);
      if (!provider) return;
      const [addressRows, networkRows] = [addresses.rowCount, membershipsBefore];
      this.renderer.writeProvider(recordNoBase + index, provider, fileName, providers, addresses, networks, networkSets);
      const { bytes, at } = runOf(runs, k);
      const fingerprint = recordFingerprint(bytes, bounds[2 * k] - at, bounds[2 * k + 1] - at);
      noteListing(k, provider.npi === null ? 0 : Number(provider.npi), addressRows, networkRows, fingerprint);
    };
    if (!this.fromBytes) {
      for (const { first, records } of parseSplitBatchPieces(batch, fileName)) {
        for (let i = 0; i < records.length; i++) generally(records[i], first + i);
      }
    } else {
      for (const { bytes, at, first, end: runEnd } of runs) {
        for (let k = first; k < runEnd; k++) {
          const index = firstIndex + k;
          const [start, end] = [bounds[2 * k] - at, bounds[2 * k + 1] - at];
          const [addressRows, networkRows] = [addresses.rowCount, report.loadedCount('networkMemberships')];
          if (this.fromBytes.render(bytes, start, end, recordNoBase + index, fileName, ctx.issues, providers, addresses, networks, networkSets)) {
            this.recordsFromBytes++;
            noteListing(k, this.fromBytes.lastNpi(), addressRows, networkRows, this.fromBytes.lastFingerprint());
          } else {
            generally(parseSplitElement(batch, runs, k, fileName), k);
          }
        }
      }
    }
    return {
      records: count,
      providers: providers.take(),
      addresses: addresses.take(),
      networks: networks.take(),
      networkSets: networkSets.take(),
      report: report.toReport(),
      listings: Float64Array.from(listings),
    };
  }
}

/** The buffers a rendered batch can hand over without copying (postMessage transfer list). */
export function transferablesOf(batch: RenderedProviderBatch): ArrayBuffer[] {
  return [
    batch.providers.bytes.buffer,
    batch.addresses.bytes.buffer,
    batch.networks.bytes.buffer,
    batch.networkSets.bytes.buffer,
    batch.listings.buffer,
  ] as ArrayBuffer[];
}
