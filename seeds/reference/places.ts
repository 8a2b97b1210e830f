/**
 * Real ZIP codes for the four demo states, resolved through the `zipcodes` package so city and
 * coordinates are genuine. Area codes are curated by hand (the package does not carry them);
 * generated phone numbers use the fictional 555 exchange.
 */

import { zipcodes } from '../../src/common/zipcodes';

export type DemoState = 'OH' | 'TX' | 'FL' | 'NY';

export interface Place {
  zip: string;
  city: string;
  state: DemoState;
  latitude: number;
  longitude: number;
  /** Telephone area code for the metro area. */
  areaCode: string;
}

/** [area code, ZIPs] per metro area; ZIPs the package cannot resolve are dropped below. */
const CURATED_ZIPS: Record<DemoState, Array<[string, string[]]>> = {
  OH: [
    ['614', ['43215', '43201', '43205', '43206', '43209', '43210', '43214', '43219', '43085', '43017', '43081']],
    ['216', ['44113', '44102', '44103', '44106', '44114', '44115', '44120', '44107']],
    ['513', ['45202', '45206', '45208', '45219', '45220', '45229']],
    ['419', ['43604', '43606', '43614']],
    ['330', ['44308', '44310', '44313']],
    ['937', ['45402', '45405', '45409']],
  ],
  TX: [
    ['713', ['77002', '77004', '77006', '77019', '77024', '77030', '77054']],
    ['512', ['78701', '78702', '78705', '78731', '78745', '78758']],
    ['214', ['75201', '75204', '75206', '75219', '75235']],
    ['210', ['78205', '78212', '78229']],
    ['817', ['76102', '76104', '76107']],
    ['915', ['79901', '79902']],
  ],
  FL: [
    ['305', ['33130', '33125', '33133', '33136', '33137', '33156']],
    ['813', ['33602', '33606', '33609', '33612']],
    ['407', ['32801', '32803', '32806', '32819']],
    ['904', ['32202', '32204', '32207', '32256']],
    ['352', ['32601', '32608']],
    ['850', ['32301', '32308']],
    ['954', ['33301', '33308']],
  ],
  NY: [
    ['212', ['10003', '10016', '10019', '10021', '10025', '10032', '10065']],
    ['718', ['11201', '11215', '11217']],
    ['716', ['14202', '14203', '14209', '14214']],
    ['585', ['14604', '14607', '14620']],
    ['518', ['12203', '12208', '12210']],
    ['315', ['13202', '13210']],
  ],
};

function resolvePlaces(state: DemoState): Place[] {
  const places: Place[] = [];
  for (const [areaCode, zips] of CURATED_ZIPS[state]) {
    for (const zip of zips) {
      const record = zipcodes().lookup(zip);
      // Keep only ZIPs the package knows and that really lie in the expected state.
      if (record && record.state === state) {
        places.push({ zip, city: record.city, state, latitude: record.latitude, longitude: record.longitude, areaCode });
      }
    }
  }
  return places;
}

export const DEMO_STATES: readonly DemoState[] = ['OH', 'TX', 'FL', 'NY'];

export const PLACES_BY_STATE: Readonly<Record<DemoState, readonly Place[]>> = {
  OH: resolvePlaces('OH'),
  TX: resolvePlaces('TX'),
  FL: resolvePlaces('FL'),
  NY: resolvePlaces('NY'),
};

/** Look up one curated place; throws so fixture definitions fail loudly on a typo. */
export function placeByZip(zip: string): Place {
  for (const state of DEMO_STATES) {
    const place = PLACES_BY_STATE[state].find((candidate) => candidate.zip === zip);
    if (place) return place;
  }
  throw new Error(`ZIP ${zip} is not in the curated demo places`);
}

export const STREET_NAMES: readonly string[] = [
  'Main St',
  'High St',
  'Broad St',
  'Market St',
  'Oak Ave',
  'Maple Dr',
  'Elm St',
  'Park Ave',
  'Washington Blvd',
  'Lincoln Ave',
  'Jefferson St',
  'Madison Ave',
  'Church St',
  'Lake Rd',
  'River Rd',
  'Hill St',
  'Cedar Ln',
  'Pine St',
  'Walnut St',
  'Chestnut St',
  'Sycamore Dr',
  'Willow Way',
  'Spring St',
  'Center St',
  'Union St',
  'Franklin Ave',
  'Grant St',
  'Highland Ave',
  'Forest Ave',
  'Meadow Ln',
  'Medical Center Dr',
  'Hospital Dr',
  'Health Pkwy',
  'Wellness Way',
  'Professional Plz',
  'Commerce Dr',
  'University Ave',
  'College St',
  'Airport Rd',
  'Sunset Blvd',
];

export const SUITES: readonly string[] = ['Suite 100', 'Suite 120', 'Suite 200', 'Suite 210', 'Suite 300', 'Suite 410', 'Floor 2', 'Bldg B'];
