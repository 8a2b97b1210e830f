import { parse } from 'csv-parse/sync';
import { RXCUI_PATTERN } from '../common/identifiers';

/** One row of the ingredient/strength crosswalk CSV (see docs/pricing-csv.md). */
export interface CrosswalkRow {
  rxnormId: string;
  drugName: string;
  ingredient: string;
  strength: string;
  doseForm: string;
  isBrand: boolean;
}

/** One row of the drug price CSV (see docs/pricing-csv.md). */
export interface PriceRow {
  rxnormId: string;
  pricePer30Days: number;
  source: string;
  asOf: string;
}

export const CROSSWALK_COLUMNS = ['rxnorm_id', 'drug_name', 'ingredient', 'strength', 'dose_form', 'is_brand'] as const;
export const PRICE_COLUMNS = ['rxnorm_id', 'price_per_30_days', 'source', 'as_of'] as const;

/** A reference file with problems; nothing of it is loaded, and every problem names its line. */
export class ReferenceCsvError extends Error {
  constructor(
    public readonly file: string,
    public readonly problems: string[],
  ) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`${file}: ${problems.length} problem(s), nothing loaded:\n  ${shown.join('\n  ')}${more}`);
  }
}

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false, yes: true, no: false, y: true, n: false };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DOLLARS = /^\d+(\.\d{1,2})?$/;

/** A real YYYY-MM-DD day (Date.parse alone accepts 2026-02-30 and rolls it over). */
function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** Collapses runs of spaces so "20  MG" and "20 MG" are the same strength. */
const tidy = (value: string | undefined) => (value ?? '').replace(/\s+/g, ' ').trim();

interface ParsedRecord {
  line: number;
  record: Record<string, string>;
}

function readRecords(file: string, content: string, required: readonly string[]): ParsedRecord[] {
  let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    parsed = parse(content, {
      columns: (header: string[]) => header.map((h) => tidy(h).toLowerCase()),
      info: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    throw new ReferenceCsvError(file, [`not a readable CSV: ${(error as Error).message}`]);
  }
  if (!parsed.length) throw new ReferenceCsvError(file, [`no rows; expected a header line "${required.join(',')}" and at least one row`]);
  const columns = Object.keys(parsed[0].record);
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length) throw new ReferenceCsvError(file, [`header lacks column(s) ${missing.join(', ')}; expected "${required.join(',')}"`]);
  return parsed.map(({ record, info }) => ({ line: info.lines, record }));
}

function checkUnique(rows: Array<{ line: number; rxnormId: string }>, problems: string[]): void {
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const seen = firstLine.get(row.rxnormId);
    if (seen !== undefined) problems.push(`line ${row.line}: rxnorm_id ${row.rxnormId} already given on line ${seen}`);
    else firstLine.set(row.rxnormId, row.line);
  }
}

/** Parses and validates a crosswalk CSV; throws ReferenceCsvError listing every bad line. */
export function parseCrosswalkCsv(file: string, content: string): CrosswalkRow[] {
  const problems: string[] = [];
  const rows: Array<CrosswalkRow & { line: number }> = [];
  for (const { line, record } of readRecords(file, content, CROSSWALK_COLUMNS)) {
    const rxnormId = tidy(record.rxnorm_id);
    const isBrand = BOOLEAN_WORDS[tidy(record.is_brand).toLowerCase()];
    const row = {
      line,
      rxnormId,
      drugName: tidy(record.drug_name),
      ingredient: tidy(record.ingredient).toLowerCase(),
      strength: tidy(record.strength),
      doseForm: tidy(record.dose_form),
      isBrand,
    };
    const before = problems.length;
    if (!RXCUI_PATTERN.test(rxnormId)) problems.push(`line ${line}: rxnorm_id "${rxnormId}" must be 1 to 10 digits`);
    if (!row.drugName) problems.push(`line ${line}: drug_name is empty`);
    if (!row.ingredient) problems.push(`line ${line}: ingredient is empty`);
    if (!row.strength) problems.push(`line ${line}: strength is empty`);
    if (isBrand === undefined) problems.push(`line ${line}: is_brand "${record.is_brand ?? ''}" must be true or false`);
    if (problems.length === before) rows.push(row);
  }
  checkUnique(rows, problems);
  if (problems.length) throw new ReferenceCsvError(file, problems);
  return rows.map(({ line: _line, ...row }) => row);
}

/** Parses and validates a price CSV; throws ReferenceCsvError listing every bad line. */
export function parsePriceCsv(file: string, content: string): PriceRow[] {
  const problems: string[] = [];
  const rows: Array<PriceRow & { line: number }> = [];
  for (const { line, record } of readRecords(file, content, PRICE_COLUMNS)) {
    const rxnormId = tidy(record.rxnorm_id);
    const price = tidy(record.price_per_30_days);
    const asOf = tidy(record.as_of);
    const source = tidy(record.source);
    const before = problems.length;
    if (!RXCUI_PATTERN.test(rxnormId)) problems.push(`line ${line}: rxnorm_id "${rxnormId}" must be 1 to 10 digits`);
    if (!DOLLARS.test(price)) problems.push(`line ${line}: price_per_30_days "${price}" must be dollars such as 12.50 (no $ sign)`);
    if (!source) problems.push(`line ${line}: source is empty (say where the price comes from)`);
    if (!isCalendarDate(asOf)) problems.push(`line ${line}: as_of "${asOf}" must be a date YYYY-MM-DD`);
    if (problems.length === before) rows.push({ line, rxnormId, pricePer30Days: Number(price), source, asOf });
  }
  checkUnique(rows, problems);
  if (problems.length) throw new ReferenceCsvError(file, problems);
  return rows.map(({ line: _line, ...row }) => row);
}
