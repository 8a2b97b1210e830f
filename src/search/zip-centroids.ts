import { ZIP_PATTERN } from '../common/identifiers';
import { zipcodes } from '../common/zipcodes';
import { userInputError } from './user-input-error';

export interface ZipCentroid {
  zip: string;
  latitude: number;
  longitude: number;
  city: string;
  state: string;
}

/** The centroid of a US ZIP code (the same source that geocodes addresses at load), or a BAD_USER_INPUT error. */
export function zipCentroid(zip: string, field = 'zip'): ZipCentroid {
  if (!ZIP_PATTERN.test(zip)) throw userInputError(`${field} must be a 5-digit US ZIP code (got "${zip}")`, field);
  const found = zipcodes().lookup(zip);
  if (!found) throw userInputError(`Unknown ZIP code ${zip}: it has no known location`, field);
  return { zip, latitude: found.latitude, longitude: found.longitude, city: found.city, state: found.state };
}
