export interface Coordinates {
  latitude: number;
  longitude: number;
}

interface ZipcodesModule {
  lookup(zip: string): { latitude: number; longitude: number } | undefined;
}

/**
 * Locates addresses that come without coordinates at their ZIP code's centroid (`zipcodes` package).
 * The package's table costs ~90 MB and ~0.2 s, so it is loaded on the first lookup only.
 */
export class ZipGeocoder {
  private zipcodes: ZipcodesModule | null = null;
  private readonly cache = new Map<string, Coordinates | null>();

  locate(zip: string): Coordinates | null {
    const cached = this.cache.get(zip);
    if (cached !== undefined) return cached;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.zipcodes ??= require('zipcodes') as ZipcodesModule;
    const place = this.zipcodes.lookup(zip);
    const found = place && Number.isFinite(place.latitude) && Number.isFinite(place.longitude)
      ? { latitude: place.latitude, longitude: place.longitude }
      : null;
    this.cache.set(zip, found);
    return found;
  }
}
