/**
 * The contract between the ways in (CLI, HTTP upload, seeds, benchmarks) and the QHP importer.
 */

/** Which QHP file a path holds; inferred from the index or the file name when not given. */
export type QhpFileKind = 'index' | 'plans' | 'providers' | 'drugs' | 'providers-csv' | 'drugs-csv';

export interface ImportFile {
  /** Local path of the file (uploads are spooled to a temp file first). */
  path: string;
  /** Name shown in reports and provenance (e.g. the original upload name or the index URL). */
  name?: string;
  kind?: QhpFileKind;
}

export interface ImportRequest {
  issuerId: string;
  /** Creates/renames the issuer row; QHP files do not carry the carrier's name. */
  issuerName?: string;
  /** An index.json (cms-data-index.json) or individual files. */
  paths?: string[];
  files?: ImportFile[];
  source: 'cli' | 'upload' | 'seed' | 'bench' | 'test' | 'feed';
  loadedBy: string;
  /** Issuer ids the caller may load (API key scope); undefined = unrestricted (CLI/seed). */
  allowedIssuerIds?: string[];
  /** Aborting stops the load; nothing of it is published. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  /** Refuse files whose size exceeds this (bytes). */
  maxFileBytes?: number;
  /**
   * Worker threads that parse, validate and render providers.json files; 0 keeps
   * all work in the importing thread. Default: one per core but one (at least one) for files of 16 MB or more, else 0.
   */
  parseWorkers?: number;
}

export interface ImportProgress {
  phase: 'reading' | 'validating' | 'copying' | 'indexing' | 'publishing' | 'done';
  file?: string;
  recordsRead: number;
  recordsRejected: number;
  bytesRead: number;
  bytesTotal: number;
}

export interface RejectionSample {
  file: string;
  recordIndex: number;
  /** JSON path inside the file, e.g. $[12].plans[0].network_tier */
  path: string;
  reason: string;
  message: string;
}

export interface ValidationReport {
  loaded: Record<string, number>;
  rejected: Record<string, number>;
  /** Counts per reason code, e.g. INVALID_NPI, UNKNOWN_NETWORK_TIER. */
  rejectedByReason: Record<string, number>;
  /** Up to N samples per reason. */
  samples: Record<string, RejectionSample[]>;
  warnings: RejectionSample[];
  /** Counts per warning code (warnings keeps only the first samples of each). */
  warningsByReason?: Record<string, number>;
}

export interface ImportResult {
  versionId: number;
  issuerId: string;
  status: 'published' | 'unchanged' | 'failed';
  /** true when the same files were already the published version (idempotent re-load). */
  unchanged: boolean;
  counts: Record<string, number>;
  report: ValidationReport;
  durationMs: number;
}

/** A load that fails as a whole (not JSON, truncated, wrong issuer, too large...). */
export class ImportError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly file?: string,
    /** The dataset version the failed load had created (marked 'failed', its rows deleted). */
    public versionId?: number,
  ) {
    super(message);
  }
}
