import { RejectionSample } from '../import-contract';
import { Warning } from '../validate/reasons';
import { jsonPath } from '../validate/validation-report';
import { LISTING_FIELDS, ListingField, RenderedProviderBatch, RenderedRows } from './provider-batches';

/**
 * Providers listed more than once under one NPI across the provider files of a load, found as the
 * rendered batches are taken in file order (so the same records are kept and reported whichever thread
 * rendered them). A record that repeats an earlier one of the same NPI byte for byte is left out (its
 * rows removed) with a DUPLICATE_PROVIDER warning: before, such a provider showed each address twice. A
 * record of an NPI already listed with different data is kept (carriers list a provider per location or
 * per group) with a DUPLICATE_NPI warning naming the first listing.
 *
 * Memory: two open-addressing tables of numbers (no object per provider), 40 to 80 bytes per distinct NPI.
 */
export class DuplicateProviders {
  /** First listing of each NPI. */
  private readonly byNpi = new ListingTable();
  /** First listing of each (NPI, fingerprint): exact repeats. */
  private readonly byRecord = new ListingTable();
  private readonly fileNames: string[] = [];

  /** `batch` without the rows of exact repeats, its report with a warning for every repeat. */
  filter(batch: RenderedProviderBatch, fileName: string): RenderedProviderBatch {
    if (this.fileNames[this.fileNames.length - 1] !== fileName) this.fileNames.push(fileName);
    const file = this.fileNames.length - 1;
    const { listings } = batch;
    const count = listings.length / LISTING_FIELDS;
    const dropped: number[] = [];
    const warnings: RejectionSample[] = [];
    for (let i = 0; i < count; i++) {
      const at = i * LISTING_FIELDS;
      const npi = listings[at + ListingField.Npi];
      if (npi === 0) continue;
      const recordIndex = listings[at + ListingField.RecordIndex];
      const fingerprint = listings[at + ListingField.Fingerprint];
      const same = this.byRecord.findOrAdd(npi, fingerprint, file, recordIndex);
      const npiText = String(npi).padStart(10, '0');
      const sample = (reason: string, message: string): RejectionSample => ({
        file: fileName,
        recordIndex,
        path: jsonPath(recordIndex, ['npi']),
        reason,
        message,
      });
      if (same >= 0) {
        dropped.push(i);
        warnings.push(
          sample(
            Warning.DUPLICATE_PROVIDER,
            `NPI ${npiText} repeats ${this.describe(this.byRecord, same)} exactly: this repeat is left out (its addresses and plans are listed once)`,
          ),
        );
        continue;
      }
      const first = this.byNpi.findOrAdd(npi, 0, file, recordIndex);
      if (first >= 0) {
        warnings.push(
          sample(Warning.DUPLICATE_NPI, `NPI ${npiText} is also listed in ${this.describe(this.byNpi, first)} with different data: both listings are kept`),
        );
      }
    }
    if (!warnings.length) return batch;
    return { ...batch, ...this.withoutRows(batch, dropped), report: withWarnings(batch, dropped, warnings) };
  }

  private describe(table: ListingTable, slot: number): string {
    return `${this.fileNames[table.fileOf(slot)]} record ${table.recordIndexOf(slot)}`;
  }

  /** The batch's rows without those of listings `dropped` (ascending). */
  private withoutRows(batch: RenderedProviderBatch, dropped: number[]): Pick<RenderedProviderBatch, 'providers' | 'addresses' | 'networks'> {
    if (!dropped.length) return batch;
    const { listings } = batch;
    const providerLines: Array<[number, number]> = [];
    const addressLines: Array<[number, number]> = [];
    const networkLines: Array<[number, number]> = [];
    let [address, network, next] = [0, 0, 0];
    for (let i = 0; next < dropped.length; i++) {
      const at = i * LISTING_FIELDS;
      // One listing_network_set row per listing, whatever its memberships (NetworkRows counts those).
      const [addresses, networks] = [listings[at + ListingField.AddressRows], 1];
      if (i === dropped[next]) {
        providerLines.push([i, i + 1]);
        addressLines.push([address, address + addresses]);
        networkLines.push([network, network + networks]);
        next++;
      }
      address += addresses;
      network += networks;
    }
    return {
      providers: withoutLines(batch.providers, providerLines),
      addresses: withoutLines(batch.addresses, addressLines),
      networks: withoutLines(batch.networks, networkLines),
    };
  }
}

function withWarnings(batch: RenderedProviderBatch, dropped: number[], warnings: RejectionSample[]) {
  const report = { ...batch.report, loaded: { ...batch.report.loaded }, warnings: [...batch.report.warnings, ...warnings] };
  const byReason = (report.warningsByReason = { ...(batch.report.warningsByReason ?? {}) });
  for (const warning of warnings) byReason[warning.reason] = (byReason[warning.reason] ?? 0) + 1;
  for (const i of dropped) {
    const at = i * LISTING_FIELDS;
    report.loaded.providers -= 1;
    report.loaded.addresses -= batch.listings[at + ListingField.AddressRows];
    report.loaded.networkMemberships -= batch.listings[at + ListingField.NetworkRows];
  }
  return report;
}

/** COPY rows without the lines in `ranges` ([from, to) line numbers, ascending). */
function withoutLines(rows: RenderedRows, ranges: Array<[number, number]>): RenderedRows {
  const { bytes } = rows;
  const kept: Uint8Array[] = [];
  let [line, at, removed] = [0, 0, 0];
  let keptFrom = 0;
  for (const [from, to] of ranges) {
    if (from === to) continue;
    while (line < from) [at, line] = [bytes.indexOf(0x0a, at) + 1, line + 1];
    kept.push(bytes.subarray(keptFrom, at));
    while (line < to) [at, line] = [bytes.indexOf(0x0a, at) + 1, line + 1];
    keptFrom = at;
    removed += to - from;
  }
  kept.push(bytes.subarray(keptFrom));
  const out = new Uint8Array(kept.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of kept) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return { bytes: out, rows: rows.rows - removed };
}

/** An open-addressing table from (NPI, fingerprint) to the first listing's file and record index. */
class ListingTable {
  private npis = new Float64Array(1024);
  private fingerprints = new Uint32Array(1024);
  private files = new Int32Array(1024);
  private recordIndexes = new Int32Array(1024);
  private size = 0;

  /** The slot of (npi, fingerprint) when already there; otherwise adds it and returns -1. */
  findOrAdd(npi: number, fingerprint: number, file: number, recordIndex: number): number {
    if (4 * (this.size + 1) > 3 * this.npis.length) this.grow();
    const mask = this.npis.length - 1;
    let slot = hash(npi, fingerprint) & mask;
    while (this.npis[slot] !== 0) {
      if (this.npis[slot] === npi && this.fingerprints[slot] === fingerprint) return slot;
      slot = (slot + 1) & mask;
    }
    this.npis[slot] = npi;
    this.fingerprints[slot] = fingerprint;
    this.files[slot] = file;
    this.recordIndexes[slot] = recordIndex;
    this.size++;
    return -1;
  }

  fileOf(slot: number): number {
    return this.files[slot];
  }

  recordIndexOf(slot: number): number {
    return this.recordIndexes[slot];
  }

  private grow(): void {
    const [npis, fingerprints, files, recordIndexes] = [this.npis, this.fingerprints, this.files, this.recordIndexes];
    const capacity = 2 * npis.length;
    this.npis = new Float64Array(capacity);
    this.fingerprints = new Uint32Array(capacity);
    this.files = new Int32Array(capacity);
    this.recordIndexes = new Int32Array(capacity);
    this.size = 0;
    for (let slot = 0; slot < npis.length; slot++) {
      if (npis[slot] !== 0) this.findOrAdd(npis[slot], fingerprints[slot], files[slot], recordIndexes[slot]);
    }
  }
}

function hash(npi: number, fingerprint: number): number {
  return Math.imul((npi % 0x7fffffff) ^ fingerprint, 0x9e3779b1) >>> 0;
}
