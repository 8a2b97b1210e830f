import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImportError, ImportRequest, QhpFileKind } from '../import-contract';
import type { GrowingFile } from './growing-file';
import { tooLargeError } from './metered-file';
import { LoadFailure } from '../validate/reasons';

export type DataFileKind = Exclude<QhpFileKind, 'index'>;

/** A data file of the load, in load order (plans, then providers, then drugs). */
export interface SourceFile {
  path: string;
  /** Name in reports: the upload's name, the index URL's file name, or the path given. */
  name: string;
  kind: DataFileKind;
  /** Bytes on disk; for a file still being written, the size announced for it, else 0. */
  bytes: number;
  growing?: GrowingFile;
}

/** An index is a small document; anything bigger is not one. */
const MAX_INDEX_BYTES = 10 * 1024 * 1024;
const LOAD_ORDER: Record<DataFileKind, number> = { plans: 0, providers: 1, 'providers-csv': 1, drugs: 2, 'drugs-csv': 2 };

export function isProviderKind(kind: DataFileKind): boolean {
  return kind === 'providers' || kind === 'providers-csv';
}

export function isDrugKind(kind: DataFileKind): boolean {
  return kind === 'drugs' || kind === 'drugs-csv';
}

/** plans*.json, providers*.json, drugs*.json / formulary*.json, providers*.csv, drugs*.csv, *index*.json; each may end in .gz. */
export function kindFromFileName(fileName: string): QhpFileKind | null {
  const name = basename(fileName).toLowerCase().replace(/\.gz$/, '');
  const csv = name.endsWith('.csv');
  if (!csv && !name.endsWith('.json')) return null;
  if (!csv && name.includes('index')) return 'index';
  if (!csv && name.startsWith('plan')) return 'plans';
  if (name.startsWith('provider')) return csv ? 'providers-csv' : 'providers';
  if (name.startsWith('drug') || name.startsWith('formular')) return csv ? 'drugs-csv' : 'drugs';
  return null;
}

interface RequestedFile {
  path: string;
  name: string;
  kind: QhpFileKind;
  growing?: GrowingFile;
}

/** Where an index URL points: absolute URLs by file name next to the index, relative ones from the index. */
function localPathOfUrl(url: string, indexDir: string): { path: string; name: string } {
  if (/^https?:\/\//i.test(url)) {
    const name = basename(decodeURIComponent(new URL(url).pathname));
    return { path: resolve(indexDir, name), name };
  }
  if (/^file:\/\//i.test(url)) {
    const path = fileURLToPath(url);
    return { path, name: basename(path) };
  }
  return { path: resolve(indexDir, url), name: url };
}

function indexUrls(index: Record<string, unknown>, key: string, indexName: string, required: boolean): string[] {
  const value = index[key];
  if (value == null && !required) return [];
  if (!Array.isArray(value) || value.some((url) => typeof url !== 'string' || url.trim() === '')) {
    throw new ImportError(
      LoadFailure.INVALID_INDEX,
      `${indexName}: ${key} ${value == null ? 'is missing' : 'is not an array of URLs'} (expected an array of file URLs)`,
      indexName,
    );
  }
  if (required && value.length === 0) {
    throw new ImportError(LoadFailure.INVALID_INDEX, `${indexName}: ${key} is empty (at least one URL is required)`, indexName);
  }
  return value as string[];
}

/** The files an index (cms-data-index.json) lists. */
async function filesOfIndex(index: RequestedFile): Promise<RequestedFile[]> {
  const info = await statOrFail(index);
  if (info > MAX_INDEX_BYTES) throw tooLargeError(index.name, info, MAX_INDEX_BYTES, false);
  let document: unknown;
  try {
    document = JSON.parse(await readFile(index.path, 'utf8'));
  } catch (error) {
    throw new ImportError(LoadFailure.INVALID_INDEX, `${index.name} is not JSON: ${(error as Error).message.slice(0, 200)}`, index.name);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ImportError(LoadFailure.INVALID_INDEX, `${index.name}: expected an object with plan_urls, provider_urls and formulary_urls`, index.name);
  }
  const record = document as Record<string, unknown>;
  const dir = dirname(index.path);
  const listed = (key: string, kind: DataFileKind, required: boolean): RequestedFile[] =>
    indexUrls(record, key, index.name, required).map((url) => ({ ...localPathOfUrl(url.trim(), dir), kind }));
  return [...listed('plan_urls', 'plans', true), ...listed('provider_urls', 'providers', true), ...listed('formulary_urls', 'drugs', false)];
}

async function statOrFail(file: RequestedFile): Promise<number> {
  try {
    const info = await stat(file.path);
    if (!info.isFile()) throw new Error('not a file');
    return info.size;
  } catch {
    throw new ImportError(LoadFailure.FILE_NOT_FOUND, `${file.name}: no such file (${file.path})`, file.name);
  }
}

function requestedFiles(request: ImportRequest): RequestedFile[] {
  const paths = request.paths ?? [];
  // Reports name a file by its base name ("providers.json"), or by the path given when two share one.
  const baseNames = paths.map((path) => basename(path));
  const nameOf = (path: string, i: number) => (baseNames.indexOf(baseNames[i]) === baseNames.lastIndexOf(baseNames[i]) ? baseNames[i] : path);
  const fromPaths = paths.map((path, i) => ({ path, name: nameOf(path, i), kind: undefined as QhpFileKind | undefined, growing: undefined }));
  const fromFiles = (request.files ?? []).map((file) => ({ path: file.path, name: file.name ?? basename(file.path), kind: file.kind, growing: file.growing }));
  return [...fromPaths, ...fromFiles].map((file) => {
    const kind = file.kind ?? kindFromFileName(file.name) ?? kindFromFileName(file.path);
    if (!kind) {
      throw new ImportError(
        LoadFailure.UNKNOWN_FILE_KIND,
        `${file.name}: cannot tell what the file holds; name it plans*.json, providers*.json, drugs*.json, providers*.csv, drugs*.csv or cms-data-index.json`,
        file.name,
      );
    }
    return { path: resolve(file.path), name: file.name, kind, growing: file.growing };
  });
}

/**
 * The data files of a request in load order: indexes expanded, each file once (an upload may send
 * an index together with the files it lists), sizes checked against maxFileBytes before reading.
 */
export async function resolveSourceFiles(request: ImportRequest): Promise<SourceFile[]> {
  const requested = requestedFiles(request);
  if (!requested.length) throw new ImportError(LoadFailure.NO_FILES, 'no files to import: give an index (cms-data-index.json) or plans/providers/drugs files');

  const expanded: RequestedFile[] = [];
  for (const file of requested) expanded.push(...(file.kind === 'index' ? await filesOfIndex(file) : [file]));

  const seen = new Set<string>();
  const files: SourceFile[] = [];
  for (const file of expanded) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    // A file still being written has no size yet: the reader's meter applies the limit as it grows.
    const bytes = file.growing ? (file.growing.expectedBytes ?? 0) : await statOrFail(file);
    if (request.maxFileBytes !== undefined && bytes > request.maxFileBytes) throw tooLargeError(file.name, bytes, request.maxFileBytes, false);
    files.push({ path: file.path, name: file.name, kind: file.kind as DataFileKind, bytes, ...(file.growing ? { growing: file.growing } : {}) });
  }
  if (!files.some((file) => file.kind === 'plans')) {
    throw new ImportError(
      LoadFailure.MISSING_PLANS,
      'no plans file: providers and drugs are checked against the plans of the same load, so plans.json is required',
    );
  }
  // Array.prototype.sort is stable: files of one kind keep their order.
  return files.sort((a, b) => LOAD_ORDER[a.kind] - LOAD_ORDER[b.kind]);
}
