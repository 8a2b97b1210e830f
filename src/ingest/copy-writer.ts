import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, CopyStreamQuery } from 'pg-copy-streams';

/** A table as the COPY statement names it. */
export interface TableLayout {
  table: string;
  columns: readonly string[];
}

/** Rows are gathered into strings of about this size before a write: few, large socket writes. */
const CHUNK_CHARS = 128 * 1024;
/** Bytes the COPY stream buffers before asking the producer to wait (backpressure). */
const STREAM_HIGH_WATER_MARK = 1024 * 1024;

/** Streams COPY text rows into one table on its own connection. */
export class CopyTableWriter {
  private pending = '';
  private failure: Error | null = null;
  rows = 0;

  constructor(
    readonly layout: TableLayout,
    private readonly stream: CopyStreamQuery,
  ) {
    // Keep the first error; it is rethrown by the next drained()/finish() (no unhandled 'error').
    stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** `line` is one COPY text row ending in '\n'. */
  writeRow(line: string): void {
    this.pending += line;
    this.rows++;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (!this.pending || this.failure) return;
    this.stream.write(this.pending);
    this.pending = '';
  }

  private throwIfFailed(): void {
    if (this.failure) throw new Error(`COPY into ${this.layout.table} failed: ${this.failure.message}`);
  }

  /** Resolves once PostgreSQL has caught up enough for the producer to continue. */
  async drained(): Promise<void> {
    this.throwIfFailed();
    if (!this.stream.writableNeedDrain) return;
    try {
      await once(this.stream, 'drain');
    } catch {
      // 'error' was emitted while waiting: reported below with the table's name.
    }
    this.throwIfFailed();
  }

  /** Ends the COPY and resolves once PostgreSQL has committed it. */
  async finish(): Promise<void> {
    this.flush();
    this.throwIfFailed();
    const finished = once(this.stream, 'finish');
    this.stream.end();
    try {
      await finished;
    } catch {
      // reported below
    }
    this.throwIfFailed();
  }

  /** Sends CopyFail: PostgreSQL discards every row of this COPY. */
  destroy(reason: Error): void {
    this.pending = '';
    if (!this.stream.destroyed) this.stream.destroy(reason);
  }
}

/**
 * One COPY per table, each on its own pooled connection so the tables load concurrently
 * (PostgreSQL parses and indexes each on its own backend).
 */
export class CopyWriterGroup {
  private constructor(
    private readonly clients: PoolClient[],
    readonly writers: CopyTableWriter[],
  ) {}

  static async open(pool: Pool, layouts: readonly TableLayout[]): Promise<CopyWriterGroup> {
    const clients: PoolClient[] = [];
    try {
      for (let i = 0; i < layouts.length; i++) clients.push(await pool.connect());
      const writers: CopyTableWriter[] = [];
      for (let i = 0; i < layouts.length; i++) {
        // Rows are invisible until published and a crash is cleaned up by version, so a commit need not wait for the WAL flush.
        await clients[i].query('SET synchronous_commit = off');
        const { table, columns } = layouts[i];
        const stream = clients[i].query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, { highWaterMark: STREAM_HIGH_WATER_MARK }));
        writers.push(new CopyTableWriter(layouts[i], stream));
      }
      return new CopyWriterGroup(clients, writers);
    } catch (error) {
      for (const client of clients) client.release(true);
      throw error;
    }
  }

  writer(table: string): CopyTableWriter {
    const writer = this.writers.find((w) => w.layout.table === table);
    if (!writer) throw new Error(`no COPY writer for table ${table}`);
    return writer;
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
