import { escapeLiteral, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BuiltQuery } from '../search/sql-params';

function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot inline ${value} into SQL`);
    return `(${value})`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (Array.isArray(value)) return value.length ? `ARRAY[${value.map(sqlLiteral).join(', ')}]` : `'{}'`;
  return escapeLiteral(String(value));
}

/**
 * COPY takes no bind parameters, so the query's `$n` placeholders are replaced by quoted literals
 * (pg's escapeLiteral). The builders only put `$` in SQL text as placeholders.
 */
export function inlineParams(query: BuiltQuery): string {
  return query.sql.replace(/\$(\d+)/g, (_, index: string) => sqlLiteral(query.params[Number(index) - 1]));
}

/** CSV with a header row, exactly as PostgreSQL writes it. */
export function csvCopySql(query: BuiltQuery): string {
  return `COPY (${inlineParams(query)}) TO STDOUT WITH (FORMAT csv, HEADER true)`;
}

/**
 * One JSON document per line for a query whose only column is `doc` (json). CSV mode with control
 * characters as delimiter and quote passes the JSON through byte for byte: PostgreSQL's JSON output escapes
 * every control character, so nothing needs quoting (text mode would double every backslash).
 */
export function jsonLinesCopySql(query: BuiltQuery): string {
  return `COPY (SELECT doc FROM (${inlineParams(query)}) AS docs) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x1f', QUOTE E'\\x1e')`;
}

/** Joins one-document-per-line input into a JSON array, without holding more than a chunk. */
export function jsonLinesToArray(): Transform {
  let opened = false;
  let documents = 0;
  let atDocumentStart = true;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const parts: Buffer[] = [];
      if (!opened) {
        parts.push(Buffer.from('[\n'));
        opened = true;
      }
      let position = 0;
      while (position < chunk.length) {
        if (atDocumentStart) {
          if (documents > 0) parts.push(Buffer.from(',\n'));
          documents++;
          atDocumentStart = false;
        }
        const newline = chunk.indexOf(0x0a, position);
        if (newline === -1) {
          parts.push(chunk.subarray(position));
          position = chunk.length;
        } else {
          parts.push(chunk.subarray(position, newline));
          position = newline + 1;
          atDocumentStart = true;
        }
      }
      done(null, Buffer.concat(parts));
    },
    flush(done) {
      done(null, `${opened ? '' : '['}\n]\n`);
    },
  });
}

/**
 * Streams `COPY ... TO STDOUT` into `destination` on a dedicated pooled connection (see
 * Database.connectForCopy), which it releases: memory stays at a few chunks whatever the row count, and a
 * slow client applies back-pressure to PostgreSQL.
 */
export async function streamCopy(client: PoolClient, copySql: string, destination: Writable, transform?: Transform): Promise<void> {
  try {
    const source = client.query(copyTo(copySql));
    await (transform ? pipeline(source, transform, destination) : pipeline(source, destination));
  } catch (error) {
    // A COPY cut short (client gone, query failed) leaves the connection mid-protocol: destroy it.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
  client.release();
}
