import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { PLAN_ID_TYPE } from '../../qhp/vocabulary';
import { ImportError } from '../import-contract';
import { RecordBatch } from './json-array-reader';
import { LoadFailure, Warning } from '../validate/reasons';
import { FieldPath, IssueSink, RecordLocation } from '../validate/validation-report';

/**
 * CSV files for carriers without JSON (see docs/csv-layout.md). Rows are grouped back into QHP-shaped
 * records, so they go through exactly the validation of JSON records; only paths differ
 * ("row 14 column zip": rows count records as a spreadsheet does, the header being row 1).
 */

export const LIST_SEPARATOR = '|';

export const PROVIDER_CSV_COLUMNS = [
  'npi',
  'type',
  'prefix',
  'first_name',
  'middle_name',
  'last_name',
  'suffix',
  'facility_name',
  'facility_types',
  'specialties',
  'accepting',
  'gender',
  'languages',
  'last_updated_on',
  'address',
  'address_2',
  'city',
  'state',
  'zip',
  'phone',
  'plan_id',
  'network_tier',
  'years',
] as const;
const REQUIRED_PROVIDER_COLUMNS = ['npi', 'type', 'first_name', 'last_name', 'facility_name', 'address', 'city', 'state', 'zip', 'plan_id', 'network_tier'];

export const DRUG_CSV_COLUMNS = ['rxnorm_id', 'drug_name', 'plan_id', 'drug_tier', 'prior_authorization', 'step_therapy', 'quantity_limit', 'years'] as const;
const REQUIRED_DRUG_COLUMNS = ['rxnorm_id', 'drug_name', 'plan_id', 'drug_tier'];

const BATCH_RECORDS = 512;
const KEY_SEPARATOR = '\u0001';

/** QHP field name → CSV column, where they differ. */
const COLUMN_OF_FIELD: Record<string, string> = {
  first: 'first_name',
  middle: 'middle_name',
  last: 'last_name',
  facility_type: 'facility_types',
  specialty: 'specialties',
  speciality: 'specialties',
  plans: 'plan_id',
  addresses: 'address',
};

/** Maps a field of a grouped record back to the CSV row and column it came from. */
export class CsvRecordLocation implements RecordLocation {
  constructor(
    readonly recordIndex: number,
    private readonly firstRow: number,
    private readonly addressRows: number[],
    private readonly planRows: number[],
  ) {}

  pathOf(field: FieldPath): string {
    const [top, index] = field;
    let row = this.firstRow;
    if (typeof index === 'number' && top === 'addresses') row = this.addressRows[index] ?? row;
    if (typeof index === 'number' && top === 'plans') row = this.planRows[index] ?? row;
    const names = field.filter((part): part is string => typeof part === 'string');
    const leaf = names[names.length - 1];
    return leaf === undefined ? `row ${row}` : `row ${row} column ${COLUMN_OF_FIELD[leaf] ?? leaf}`;
  }
}

type CsvRow = Record<string, string | undefined>;

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(LIST_SEPARATOR)
        .map((v) => v.trim())
        .filter(Boolean);
}

/** Consecutive rows of one record, gathered into its QHP shape. */
interface RowGroup {
  key: string;
  firstRow: number;
  record: Record<string, unknown>;
  plans: unknown[];
  planRows: number[];
  addresses: Array<Record<string, unknown>>;
  addressKeys: string[];
  addressRows: number[];
}

interface CsvKind {
  columns: readonly string[];
  required: readonly string[];
  groupKey(row: CsvRow): string;
  startRecord(row: CsvRow): Record<string, unknown>;
  addRow(group: RowGroup, row: CsvRow, rowNumber: number): void;
}

const PROVIDERS: CsvKind = {
  columns: PROVIDER_CSV_COLUMNS,
  required: REQUIRED_PROVIDER_COLUMNS,
  groupKey: (row) => [row.npi, row.type, row.first_name, row.last_name, row.facility_name].join(KEY_SEPARATOR),
  startRecord: (row) => ({
    npi: row.npi ?? null,
    type: row.type,
    name: { prefix: row.prefix, first: row.first_name, middle: row.middle_name, last: row.last_name, suffix: row.suffix },
    facility_name: row.facility_name,
    facility_type: list(row.facility_types),
    specialty: list(row.specialties),
    accepting: row.accepting,
    gender: row.gender,
    languages: list(row.languages),
    last_updated_on: row.last_updated_on,
  }),
  addRow(group, row, rowNumber) {
    if (row.address !== undefined || row.city !== undefined || row.state !== undefined || row.zip !== undefined) {
      const address = { address: row.address, address_2: row.address_2, city: row.city, state: row.state, zip: row.zip, phone: row.phone };
      const key = [address.address, address.address_2, address.city, address.state, address.zip, address.phone].join(KEY_SEPARATOR);
      // A provider in several plans repeats its addresses on each plan's row: keep each address once.
      if (!group.addressKeys.includes(key)) {
        group.addressKeys.push(key);
        group.addresses.push(address);
        group.addressRows.push(rowNumber);
      }
    }
    if (row.plan_id !== undefined || row.network_tier !== undefined) {
      group.plans.push({ plan_id_type: PLAN_ID_TYPE, plan_id: row.plan_id, network_tier: row.network_tier, years: list(row.years) });
      group.planRows.push(rowNumber);
    }
  },
};

const DRUGS: CsvKind = {
  columns: DRUG_CSV_COLUMNS,
  required: REQUIRED_DRUG_COLUMNS,
  groupKey: (row) => [row.rxnorm_id, row.drug_name].join(KEY_SEPARATOR),
  startRecord: (row) => ({ rxnorm_id: row.rxnorm_id, drug_name: row.drug_name }),
  addRow(group, row, rowNumber) {
    group.plans.push({
      plan_id_type: PLAN_ID_TYPE,
      plan_id: row.plan_id,
      drug_tier: row.drug_tier,
      prior_authorization: row.prior_authorization,
      step_therapy: row.step_therapy,
      quantity_limit: row.quantity_limit,
      years: list(row.years),
    });
    group.planRows.push(rowNumber);
  },
};

function csvError(fileName: string, error: Error & { code?: string }): ImportError {
  if (error instanceof ImportError) return error;
  return new ImportError(LoadFailure.INVALID_CSV, `${fileName} is not valid CSV: ${error.message}`, fileName);
}

function readHeader(header: string[], kind: CsvKind, fileName: string, issues: IssueSink): string[] {
  const columns = header.map((name) => name.trim().toLowerCase());
  const missing = kind.required.filter((name) => !columns.includes(name));
  if (missing.length) {
    throw new ImportError(
      LoadFailure.INVALID_CSV,
      `${fileName}: the header (row 1) lacks the column(s) ${missing.join(', ')}; see docs/csv-layout.md for the expected columns`,
      fileName,
    );
  }
  const headerAt = new CsvRecordLocation(-1, 1, [], []);
  for (const name of columns) {
    if (!kind.columns.includes(name)) issues.warn(headerAt, [name], Warning.UNKNOWN_CSV_COLUMN, `column "${name}" is not part of the layout: ignored`);
  }
  return columns;
}

function toRow(columns: string[], values: string[]): CsvRow {
  const row: CsvRow = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i] === '' ? undefined : values[i];
  return row;
}

function finishGroup(group: RowGroup, recordIndex: number): { record: unknown; location: RecordLocation } {
  const record = { ...group.record, plans: group.plans, ...(group.addressRows.length ? { addresses: group.addresses } : {}) };
  return { record, location: new CsvRecordLocation(recordIndex, group.firstRow, group.addressRows, group.planRows) };
}

async function* csvRecords(chunks: AsyncIterable<Buffer>, kind: CsvKind, fileName: string, issues: IssueSink): AsyncGenerator<RecordBatch> {
  const rows = Readable.from(chunks).pipe(parse({ bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }));
  let columns: string[] | null = null;
  let rowNumber = 0;
  let group: RowGroup | null = null;
  let batch: RecordBatch = { records: [], firstIndex: 0, locations: [] };
  let recordIndex = 0;

  const close = (): void => {
    if (!group) return;
    const { record, location } = finishGroup(group, recordIndex++);
    batch.records.push(record);
    batch.locations!.push(location);
    group = null;
  };

  try {
    for await (const values of rows as AsyncIterable<string[]>) {
      rowNumber++;
      if (!columns) {
        columns = readHeader(values, kind, fileName, issues);
        continue;
      }
      const row = toRow(columns, values);
      const key = kind.groupKey(row);
      if (!group || group.key !== key) {
        close();
        if (batch.records.length >= BATCH_RECORDS) {
          yield batch;
          batch = { records: [], firstIndex: recordIndex, locations: [] };
        }
        group = { key, firstRow: rowNumber, record: kind.startRecord(row), plans: [], planRows: [], addresses: [], addressKeys: [], addressRows: [] };
      }
      kind.addRow(group, row, rowNumber);
    }
  } catch (error) {
    throw csvError(fileName, error as Error);
  } finally {
    rows.destroy();
  }
  if (!columns) throw new ImportError(LoadFailure.INVALID_CSV, `${fileName} is empty: expected a header row`, fileName);
  close();
  if (batch.records.length) yield batch;
}

/** providers.csv as QHP provider records: one row per provider × plan (see docs/csv-layout.md). */
export function readProviderCsv(chunks: AsyncIterable<Buffer>, fileName: string, issues: IssueSink): AsyncGenerator<RecordBatch> {
  return csvRecords(chunks, PROVIDERS, fileName, issues);
}

/** drugs.csv as QHP drug records: one row per drug × plan. */
export function readDrugCsv(chunks: AsyncIterable<Buffer>, fileName: string, issues: IssueSink): AsyncGenerator<RecordBatch> {
  return csvRecords(chunks, DRUGS, fileName, issues);
}
