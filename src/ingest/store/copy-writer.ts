import { once } from 'node:events';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, CopyStreamQuery } from 'pg-copy-streams';
import { DRUG_TABLES, PLAN_TABLES, PROVIDER_TABLES, TableLayout } from '../../qhp/version-tables';

export type { TableLayout };

/** A table to COPY into, through one COPY statement on a connection of its own. */
export interface CopyTarget {
  layout: TableLayout;
  /**
   * The table is new and empty, and this COPY is its only writer: it is TRUNCATEd in the COPY's
   * transaction and loaded WITH (FREEZE) (see startCopy).
   */
  freshTable?: boolean;
}

/** Rows are gathered into strings of about this size before a write: few, large socket writes. */
const CHUNK_CHARS = 128 * 1024;
/** Encoded rows are handed to a COPY stream in writes of at least this much (see writeEncodedRows). */
const ENCODED_WRITE_BYTES = 1024 * 1024;
/** Bytes a COPY stream buffers before asking the producer to wait (backpressure). */
const STREAM_HIGH_WATER_MARK = 1024 * 1024;

/**
 * Starts `COPY <table> FROM STDIN` on `client`. A fresh table is TRUNCATEd first, in a transaction the
 * caller COMMITs once the COPY has finished, and loaded WITH (FREEZE): a table truncated in the loading
 * transaction is PostgreSQL's bulk-load case. Under wal_level=minimal (the embedded server's) its rows write
 * no WAL, and FREEZE writes them already frozen and all-visible, so the index builds that read them next set
 * no hint bits (no page is dirtied and written again). If the load fails, the rollback leaves the table as
 * it was: empty.
 */
export async function startCopy(client: PoolClient, { table, columns }: TableLayout, freshTable: boolean): Promise<CopyStreamQuery> {
  // Rows are invisible until published and a crash is cleaned up by version: a commit need not wait for the WAL flush.
  await client.query('SET synchronous_commit = off');
  if (freshTable) {
    await client.query('BEGIN');
    await client.query(`TRUNCATE ${table}`);
  }
  const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN${freshTable ? ' WITH (FREEZE)' : ''}`;
  return client.query(copyFrom(sql, { highWaterMark: STREAM_HIGH_WATER_MARK }));
}

/** Streams COPY text rows into one table. */
export class CopyTableWriter {
  private pending = '';
  private pendingEncoded: Buffer[] = [];
  private pendingEncodedBytes = 0;
  private failure: Error | null = null;
  rows = 0;

  constructor(
    readonly layout: TableLayout,
    private readonly stream: CopyStreamQuery,
  ) {
    // Keep the first error; it is rethrown by the next drained()/finish() (no unhandled 'error').
    stream.on('error', (error) => (this.failure ??= error));
  }

  /** `line` is one COPY text row ending in '\n'. */
  writeRow(line: string): void {
    this.pending += line;
    this.rows++;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
  }

  /**
   * Many COPY text rows at once as UTF-8, each ending in '\n' (a batch rendered by a worker thread).
   * They are gathered into writes of ENCODED_WRITE_BYTES: fed a batch at a time, PostgreSQL's COPY
   * backends kept sleeping and waking, and spent more CPU on the same rows.
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
    for (const piece of this.pendingEncoded) this.stream.write(piece);
    this.pendingEncoded = [];
    this.pendingEncodedBytes = 0;
  }

  /** Writes what is gathered: encoded rows first, as text rows are never older than them. */
  private flush(): void {
    this.flushEncoded();
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
    // An 'error' while waiting rejects this; it is reported below with the table's name.
    await once(this.stream, 'drain').catch(() => undefined);
    this.throwIfFailed();
  }

  /** Ends the COPY statement and resolves once PostgreSQL has taken every row. */
  async finish(): Promise<void> {
    this.flush();
    this.throwIfFailed();
    const finished = once(this.stream, 'finish').catch(() => undefined);
    this.stream.end();
    await finished;
    this.throwIfFailed();
  }

  /** Sends CopyFail: PostgreSQL discards every row of this COPY statement. */
  destroy(reason: Error): void {
    this.pending = '';
    this.pendingEncoded = [];
    if (!this.stream.destroyed) this.stream.destroy(reason);
  }
}

/**
 * One COPY per table, each on its own pooled connection so the tables load concurrently
 * (PostgreSQL parses each on its own backend).
 */
export class CopyWriterGroup {
  private constructor(
    private readonly clients: PoolClient[],
    readonly writers: CopyTableWriter[],
    /** The connections whose COPY runs in a transaction of its own (fresh tables), committed by finish(). */
    private readonly inTransaction: Set<PoolClient>,
  ) {}

  static async open(pool: Pool, targets: readonly CopyTarget[]): Promise<CopyWriterGroup> {
    const clients: PoolClient[] = [];
    const inTransaction = new Set<PoolClient>();
    try {
      const writers: CopyTableWriter[] = [];
      for (const { layout, freshTable = false } of targets) {
        const client = await pool.connect();
        clients.push(client);
        if (freshTable) inTransaction.add(client);
        writers.push(new CopyTableWriter(layout, await startCopy(client, layout, freshTable)));
      }
      return new CopyWriterGroup(clients, writers, inTransaction);
    } catch (error) {
      for (const client of clients) client.release(true);
      throw error;
    }
  }

  async drained(): Promise<void> {
    for (const writer of this.writers) await writer.drained();
  }

  /** Finishes every COPY (committing the fresh tables' transactions) and returns the connections to the pool. */
  async finish(): Promise<void> {
    try {
      await Promise.all(this.writers.map((w) => w.finish()));
      await Promise.all([...this.inTransaction].map((client) => client.query('COMMIT')));
    } catch (error) {
      this.abort(error as Error);
      throw error;
    }
    await Promise.all(this.clients.map((client) => client.query('RESET synchronous_commit')));
    for (const client of this.clients) client.release();
    this.clients.length = 0;
  }

  /** Cancels every COPY; the connections are discarded rather than reused in an unknown state (open transactions roll back). */
  abort(reason: Error): void {
    for (const writer of this.writers) writer.destroy(reason);
    for (const client of this.clients) client.release(true);
    this.clients.length = 0;
  }
}

export interface CopyPlan {
  plans: CopyTarget[];
  providers: CopyTarget[];
  drugs: CopyTarget[];
}

/**
 * The COPY statements of each load phase, one per table. (provider_address once had a second COPY
 * sharing its rows, from when its GiST index was maintained during COPY; with indexes built after it,
 * one or two measured alike, and a table loaded by one COPY can be loaded fresh: see startCopy.)
 */
export const COPY_PLAN: CopyPlan = {
  plans: PLAN_TABLES.map((layout) => ({ layout })),
  providers: PROVIDER_TABLES.map((layout) => ({ layout })),
  drugs: DRUG_TABLES.map((layout) => ({ layout })),
};
