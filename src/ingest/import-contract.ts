import type { GrowingFile } from './read/growing-file';

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
  /**
   * The file is still being written (a download in progress): the load follows it as it grows, ends
   * it when the writer completes, and fails when the writer fails. Its size is not checked up front.
   */
  growing?: GrowingFile;
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
  /**
   * Publish exactly the kinds of file the load brings. By default a load replaces only the kinds it
   * brings (plans, providers, drugs) and carries the others forward from the published version.
   */
  replaceAll?: boolean;
  /** Publish even when the load removes more than `maxShrinkPercent` of the published rows. */
  allowShrink?: boolean;
  /** Share (percent) of the published provider listings, network memberships or formulary entries a load may remove unconfirmed; default 50. */
  maxShrinkPercent?: number;
  /** Published and superseded versions kept per issuer (older superseded ones are pruned); default 5. */
  versionsKept?: number;
  /** Awaited once the version is loaded, just before it is published (lets a caller order or observe publishes). */
  beforePublish?: () => Promise<void>;
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
  /** Kinds of data (plans, providers, drugs) whose files the load brought: they replace the published ones. */
  replaced?: string[];
  /** Kinds the load brought no file for, carried forward unchanged from version `carriedFromVersionId`. */
  carriedForward?: string[];
  carriedFromVersionId?: number | null;
  /** Carried-forward rows left out because their plan is not in the load's plans, per table. */
  droppedWithRemovedPlans?: Record<string, number>;
  /** Per count (providers, networkMemberships, formularyEntries): the published and the new number of rows, when the load has fewer. */
  shrink?: Record<string, ShrinkFigure>;
}

export interface ShrinkFigure {
  before: number;
  after: number;
  /** Share of the published rows the load removes, 0 to 100. */
  percent: number;
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
    /** What the load found before it was refused (e.g. by how much it shrank). */
    public report?: ValidationReport,
  ) {
    super(message);
  }
}
