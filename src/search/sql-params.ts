/** Collects bind parameters while a query is assembled from optional parts, so no value enters SQL text. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, e.g. `$3::text`. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

/** A query and its bind parameters, ready for `db.query(sql, params)` (or for COPY/EXPLAIN). */
export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

/** Escapes LIKE wildcards so user text matches literally (backslash is PostgreSQL's default LIKE escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
