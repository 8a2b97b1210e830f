import { open, readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { ISSUER_ID_PATTERN } from '../common/identifiers';

/** One issuer of CMS's Machine-Readable URL public use file. */
export interface PufEntry {
  issuerId: string;
  issuerName: string | null;
  state: string | null;
  indexUrl: string;
  /** Row of the sheet or CSV (1-based, header included) the entry came from. */
  row: number;
}

export interface PufContents {
  entries: PufEntry[];
  /** Rows left out, and why (no URL, not an issuer id, a repeated issuer). */
  skipped: Array<{ row: number; reason: string }>;
}

export class PufError extends Error {}

type Column = 'state' | 'issuerId' | 'issuerName' | 'url';

/** Header spellings, compared lower-case without spaces or punctuation ("Issuer ID", "URL Submitted", ...). */
const HEADERS: Record<Column, string[]> = {
  state: ['state', 'statecode', 'stateabbreviation'],
  issuerId: ['issuerid', 'hiosissuerid', 'hiosid', 'issuerhiosid'],
  issuerName: ['issuername', 'issuermarketingname', 'issuerlegalname', 'marketingname'],
  url: ['urlsubmitted', 'url', 'indexurl', 'machinereadableurl', 'mrurl', 'submittedurl', 'cmsdataindexurl'],
};

const normalize = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

function columnsOf(header: string[]): Partial<Record<Column, number>> | null {
  const names = header.map((cell) => normalize(cell));
  const columns: Partial<Record<Column, number>> = {};
  for (const [column, spellings] of Object.entries(HEADERS) as Array<[Column, string[]]>) {
    const at = names.findIndex((name) => spellings.includes(name));
    if (at >= 0) columns[column] = at;
  }
  return columns.issuerId !== undefined && columns.url !== undefined ? columns : null;
}

/** Rows (strings) to entries: the header is the first of the top rows naming an issuer id and a URL column (sheets may open with a title). */
export function entriesOfRows(rows: string[][], source: string): PufContents {
  const headerAt = rows.slice(0, 20).findIndex((row) => columnsOf(row) !== null);
  if (headerAt < 0) {
    throw new PufError(
      `${source}: no header row with an issuer id and a URL column (expected headers such as "State", "Issuer ID", "Issuer Name", "URL Submitted")`,
    );
  }
  const columns = columnsOf(rows[headerAt])!;
  const entries: PufEntry[] = [];
  const skipped: PufContents['skipped'] = [];
  const seen = new Map<string, number>();
  for (let i = headerAt + 1; i < rows.length; i++) {
    const row = rows[i];
    const cell = (column: Column) => (columns[column] === undefined ? '' : (row[columns[column]!] ?? '').trim());
    const rowNumber = i + 1;
    if (row.every((value) => !value?.trim())) continue;
    let issuerId = cell('issuerId');
    // Spreadsheets store the id as a number: 1234 was 01234.
    if (/^\d{1,5}(\.0+)?$/.test(issuerId)) issuerId = issuerId.replace(/\.0+$/, '').padStart(5, '0');
    const indexUrl = cell('url');
    if (!ISSUER_ID_PATTERN.test(issuerId)) {
      skipped.push({ row: rowNumber, reason: `issuer id "${issuerId}" is not a 5-digit HIOS issuer id` });
      continue;
    }
    if (!indexUrl) {
      skipped.push({ row: rowNumber, reason: `issuer ${issuerId} has no URL` });
      continue;
    }
    const first = seen.get(issuerId);
    if (first !== undefined) {
      skipped.push({ row: rowNumber, reason: `issuer ${issuerId} is listed again (row ${first} is used)` });
      continue;
    }
    seen.set(issuerId, rowNumber);
    const state = cell('state').toUpperCase();
    entries.push({ issuerId, issuerName: cell('issuerName') || null, state: /^[A-Z]{2}$/.test(state) ? state : null, indexUrl, row: rowNumber });
  }
  return { entries, skipped };
}

/** A cell of a workbook as text: hyperlinks by their address, formulas by their result, rich text joined. */
function cellText(value: unknown): string {
  if (value == null) return '';
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return value.toISOString();
  const object = value as { hyperlink?: string; text?: unknown; result?: unknown; richText?: Array<{ text: string }> };
  if (object.richText) return object.richText.map((part) => part.text).join('');
  if (typeof object.hyperlink === 'string' && /^https?:/i.test(object.hyperlink)) return object.hyperlink;
  if (object.text !== undefined) return cellText(object.text);
  if (object.result !== undefined) return cellText(object.result);
  return '';
}

async function rowsOfXlsx(path: string): Promise<string[][]> {
  const workbook = new Workbook();
  await workbook.xlsx.readFile(path);
  // The first sheet that has the expected header; else the first sheet.
  for (const sheet of workbook.worksheets) {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      const values = (row.values as unknown[]).slice(1).map(cellText);
      rows[number - 1] = values;
    });
    const dense = Array.from(rows, (row) => row ?? []);
    if (dense.slice(0, 20).some((row) => columnsOf(row) !== null)) return dense;
  }
  return [];
}

async function isZipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** Reads the Machine-Readable URL PUF, as CMS publishes it (XLSX) or saved as CSV. */
export async function readPuf(path: string, source = path): Promise<PufContents> {
  if (await isZipFile(path)) {
    try {
      return entriesOfRows(await rowsOfXlsx(path), source);
    } catch (error) {
      if (error instanceof PufError) throw error;
      throw new PufError(`${source}: not a readable XLSX workbook (${(error as Error).message}); a ZIP of the PUF must be unpacked first`);
    }
  }
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true });
  } catch (error) {
    throw new PufError(`${source}: not a CSV file (${(error as Error).message})`);
  }
  return entriesOfRows(rows, source);
}
