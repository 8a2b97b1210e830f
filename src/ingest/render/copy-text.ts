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

/** Distinct values a RememberedTexts holds before it starts over (bounds its memory). */
const MAX_REMEMBERED_VALUES = 10_000;

/** COPY texts of repeating values, by key, forgotten all at once when MAX_REMEMBERED_VALUES is reached. */
class RememberedTexts<K> {
  private readonly texts = new Map<K, string>();

  get(key: K): string | undefined {
    return this.texts.get(key);
  }

  add(key: K, text: string): string {
    if (this.texts.size === MAX_REMEMBERED_VALUES) this.texts.clear();
    this.texts.set(key, text);
    return text;
  }
}

/**
 * copyTextArray for the lists of one column, with one-value lists remembered: specialties and
 * languages hold one of a few hundred values on most records. `transform` applies to each element
 * (say lower-casing) before it is written.
 */
export class ListLiterals {
  private readonly single = new RememberedTexts<string>();

  constructor(private readonly transform?: (value: string) => string) {}

  of(values: readonly string[]): string {
    if (values.length !== 1) return copyTextArray(this.transform ? values.map(this.transform) : values);
    const [value] = values;
    return this.single.get(value) ?? this.single.add(value, copyTextArray([this.transform ? this.transform(value) : value]));
  }
}

/**
 * copyNumber for a column whose values repeat: the coordinates of addresses located at their ZIP's
 * centroid (QHP addresses carry no coordinates), a few thousand distinct values for a whole directory.
 * Formatting a double (shortest round-trip digits) costs several times a Map lookup.
 */
export class NumberTexts {
  private readonly texts = new RememberedTexts<number>();

  of(value: number | null): string {
    if (value == null) return COPY_NULL;
    return this.texts.get(value) ?? this.texts.add(value, String(value));
  }
}

/**
 * copyIntArray for year lists: nearly every plan entry of a file states the same one or two years.
 * Lists of one or two years in 0–65535 are remembered under one number; others are formatted each time.
 */
export class YearListLiterals {
  private readonly literals = new RememberedTexts<number>();

  of(years: readonly number[]): string {
    if (years.length === 0) return '{}';
    if (years.length > 2) return copyIntArray(years);
    const [first, second = 0] = years;
    if (!(first >= 0 && first < 0x10000 && second >= 0 && second < 0x10000)) return copyIntArray(years);
    // The length tells [y] from [y, 0].
    const key = (first * 0x10000 + second) * 2 + (years.length - 1);
    return this.literals.get(key) ?? this.literals.add(key, copyIntArray(years));
  }
}
