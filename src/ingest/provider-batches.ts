import { ValidationReport } from './import-contract';
import { parseSplitBatchPieces, SplitBatch } from './json-array-reader';
import { CatalogPlanData, PlanCatalog } from './qhp-records';
import { validateProvider } from './qhp-validator';
import { RowRenderer, RowSink } from './table-rows';
import { IssueSink, JsonRecordLocation, ReportCollector } from './validation-report';
import { ZipGeocoder } from './zip-geocoder';

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

/** One batch as COPY text for provider, provider_address and network_membership, and its report. */
export interface RenderedProviderBatch {
  records: number;
  providers: RenderedRows;
  addresses: RenderedRows;
  networks: RenderedRows;
  report: ValidationReport;
}

/** COPY text rows as UTF-8 bytes: encoded by the worker, moved (not copied) to the importing thread. */
export interface RenderedRows {
  bytes: Uint8Array;
  rows: number;
}

const utf8 = new TextEncoder();

/**
 * Characters of rows joined into one string before encoding: below V8's large-object size (128 KB), whose
 * allocation costs more than the join and the encoding together.
 */
const ENCODE_PIECE_CHARS = 32 * 1024;

class TextRows implements RowSink {
  private lines: string[] = [];
  private chars = 0;
  private readonly pieces: Uint8Array[] = [];
  private bytes = 0;
  private rows = 0;

  writeRow(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    this.rows++;
    if (this.chars >= ENCODE_PIECE_CHARS) this.encodePiece();
  }

  /**
   * The lines so far as one UTF-8 piece (one join: a flat string, unlike `+=`, which the encoder would
   * first flatten). Rows are mostly ASCII, whose UTF-8 bytes are their Latin-1 bytes, a copy: a text is
   * ASCII exactly when its UTF-8 length equals its length (Latin-1 writing alone would keep only the low
   * byte of characters past U+00FF, and some of those look like ASCII).
   */
  private encodePiece(): void {
    const text = this.lines.join('');
    const piece = Buffer.byteLength(text, 'utf8') === text.length ? Buffer.from(text, 'latin1') : utf8.encode(text);
    this.pieces.push(piece);
    this.bytes += piece.length;
    this.lines = [];
    this.chars = 0;
  }

  /** The rows as one Uint8Array with an ArrayBuffer of its own, to be transferred (Buffer.concat may use Node's pool). */
  encoded(): RenderedRows {
    if (this.lines.length) this.encodePiece();
    const bytes = new Uint8Array(this.bytes);
    let at = 0;
    for (const piece of this.pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
    return { bytes, rows: this.rows };
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

  constructor(private readonly setup: ProviderBatchSetup) {
    this.catalog = PlanCatalog.fromData(setup.plans);
    this.renderer = new RowRenderer(setup.versionId);
    this.geocoder = new ZipGeocoder(setup.zipCentroids);
  }

  render({ fileName, batch, recordNoBase }: ProviderBatchTask): RenderedProviderBatch {
    const report = new ReportCollector();
    const ctx = { issues: new IssueSink(fileName, report), issuerId: this.setup.issuerId, catalog: this.catalog, geocoder: this.geocoder };
    const providers = new TextRows();
    const addresses = new TextRows();
    const networks = new TextRows();
    let count = 0;
    for (const { first, records } of parseSplitBatchPieces(batch, fileName)) {
      for (let i = 0; i < records.length; i++) {
        const index = batch.firstIndex + first + i;
        const provider = validateProvider(records[i], new JsonRecordLocation(index), ctx);
        if (provider) this.renderer.writeProvider(recordNoBase + index, provider, fileName, providers, addresses, networks);
      }
      count += records.length;
    }
    return { records: count, providers: providers.encoded(), addresses: addresses.encoded(), networks: networks.encoded(), report: report.toReport() };
  }
}

/** The buffers a rendered batch can hand over without copying (postMessage transfer list). */
export function transferablesOf(batch: RenderedProviderBatch): ArrayBuffer[] {
  return [batch.providers.bytes.buffer, batch.addresses.bytes.buffer, batch.networks.bytes.buffer] as ArrayBuffer[];
}
