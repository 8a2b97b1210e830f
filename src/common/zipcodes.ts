/** A US ZIP code's centroid as the `zipcodes` package gives it. */
export interface ZipcodeRecord {
  zip: string;
  latitude: number;
  longitude: number;
  city: string;
  state: string;
  country: string;
}

export interface ZipcodesPackage {
  /** Every code by code (US ZIPs, and some Canadian postal codes). */
  codes: Record<string, ZipcodeRecord>;
  lookup(zip: string | number): ZipcodeRecord | undefined;
  lookupByState(state: string): ZipcodeRecord[];
}

/**
 * The `zipcodes` package (US ZIP centroids), typed here once because it ships no declarations.
 * Loaded on first use: building its table takes noticeable memory and time, which a process that never
 * geocodes should not pay.
 */
export function zipcodes(): ZipcodesPackage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('zipcodes') as ZipcodesPackage;
}
