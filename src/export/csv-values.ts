import type { PoolClient } from 'pg';
import { BuiltQuery } from '../search/sql-params';

/** How every CSV export joins a list into one cell: `English; Spanish`. */
export const CSV_LIST_SEPARATOR = '; ';

/** SQL joining a list (array) expression into one cell; an empty list is an empty cell. */
export function csvList(expression: string): string {
  return `NULLIF(array_to_string(${expression}, '${CSV_LIST_SEPARATOR}'), '')`;
}

type CellKind = 'boolean' | 'list' | 'text' | 'json' | 'other';

const JSON_TYPES = new Set(['json', 'jsonb']);

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * SQL writing one column the way every CSV export writes values: booleans as `true` / `false`, lists joined
 * by csvList, and nothing for a missing value (no `null`, `""`, `{}` or `[]`). Numbers and dates are left
 * as PostgreSQL writes them.
 */
export function csvCell(column: string, kind: CellKind): string {
  const value = `q.${quoteIdentifier(column)}`;
  switch (kind) {
    case 'boolean':
      return `(${value})::text`;
    case 'list':
      return csvList(value);
    case 'text':
      return `NULLIF(${value}, '')`;
    case 'json':
      return `NULLIF(NULLIF(NULLIF(NULLIF(${value}::text, 'null'), '{}'), '[]'), '""')`;
    default:
      return value;
  }
}

/**
 * The query with every column rewritten by csvCell, in the same order and under the same names. The
 * columns' types are read from PostgreSQL (the query planned with LIMIT 0), so any export query, present
 * or future, gets the same CSV conventions without repeating them in its SQL.
 */
export async function csvReadableQuery(client: PoolClient, query: BuiltQuery): Promise<BuiltQuery> {
  const described = await client.query({ text: `SELECT * FROM (${query.sql}) AS q LIMIT 0`, values: query.params });
  const oids = [...new Set(described.fields.map((field) => field.dataTypeID))];
  const types = await client.query<{ oid: number; typname: string; typcategory: string }>(
    'SELECT oid::int AS oid, typname, typcategory FROM pg_type WHERE oid = ANY($1::oid[])',
    [oids],
  );
  const typeOf = new Map(types.rows.map((row) => [row.oid, row]));
  const kindOf = (oid: number): CellKind => {
    const type = typeOf.get(oid);
    if (!type) return 'other';
    if (type.typcategory === 'B') return 'boolean';
    if (type.typcategory === 'A') return 'list';
    if (type.typcategory === 'S') return 'text';
    if (JSON_TYPES.has(type.typname)) return 'json';
    return 'other';
  };
  const cells = described.fields.map((field) => `${csvCell(field.name, kindOf(field.dataTypeID))} AS ${quoteIdentifier(field.name)}`);
  return { sql: `SELECT ${cells.join(', ')} FROM (${query.sql}) AS q`, params: query.params };
}
