import type { ImportProgress } from '../ingest/import-contract';

/**
 * Persists an import's progress at most once per `intervalMs`: the importer reports often (per
 * batch of records) and a database write per report would slow the load it is reporting on.
 * The latest report is always written eventually (trailing write, and flush() at the end).
 */
export class ProgressRecorder {
  private latest: ImportProgress | null = null;
  private written: ImportProgress | null = null;
  private inFlight: Promise<void> | null = null;
  private trailingWrite: NodeJS.Timeout | null = null;
  private lastWriteAt = 0;

  constructor(
    private readonly write: (progress: ImportProgress) => Promise<void>,
    private readonly intervalMs = 1_000,
  ) {}

  /** Called synchronously by the importer: never throws, never waits. */
  record(progress: ImportProgress): void {
    this.latest = { ...progress };
    if (this.inFlight || this.trailingWrite) return;
    const wait = this.lastWriteAt + this.intervalMs - Date.now();
    if (wait <= 0) this.startWrite();
    else this.trailingWrite = setTimeout(() => this.startWrite(), wait).unref();
  }

  /** Waits for pending writes and writes the latest report if it is not stored yet. */
  async flush(): Promise<void> {
    if (this.trailingWrite) clearTimeout(this.trailingWrite);
    this.trailingWrite = null;
    if (this.inFlight) await this.inFlight;
    if (this.latest && this.latest !== this.written) await this.writeLatest();
  }

  /** Stops writing (the job is over); pending writes are left to finish. */
  stop(): void {
    if (this.trailingWrite) clearTimeout(this.trailingWrite);
    this.trailingWrite = null;
    this.latest = null;
  }

  private startWrite(): void {
    this.trailingWrite = null;
    if (!this.latest || this.latest === this.written) return;
    this.inFlight = this.writeLatest().finally(() => {
      this.inFlight = null;
      // Reports that arrived during the write are stored by a trailing write.
      if (this.latest && this.latest !== this.written) this.record(this.latest);
    });
  }

  private async writeLatest(): Promise<void> {
    const progress = this.latest!;
    this.lastWriteAt = Date.now();
    // Progress is informative: a failed write must not fail the import.
    await this.write(progress).catch(() => undefined);
    this.written = progress;
  }
}
