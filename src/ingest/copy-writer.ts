import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, CopyStreamQuery } from 'pg-copy-streams';

/** A table as the COPY statement names it. */
export interface TableLayout {
  table: string;
  columns: readonly string[];
}

/** A table to COPY into through `lanes` concurrent COPY statements (each on its own connection). */
export interface CopyTarget {
  layout: TableLayout;
  lanes: number;
}

/** Rows are gathered into strings of about this size before a write: few, large socket writes. */
const CHUNK_CHARS = 128 * 1024;
/** Encoded rows are handed to a COPY stream in writes of at least this much (see writeEncodedRows). */
const ENCODED_WRITE_BYTES = 1024 * 1024;
/** Bytes a COPY stream buffers before asking the producer to wait (backpressure). */
const STREAM_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Streams COPY text rows into one table. With several lanes (COPY statements on separate
 * connections), each chunk goes to the least backed-up lane, so an expensive table (say one with a
 * GiST index) is indexed by several PostgreSQL backends at once.
 */
export class CopyTableWriter {
  private pending = '';
  private pendingEncoded: Buffer[] = [];
  private pendingEncodedBytes = 0;
  private failure: Error | null = null;
  rows = 0;

  constructor(
    readonly layout: TableLayout,
    private readonly lanes: CopyStreamQuery[],
  ) {
    // Keep the first error; it is rethrown by the next drained()/finish() (no unhandled 'error').
    for (const lane of lanes) lane.on('error', (error) => (this.failure ??= error));
  }

  /** `line` is one COPY text row ending in '\n'. */
  writeRow(line: string): void {
    this.pending += line;
    this.rows++;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
  }

  /**
   * Many COPY text rows at once as UTF-8, each ending in '\n' (a batch rendered by a worker thread).
   * They are gathered into writes of ENCODED_WRITE_BYTES: fed 50-170 KB at a time, PostgreSQL's COPY
   * backends kept sleeping and waking (1M providers: 8.8 s of their CPU, against 5.5-6.8 s).
   */
  writeEncodedRows(bytes: Uint8Array, rows: number): void {
    if (this.pending) this.flush(); // rows stay in the order they were written
    this.throwIfFailed();
    this.rows += rows;
    if (!bytes.byteLength) return;
    this.pendingEncoded.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.pendingEncodedBytes += bytes.byteLength;
    if (this.pendingEncodedBytes >= ENCODED_WRITE_BYTES) this.flushEncoded();
  }

  private flushEncoded(): void {
    if (!this.pendingEncoded.length || this.failure) return;
    const lane = this.leastBackedUp();
    for (const piece of this.pendingEncoded) lane.write(piece);
    this.pendingEncoded = [];
    this.pendingEncodedBytes = 0;
  }

  private leastBackedUp(): CopyStreamQuery {
    let target = this.lanes[0];
    for (const lane of this.lanes) if (lane.writableLength < target.writableLength) target = lane;
    return target;
  }

  /** Writes what is gathered: encoded rows first, as text rows are never older than them. */
  private flush(): void {
    this.flushEncoded();
    if (!this.pending || this.failure) return;
    this.leastBackedUp().write(this.pending);
    this.pending = '';
  }

  private throwIfFailed(): void {
    if (this.failure) throw new Error(`COPY into ${this.layout.table} failed: ${this.failure.message}`);
  }

  /** Resolves once PostgreSQL has caught up enough (some lane has room) for the producer to continue. */
  async drained(): Promise<void> {
    this.throwIfFailed();
    if (!this.lanes.every((lane) => lane.writableNeedDrain)) return;
    // An 'error' while waiting rejects these; it is reported below with the table's name.
    await Promise.race(this.lanes.map((lane) => once(lane, 'drain').catch(() => undefined)));
    this.throwIfFailed();
  }

  /** Ends the COPY statements and resolves once PostgreSQL has committed them. */
  async finish(): Promise<void> {
    this.flush();
    this.throwIfFailed();
    await Promise.all(
      this.lanes.map((lane) => {
        const finished = once(lane, 'finish').catch(() => undefined);
        lane.end();
        return finished;
      }),
    );
    this.throwIfFailed();
  }

  /** Sends CopyFail: PostgreSQL discards every row of these COPY statements. */
  destroy(reason: Error): void {
    this.pending = '';
    this.pendingEncoded = [];
    for (const lane of this.lanes) if (!lane.destroyed) lane.destroy(reason);
  }
}

/**
 * One COPY per table (or per lane), each on its own pooled connection so the tables load
 * concurrently (PostgreSQL parses and indexes each on its own backend).
 */
export class CopyWriterGroup {
  private constructor(
    private readonly clients: PoolClient[],
    readonly writers: CopyTableWriter[],
  ) {}

  static async open(pool: Pool, targets: readonly CopyTarget[]): Promise<CopyWriterGroup> {
    const clients: PoolClient[] = [];
    try {
      const writers: CopyTableWriter[] = [];
      for (const { layout, lanes } of targets) {
        const streams: CopyStreamQuery[] = [];
        for (let lane = 0; lane < lanes; lane++) {
          const client = await pool.connect();
          clients.push(client);
          // Rows are invisible until published and a crash is cleaned up by version: a commit need not wait for the WAL flush.
          await client.query('SET synchronous_commit = off');
          const sql = `COPY ${layout.table} (${layout.columns.join(', ')}) FROM STDIN`;
          streams.push(client.query(copyFrom(sql, { highWaterMark: STREAM_HIGH_WATER_MARK })));
        }
        writers.push(new CopyTableWriter(layout, streams));
      }
      return new CopyWriterGroup(clients, writers);
    } catch (error) {
      for (const client of clients) client.release(true);
      throw error;
    }
  }

  async drained(): Promise<void> {
    for (const writer of this.writers) await writer.drained();
  }

  /** Finishes every COPY and returns the connections to the pool. */
  async finish(): Promise<void> {
    try {
      await Promise.all(this.writers.map((w) => w.finish()));
    } catch (error) {
      this.abort(error as Error);
      throw error;
    }
    await Promise.all(this.clients.map((client) => client.query('RESET synchronous_commit')));
    for (const client of this.clients) client.release();
    this.clients.length = 0;
  }

  /** Cancels every COPY; the connections are discarded rather than reused in an unknown state. */
  abort(reason: Error): void {
    for (const writer of this.writers) writer.destroy(reason);
    for (const client of this.clients) client.release(true);
    this.clients.length = 0;
  }
}
