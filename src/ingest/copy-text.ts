/**
 * Values in PostgreSQL COPY text format (https://www.postgresql.org/docs/current/sql-copy.html):
 * columns separated by tab, rows by newline, NULL as \N, and backslash, tab, newline and carriage
 * return escaped. NUL characters cannot be stored in text at all and are dropped.
 */

export const COPY_NULL = '\\N';

const NEEDS_COPY_ESCAPE = /[\\\t\n\r\0]/;
const COPY_SPECIALS = /[\\\t\n\r\0]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' };

/** Escapes a string for COPY text; most values need nothing, so test before replacing. */
export function copyEscape(value: string): string {
  return NEEDS_COPY_ESCAPE.test(value) ? value.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]) : value;
}

export function copyText(value: string | null | undefined): string {
  return value == null ? COPY_NULL : copyEscape(value);
}

export function copyNumber(value: number | null | undefined): string {
  return value == null ? COPY_NULL : String(value);
}

export function copyBoolean(value: boolean): string {
  return value ? 't' : 'f';
}

export function copyIntArray(values: readonly number[]): string {
  return values.length ? `{${values.join(',')}}` : '{}';
}

const ARRAY_ELEMENT_SPECIALS = /["\\]/g;

/**
 * A text[] literal. Every element is double-quoted (so commas, braces, spaces and the word NULL are
 * plain data), with " and \ backslash-escaped inside; the literal as a whole is then COPY-escaped.
 */
export function copyTextArray(values: readonly string[]): string {
  if (!values.length) return '{}';
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    if (i) literal += ',';
    literal += `"${values[i].replace(ARRAY_ELEMENT_SPECIALS, '\\$&')}"`;
  }
  return copyEscape(`${literal}}`);
}
