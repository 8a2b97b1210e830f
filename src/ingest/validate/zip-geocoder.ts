import { readFileSync } from 'node:fs';
import { localCachePath, writeFileAtomically } from '../../common/local-cache';
import { zipcodes } from '../../common/zipcodes';

export interface Coordinates {
  latitude: number;
  longitude: number;
}

let sharedCentroids: Float64Array | null = null;

/** ZIPs 00000–99999, a latitude and a longitude each. */
const CENTROID_TABLE_BYTES = 100_000 * 2 * Float64Array.BYTES_PER_ELEMENT;

/** The table filled from the `zipcodes` package: NaN where a ZIP has no (finite) centroid. */
export function fillZipCentroids(table: Float64Array): void {
  table.fill(NaN);
  for (const place of Object.values(zipcodes().codes)) {
    if (!/^[0-9]{5}$/.test(place.zip) || !Number.isFinite(place.latitude) || !Number.isFinite(place.longitude)) continue;
    const at = 2 * Number(place.zip);
    table[at] = place.latitude;
    table[at + 1] = place.longitude;
  }
}

/**
 * Where the table is kept between processes, named by the package's version (an upgrade makes a new file).
 * Loading the package costs CPU time and memory in every process that imports (each CLI import);
 * reading the cached file back is nearly free.
 */
export function zipCentroidCachePath(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('zipcodes/package.json') as { version: string };
  return localCachePath(`zip-centroids-${version}.f64`);
}

/** The cached table into `table`; false when there is none (or it is not exactly a table's size). */
function readCachedCentroids(path: string, table: Float64Array): boolean {
  try {
    const bytes = readFileSync(path);
    if (bytes.length !== CENTROID_TABLE_BYTES) return false;
    new Uint8Array(table.buffer, table.byteOffset, table.byteLength).set(bytes);
    return true;
  } catch {
    return false;
  }
}

function writeCachedCentroids(path: string, table: Float64Array): void {
  try {
    writeFileAtomically(path, new Uint8Array(table.buffer, table.byteOffset, table.byteLength));
  } catch {
    // A read-only node_modules: every process builds the table from the package.
  }
}

/**
 * Every US ZIP centroid of the `zipcodes` package as one flat table: ZIP n's latitude and longitude
 * at [2n] and [2n + 1], NaN when unknown. 1.6 MB in a SharedArrayBuffer, so worker threads look ZIPs
 * up without loading the package (its table again in each thread). Read from the cache file when there is one.
 */
export function sharedZipCentroids(): Float64Array {
  return (sharedCentroids ??= loadZipCentroids(zipCentroidCachePath()));
}

/** A new shared table: read from the cache file at `path`, or filled from the package and then cached there. */
export function loadZipCentroids(path: string): Float64Array {
  const table = new Float64Array(new SharedArrayBuffer(CENTROID_TABLE_BYTES));
  if (!readCachedCentroids(path, table)) {
    fillZipCentroids(table);
    writeCachedCentroids(path, table);
  }
  return table;
}

/** Locates addresses that come without coordinates at their ZIP code's centroid. */
export class ZipGeocoder {
  private readonly cache = new Map<string, Coordinates | null>();

  /** `centroids` defaults to sharedZipCentroids(), built on the first lookup (a load without addresses never needs it). */
  constructor(private centroids: Float64Array | null = null) {}

  locate(zip: string): Coordinates | null {
    const cached = this.cache.get(zip);
    if (cached !== undefined) return cached;
    this.centroids ??= sharedZipCentroids();
    const at = /^[0-9]{5}$/.test(zip) ? 2 * Number(zip) : -1;
    const found = at >= 0 && !Number.isNaN(this.centroids[at]) ? { latitude: this.centroids[at], longitude: this.centroids[at + 1] } : null;
    this.cache.set(zip, found);
    return found;
  }
}
