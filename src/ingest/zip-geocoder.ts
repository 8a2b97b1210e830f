import { zipcodes } from '../common/zipcodes';

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** Locates addresses that come without coordinates at their ZIP code's centroid (`zipcodes` package). */
export class ZipGeocoder {
  private readonly cache = new Map<string, Coordinates | null>();

  locate(zip: string): Coordinates | null {
    const cached = this.cache.get(zip);
    if (cached !== undefined) return cached;
    const place = zipcodes().lookup(zip);
    const found = place && Number.isFinite(place.latitude) && Number.isFinite(place.longitude)
      ? { latitude: place.latitude, longitude: place.longitude }
      : null;
    this.cache.set(zip, found);
    return found;
  }
}
