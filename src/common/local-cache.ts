import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A file under node_modules/.cache/coverage-transparency-api: derived files (the bundled parse worker, the
 * ZIP centroid table) kept between processes. The folder is found through an installed dependency, so it is
 * the same from src/ (ts-node) and dist/.
 */
export function localCachePath(fileName: string): string {
  const nodeModules = dirname(dirname(require.resolve('pg/package.json')));
  return join(nodeModules, '.cache', 'coverage-transparency-api', fileName);
}

/** Writes `data` aside and renames it into place: a concurrent process never reads a half-written file. */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, path);
}
