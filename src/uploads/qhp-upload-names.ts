import { basename } from 'node:path';
import type { QhpFileKind } from '../ingest/import-contract';

/** Form field names that say outright what a file holds. */
const FIELD_KINDS: Record<string, 'index' | 'plans' | 'providers' | 'drugs'> = {
  index: 'index',
  'cms-data-index': 'index',
  plans: 'plans',
  providers: 'providers',
  drugs: 'drugs',
  formulary: 'drugs',
};

export const EXPECTED_NAMES =
  'plans.json, providers*.json, drugs*.json, providers*.csv, drugs*.csv or cms-data-index.json (or a form field named plans, providers, drugs or index)';

function kindFromStem(stem: string): 'index' | 'plans' | 'providers' | 'drugs' | null {
  if (stem.includes('index')) return 'index';
  if (stem.startsWith('plan')) return 'plans';
  if (stem.startsWith('provider')) return 'providers';
  if (stem.startsWith('drug') || stem.startsWith('formular')) return 'drugs';
  return null;
}

/**
 * What an uploaded file holds, from its form field name (when it names a kind) or its file name,
 * e.g. providers-2.json → providers, drugs.csv(.gz) → drugs-csv. Null when neither tells.
 */
export function inferUploadKind(fileName: string, fieldName: string): QhpFileKind | null {
  // A gzip file (.json.gz, .csv.gz) is decompressed as it is read: its kind is the inner name's.
  const lowerName = fileName.toLowerCase().replace(/\.gz$/, '');
  const isCsv = lowerName.endsWith('.csv');
  const base = FIELD_KINDS[fieldName.toLowerCase()] ?? kindFromStem(lowerName);
  if (!base) return null;
  if (!isCsv) return base;
  if (base === 'providers') return 'providers-csv';
  if (base === 'drugs') return 'drugs-csv';
  return null; // plans and the index only exist as JSON
}

/**
 * A file name safe to create in the spool directory that keeps the carrier's name recognisable
 * (reports and the index's URLs refer to files by name).
 */
export function safeUploadName(fileName: string): string {
  const name = basename(fileName.replace(/\\/g, '/'))
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 200);
  return name || 'upload';
}
