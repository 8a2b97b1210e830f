import { zipcodes } from '../common/zipcodes';

export interface Coordinates {
  latitude: number;
  longitude: number;
}

let sharedCentroids: Float64Array | null = null;

/**
 * Every US ZIP centroid of the `zipcodes` package as one flat table: ZIP n's latitude and longitude
 * at [2n] and [2n + 1], NaN when unknown. 1.6 MB in a SharedArrayBuffer, so worker threads look ZIPs
 * up without loading the package (~90 MB in each thread).
 */
export function sharedZipCentroids(): Float64Array {
  if (sharedCentroids) return sharedCentroids;
  const table = new Float64Array(new SharedArrayBuffer(100_000 * 2 * Float64Array.BYTES_PER_ELEMENT)).fill(NaN);
  for (const place of Object.values(zipcodes().codes)) {
    if (!/^[0-9]{5}$/.test(place.zip) || !Number.isFinite(place.latitude) || !Number.isFinite(place.longitude)) continue;
    const at = 2 * Number(place.zip);
    table[at] = place.latitude;
    table[at + 1] = place.longitude;
  }
  return (sharedCentroids = table);
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
