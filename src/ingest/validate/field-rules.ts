import { MAX_NESTING_DEPTH, MAX_PLAN_YEAR, MIN_PLAN_YEAR, TEXT_LIMITS, TextKind } from '../../qhp/vocabulary';
import { Rejection, Warning } from './reasons';
import { FieldPath, IssueSink, RecordLocation } from './validation-report';

/** numeric(12, 2) holds up to 9,999,999,999.99. */
const MAX_AMOUNT = 9_999_999_999.99;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;
const FIVE_DIGITS = /^\d{5}$/;
const ZIP_PLUS_FOUR = /^(\d{5})-?\d{4}$/;
const TWO_LETTERS = /^[A-Za-z]{2}$/;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as a list: QHP files give some lists as a single object (e.g. plan `formulary`). */
export function asList(value: unknown): unknown[] {
  if (value == null) return [];
  return Array.isArray(value) ? value : [value];
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The last date value read as valid, and its date. */
const lastDate: { value: unknown; date: string | null } = { value: undefined, date: null };

/** Whole plan years from 2014 to 2100 in increasing order (so without repeats). */
function isIncreasingPlanYears(values: unknown[]): values is number[] {
  let previous = MIN_PLAN_YEAR - 1;
  for (let i = 0; i < values.length; i++) {
    const year = values[i];
    if (typeof year !== 'number' || !Number.isInteger(year) || year <= previous || year > MAX_PLAN_YEAR) return false;
    previous = year;
  }
  return true;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/**
 * Reads the fields of one record, normalizing values and reporting each problem with its path.
 * Methods return `undefined` for a rejected value (already reported) and `null` for an absent one.
 */
export class FieldReader {
  constructor(
    readonly issues: IssueSink,
    readonly at: RecordLocation,
  ) {}

  reject(field: FieldPath, reason: string, message: string): undefined {
    this.issues.reject(this.at, field, reason, message);
    return undefined;
  }

  warn(field: FieldPath, reason: string, message: string): void {
    this.issues.warn(this.at, field, reason, message);
  }

  /**
   * Optional text of a `kind` (its length bound: qhp/vocabulary TEXT_LIMITS); numbers are kept as text,
   * other shapes and text over the bound are dropped with a warning.
   */
  text(value: unknown, field: FieldPath, kind: TextKind): string | null {
    const text = this.boundedText(value, field, kind);
    if (text === undefined) {
      this.warn(field, Warning.TEXT_TOO_LONG, `${tooLong(value as string, kind)}: ignored`);
      return null;
    }
    return text;
  }

  /** Text the record cannot do without: missing or empty rejects with MISSING_FIELD, over its bound with TEXT_TOO_LONG. */
  requiredText(value: unknown, field: FieldPath, what: string, kind: TextKind): string | undefined {
    if (value != null && typeof value !== 'string' && typeof value !== 'number') {
      return this.reject(field, Rejection.INVALID_FIELD, `${what} must be text, got ${describe(value)}`);
    }
    const text = this.boundedText(value, field, kind);
    if (text === undefined) return this.reject(field, Rejection.TEXT_TOO_LONG, `${what} ${tooLong(value as string, kind)}`);
    return text ?? this.reject(field, Rejection.MISSING_FIELD, `${what} is required`);
  }

  /** The trimmed text, null when absent, empty or not text (warned), undefined when over its bound (not reported yet). */
  private boundedText(value: unknown, field: FieldPath, kind: TextKind): string | null | undefined {
    if (value == null) return null;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed.length > TEXT_LIMITS[kind]) return undefined;
      return trimmed === '' ? null : trimmed;
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.warn(field, Warning.INVALID_FIELD, `expected text, got ${describe(value)}: ignored`);
    return null;
  }

  /** A list of texts of a `kind` (a single string counts as a list of one); non-text and overlong items are dropped. */
  textList(value: unknown, field: FieldPath, kind: TextKind): string[] {
    const list: string[] = [];
    const items = asList(value);
    for (let i = 0; i < items.length; i++) {
      const text = this.text(items[i], Array.isArray(value) ? [...field, i] : field, kind);
      if (text !== null && !list.includes(text)) list.push(text);
    }
    return list;
  }

  /** Plan years: missing (2015 files) means "not stated" = []; otherwise integers 2014..2100. */
  years(value: unknown, field: FieldPath): number[] | undefined {
    if (value == null) return [];
    if (!Array.isArray(value)) return this.reject(field, Rejection.INVALID_YEARS, `years must be an array of plan years, got ${describe(value)}`);
    if (isIncreasingPlanYears(value)) return value; // what files almost always hold: nothing to normalize
    const years: number[] = [];
    for (let i = 0; i < value.length; i++) {
      const year = typeof value[i] === 'string' && /^\d{4}$/.test(value[i]) ? Number(value[i]) : value[i];
      if (!Number.isInteger(year) || year < MIN_PLAN_YEAR || year > MAX_PLAN_YEAR) {
        return this.reject([...field, i], Rejection.INVALID_YEARS, `plan year ${describe(value[i])} is not a year from ${MIN_PLAN_YEAR} to ${MAX_PLAN_YEAR}`);
      }
      if (!years.includes(year)) years.push(year);
    }
    return years.sort((a, b) => a - b);
  }

  /** An ISO date (a timestamp keeps its date part); malformed dates are dropped with a warning. */
  date(value: unknown, field: FieldPath): string | null {
    if (value == null || value === '') return null;
    // Most records of a file share their last_updated_on: a date read just before needs no second check.
    if (value === lastDate.value) return lastDate.date;
    const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
    if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
      this.warn(field, Warning.INVALID_DATE, `${describe(value)} is not an ISO date (YYYY-MM-DD): ignored`);
      return null;
    }
    lastDate.value = value;
    return (lastDate.date = `${match[1]}-${match[2]}-${match[3]}`);
  }

  /** QHP booleans; missing means false. Text forms (CSV) are accepted. */
  flag(value: unknown, field: FieldPath): boolean | undefined {
    if (value == null) return false;
    if (typeof value === 'boolean') return value;
    const word = String(value).trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word) || word === '') return false;
    return this.reject(field, Rejection.INVALID_BOOLEAN, `expected true or false, got ${describe(value)}`);
  }

  /**
   * One of `allowed` (compared after `canonical`, e.g. case folding). An unknown value rejects when
   * `required`, and is otherwise dropped with a warning.
   */
  choice(value: unknown, allowed: ReadonlyMap<string, string>, field: FieldPath, severity: 'reject' | 'warn'): string | null | undefined {
    if (value == null || value === '') return null;
    const found = typeof value === 'string' ? allowed.get(value.trim().toLowerCase()) : undefined;
    if (found !== undefined) return found;
    const message = `${describe(value)} is not one of ${[...new Set(allowed.values())].join(', ')}`;
    if (severity === 'reject') return this.reject(field, Rejection.INVALID_ENUM, message);
    this.warn(field, Warning.INVALID_ENUM, `${message}: ignored`);
    return null;
  }

  /** A 5-digit ZIP; ZIP+4 is cut to its first 5 digits with a warning. */
  zip(value: unknown, field: FieldPath): string | undefined {
    if (value == null || value === '') return this.reject(field, Rejection.MISSING_FIELD, 'zip is required');
    if (typeof value === 'string') {
      const zip = value.trim();
      if (FIVE_DIGITS.test(zip)) return zip;
      const plusFour = ZIP_PLUS_FOUR.exec(zip);
      if (plusFour) {
        this.warn(field, Warning.ZIP_PLUS_FOUR, `ZIP+4 "${zip}" stored as ${plusFour[1]}`);
        return plusFour[1];
      }
    }
    return this.reject(field, Rejection.INVALID_ZIP, `zip ${describe(value)} must be a string of 5 digits (or ZIP+4)`);
  }

  state(value: unknown, field: FieldPath): string | undefined {
    if (value == null || value === '') return this.reject(field, Rejection.MISSING_FIELD, 'state is required');
    if (typeof value === 'string' && TWO_LETTERS.test(value.trim())) return value.trim().toUpperCase();
    return this.reject(field, Rejection.INVALID_STATE, `state ${describe(value)} must be a 2-letter code such as NY`);
  }

  /** A dollar amount >= 0, or null. */
  amount(value: unknown, field: FieldPath): number | null | undefined {
    if (value == null || value === '') return null;
    const amount = typeof value === 'string' ? Number(value) : value;
    if (typeof amount === 'number' && Number.isFinite(amount) && amount >= 0 && amount <= MAX_AMOUNT) return amount;
    return this.reject(field, Rejection.INVALID_AMOUNT, `amount ${describe(value)} must be a number of dollars >= 0`);
  }

  /** A coinsurance rate from 0.0 to 1.0, or null. */
  rate(value: unknown, field: FieldPath): number | null | undefined {
    if (value == null || value === '') return null;
    const rate = typeof value === 'string' ? Number(value) : value;
    if (typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate <= 1) return rate;
    return this.reject(field, Rejection.INVALID_RATE, `coinsurance rate ${describe(value)} must be from 0.0 to 1.0`);
  }

  /** A coordinate when the file gives one in range; otherwise null (the ZIP centroid is used). */
  coordinate(value: unknown, limit: number): number | null {
    const number = typeof value === 'string' && value !== '' ? Number(value) : value;
    return typeof number === 'number' && Number.isFinite(number) && Math.abs(number) <= limit ? number : null;
  }
}

function tooLong(text: string, kind: TextKind): string {
  return `has ${text.trim().length} characters, more than the ${TEXT_LIMITS[kind]} allowed`;
}

/**
 * The path to the first value of `record` nested deeper than MAX_NESTING_DEPTH levels (the record is
 * level 1), or null. Walks with a stack of its own, so no depth of input can overflow the call stack
 * (JSON.parse builds any depth; JSON.stringify and recursive walks do not survive it).
 */
export function tooDeeplyNested(record: unknown, maxDepth = MAX_NESTING_DEPTH): FieldPath | null {
  if (typeof record !== 'object' || record === null) return null;
  interface Level {
    value: object;
    depth: number;
    parent: Level | null;
    key: string | number;
  }
  const stack: Level[] = [{ value: record, depth: 1, parent: null, key: '' }];
  while (stack.length) {
    const level = stack.pop()!;
    if (level.depth > maxDepth) {
      const path: Array<string | number> = [];
      for (let at: Level | null = level; at && at.parent; at = at.parent) path.push(at.key);
      return path.reverse();
    }
    const value = level.value as Record<string, unknown>;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item: unknown = value[i];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: level.depth + 1, parent: level, key: i });
      }
    } else {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const item = value[keys[i]];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: level.depth + 1, parent: level, key: keys[i] });
      }
    }
  }
  return null;
}

/** A lookup from lower-cased spelling to the canonical value. */
export function choices(values: readonly string[]): ReadonlyMap<string, string> {
  return new Map(values.map((v) => [v.toLowerCase(), v]));
}

export { describe as describeValue };
