import { RejectionSample, ValidationReport } from '../import-contract';

/** Samples kept per reason: enough to fix a file, bounded for files with millions of bad records. */
export const SAMPLES_PER_REASON = 20;

/** A field inside a record: ['plans', 0, 'network_tier']. */
export type FieldPath = ReadonlyArray<string | number>;

/** Where a record came from, and how to name one of its fields for a person fixing the file. */
export interface RecordLocation {
  /** Position of the record in its file (JSON array index; CSV: ordinal of the grouped record). */
  readonly recordIndex: number;
  /** '$[12].plans[0].network_tier' for JSON, 'row 14 column network_tier' for CSV. */
  pathOf(field: FieldPath): string;
}

export function jsonPath(recordIndex: number, field: FieldPath): string {
  let path = `$[${recordIndex}]`;
  for (const part of field) path += typeof part === 'number' ? `[${part}]` : `.${part}`;
  return path;
}

export class JsonRecordLocation implements RecordLocation {
  constructor(readonly recordIndex: number) {}
  pathOf(field: FieldPath): string {
    return jsonPath(this.recordIndex, field);
  }
}

function increment(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** Accumulates the validation report of one load: counts, and the first samples of each problem. */
export class ReportCollector {
  private readonly loaded: Record<string, number> = {};
  private readonly rejected: Record<string, number> = {};
  private readonly rejectedByReason: Record<string, number> = {};
  private readonly warningsByReason: Record<string, number> = {};
  private readonly samples: Record<string, RejectionSample[]> = {};
  private readonly warnings: RejectionSample[] = [];
  /** Rejected records and entries, for progress lines. */
  rejectedTotal = 0;

  reject(sample: RejectionSample): void {
    increment(this.rejectedByReason, sample.reason);
    const kept = (this.samples[sample.reason] ??= []);
    if (kept.length < SAMPLES_PER_REASON) kept.push(sample);
  }

  warn(sample: RejectionSample): void {
    increment(this.warningsByReason, sample.reason);
    if (this.warningsByReason[sample.reason] <= SAMPLES_PER_REASON) this.warnings.push(sample);
  }

  /** Loaded so far of one kind (what a record added is the difference before and after it). */
  loadedCount(kind: string): number {
    return this.loaded[kind] ?? 0;
  }

  countLoaded(kind: string, by = 1): void {
    increment(this.loaded, kind, by);
  }

  /** A record or plan entry left out of the load (its reasons are reported separately). */
  countRejected(kind: string, by = 1): void {
    increment(this.rejected, kind, by);
    this.rejectedTotal += by;
  }

  /**
   * Adds the report of a part of the load (a batch validated in a worker thread). Parts absorbed in
   * file order keep the same samples as validating the records here one by one.
   */
  absorb(part: ValidationReport): void {
    for (const [kind, n] of Object.entries(part.loaded)) this.countLoaded(kind, n);
    for (const [kind, n] of Object.entries(part.rejected)) this.countRejected(kind, n);
    for (const [reason, n] of Object.entries(part.rejectedByReason)) {
      const kept = (this.samples[reason] ??= []);
      for (const sample of part.samples[reason] ?? []) if (kept.length < SAMPLES_PER_REASON) kept.push(sample);
      increment(this.rejectedByReason, reason, n);
    }
    // The part's k-th warning of a reason is the load's (earlier count + k)-th, kept among the first ones.
    const ordinal: Record<string, number> = {};
    for (const sample of part.warnings) {
      increment(ordinal, sample.reason);
      if ((this.warningsByReason[sample.reason] ?? 0) + ordinal[sample.reason] <= SAMPLES_PER_REASON) this.warnings.push(sample);
    }
    for (const [reason, n] of Object.entries(part.warningsByReason ?? {})) increment(this.warningsByReason, reason, n);
  }

  loadedCounts(): Record<string, number> {
    return { ...this.loaded };
  }

  toReport(): ValidationReport {
    return {
      loaded: { ...this.loaded },
      rejected: { ...this.rejected },
      rejectedByReason: { ...this.rejectedByReason },
      samples: Object.fromEntries(Object.entries(this.samples).map(([reason, list]) => [reason, [...list]])),
      warnings: [...this.warnings],
      warningsByReason: { ...this.warningsByReason },
    };
  }
}

/** Reports problems of one file's records to the load's collector. */
export class IssueSink {
  constructor(
    readonly file: string,
    private readonly collector: ReportCollector,
  ) {}

  reject(at: RecordLocation, field: FieldPath, reason: string, message: string): void {
    this.collector.reject({ file: this.file, recordIndex: at.recordIndex, path: at.pathOf(field), reason, message });
  }

  warn(at: RecordLocation, field: FieldPath, reason: string, message: string): void {
    this.collector.warn({ file: this.file, recordIndex: at.recordIndex, path: at.pathOf(field), reason, message });
  }

  countLoaded(kind: string, by = 1): void {
    this.collector.countLoaded(kind, by);
  }

  countRejected(kind: string, by = 1): void {
    this.collector.countRejected(kind, by);
  }
}
