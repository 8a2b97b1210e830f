/**
 * Streaming provider-directory generation.
 *
 * Each state has a "universe" of providers addressed by a dense index k. A provider's identity
 * (name, NPI, specialty, offices...) is a pure function of (seed, state, k), and an issuer record
 * adds what is carrier-specific (plans, data-quality quirks). That lets one record be produced at
 * a time, in order, without memory of the others — and lets two Ohio issuers list the very same
 * doctor (same NPI, same identity) by both drawing from the state's shared pool.
 */

import { fixtureProviderRecords } from '../fixtures';
import {
  EXTRA_LANGUAGES,
  FACILITY_ANCHORS,
  FACILITY_NAME_PATTERNS,
  FACILITY_TYPES,
  FEMALE_FIRST_NAMES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  NAME_SUFFIXES,
  SPECIALTIES,
  type SpecialtyDefinition,
} from '../reference/names';
import { PLACES_BY_STATE, STREET_NAMES, SUITES, type DemoState, type Place } from '../reference/places';
import type { DemoPlanInfo, IssuerDefinition } from './issuers';
import { individualNpi, organizationNpi } from './npi';
import { hashInts, Rng } from './prng';
import type { Accepting, Gender, QhpAddress, QhpPersonName, QhpProvider, QhpProviderPlan } from './qhp-types';

/** Where an issuer's generated records come from; computed once per data set. */
export interface DirectoryLayout {
  issuerIndex: number;
  stateIndex: number;
  /** Position of the issuer among the issuers of its state (0 or 1). */
  slotInState: number;
  /** Records after the fixtures. */
  generatedCount: number;
  /** Size of the state's shared pool (0 when the issuer is alone in its state). */
  sharedPoolSize: number;
}

export interface DirectoryContext {
  issuer: IssuerDefinition;
  plans: readonly DemoPlanInfo[];
  layout: DirectoryLayout;
  seed: number;
  year: number;
}

// Universe index layout inside a state, and state blocks inside the NPI index space.
const STATE_BLOCK = 20_000_000;
const SHARED_POOL_CAPACITY = 4_000_000;
const ISSUER_SLOT_CAPACITY = 8_000_000;

const FACILITY_SHARE = 0.1;
const MISSING_PHONE_SHARE = 0.03;
const MISSING_ACCEPTING_SHARE = 0.05;
const SPECIALITY_SPELLING_SHARE = 0.1;
const PREFERRED_TIER_SHARE = 0.8;
/** How many of an issuer's plans a provider joins: weights for 1..5 plans (mean ~3). */
const PLAN_COUNT_WEIGHTS: ReadonlyArray<{ count: number; weight: number }> = [
  { count: 1, weight: 10 },
  { count: 2, weight: 25 },
  { count: 3, weight: 35 },
  { count: 4, weight: 20 },
  { count: 5, weight: 10 },
];

// ---------------------------------------------------------------------------------------------
// Identity (shared by every directory that lists the provider)

interface IndividualIdentity {
  type: 'INDIVIDUAL';
  npi: string;
  name: QhpPersonName;
  gender: Gender;
  specialties: string[];
  languages: string[];
  addresses: QhpAddress[];
  accepting: Accepting;
}

interface FacilityIdentity {
  type: 'FACILITY';
  npi: string;
  facilityName: string;
  facilityType: string[];
  addresses: QhpAddress[];
}

type Identity = IndividualIdentity | FacilityIdentity;

function phoneFor(rng: Rng, place: Place): string {
  // 555 exchange: unmistakably fictional, still 10 digits.
  return `${place.areaCode}555${String(rng.int(100, 9999)).padStart(4, '0')}`;
}

function addressAt(rng: Rng, place: Place, suiteShare: number): QhpAddress {
  const street = `${rng.int(100, 9899)} ${rng.pick(STREET_NAMES)}`;
  const suite = rng.chance(suiteShare) ? rng.pick(SUITES) : undefined;
  // Key order follows the CMS example: address, address_2, city, state, zip, phone.
  return {
    address: street,
    ...(suite ? { address_2: suite } : {}),
    city: place.city,
    state: place.state,
    zip: place.zip,
    phone: phoneFor(rng, place),
  };
}

/** One or two offices; a second office is usually in the same city. */
function officePlaces(rng: Rng, state: DemoState, secondOfficeShare: number): Place[] {
  const places = PLACES_BY_STATE[state];
  const first = rng.pick(places);
  if (!rng.chance(secondOfficeShare)) return [first];
  const sameCity = places.filter((place) => place.city === first.city && place.zip !== first.zip);
  const second = sameCity.length > 0 && rng.chance(0.7) ? rng.pick(sameCity) : rng.pick(places);
  return [first, second];
}

function personName(rng: Rng, gender: Gender, doctor: boolean): QhpPersonName {
  const firstNames = gender === 'Female' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES;
  const name: QhpPersonName = { first: rng.pick(firstNames), last: rng.pick(LAST_NAMES) };
  if (doctor) name.prefix = 'Dr.';
  else if (rng.chance(0.1)) name.prefix = gender === 'Female' ? 'Ms.' : 'Mr.';
  const middleRoll = rng.next();
  if (middleRoll < 0.3) name.middle = String.fromCharCode(65 + rng.int(0, 25));
  else if (middleRoll < 0.38) name.middle = rng.pick(firstNames);
  if (rng.chance(0.03)) name.last = `${name.last}-${rng.pick(LAST_NAMES)}`;
  if (gender === 'Male' && rng.chance(0.04)) name.suffix = rng.pick(NAME_SUFFIXES);
  // Re-key so the JSON always reads prefix, first, middle, last, suffix.
  return {
    ...(name.prefix ? { prefix: name.prefix } : {}),
    first: name.first,
    ...(name.middle ? { middle: name.middle } : {}),
    last: name.last,
    ...(name.suffix ? { suffix: name.suffix } : {}),
  };
}

function specialtiesFor(rng: Rng): { specialties: string[]; doctor: boolean } {
  const primary = rng.weighted(SPECIALTIES, (s: SpecialtyDefinition) => s.weight);
  const specialties = [primary.name];
  if (primary.doctor && rng.chance(0.08)) {
    const second = rng.weighted(SPECIALTIES, (s: SpecialtyDefinition) => (s.doctor && s.name !== primary.name ? s.weight : 0));
    specialties.push(second.name);
  }
  return { specialties, doctor: primary.doctor };
}

function languagesFor(rng: Rng, state: DemoState): string[] {
  const languages = ['English'];
  for (const { language, percentByState } of EXTRA_LANGUAGES) {
    if (languages.length < 3 && rng.chance(percentByState[state] / 100)) languages.push(language);
  }
  return languages;
}

function individualIdentity(rng: Rng, state: DemoState, npi: string): IndividualIdentity {
  const gender: Gender = rng.chance(0.5) ? 'Female' : 'Male';
  const { specialties, doctor } = specialtiesFor(rng);
  const name = personName(rng, gender, doctor);
  const languages = languagesFor(rng, state);
  const places = officePlaces(rng, state, 0.28);
  const addresses = places.map((place) => addressAt(rng, place, 0.3));
  const acceptingRoll = rng.next();
  let accepting: Accepting = acceptingRoll < 0.72 ? 'accepting' : acceptingRoll < 0.88 ? 'not accepting' : 'accepting in some locations';
  // "In some locations" only makes sense with several offices.
  if (accepting === 'accepting in some locations' && addresses.length < 2) accepting = 'accepting';
  return { type: 'INDIVIDUAL', npi, name, gender, specialties, languages, addresses, accepting };
}

function facilityIdentity(rng: Rng, state: DemoState, npi: string): FacilityIdentity {
  const { type } = rng.weighted(FACILITY_TYPES, (entry) => entry.weight);
  const places = officePlaces(rng, state, 0.1);
  const firstPlace = places[0] as Place;
  const facilityName = rng.pick(FACILITY_NAME_PATTERNS[type]).replace('{anchor}', rng.pick(FACILITY_ANCHORS)).replace('{city}', firstPlace.city);
  const addresses = places.map((place) => addressAt(rng, place, 0.15));
  return { type: 'FACILITY', npi, facilityName, facilityType: [type], addresses };
}

/** Identity of provider k of a state's universe: a pure function of (seed, state, k). */
function identityAt(seed: number, layout: DirectoryLayout, state: DemoState, k: number): Identity {
  const rng = new Rng(hashInts(seed, 0x1d, layout.stateIndex, k));
  const npiIndex = layout.stateIndex * STATE_BLOCK + k;
  return rng.chance(FACILITY_SHARE) ? facilityIdentity(rng, state, organizationNpi(npiIndex)) : individualIdentity(rng, state, individualNpi(npiIndex));
}

/**
 * Universe index of the j-th generated record. The state's shared pool (indices 0..S-1) is spread
 * evenly over each issuer's records, so every Ohio issuer lists all S pooled providers.
 */
function universeIndex(layout: DirectoryLayout, j: number): number {
  const { sharedPoolSize: pool, generatedCount: count } = layout;
  if (pool > 0) {
    const poolIndex = Math.floor((j * pool) / count);
    if (Math.floor(((j + 1) * pool) / count) > poolIndex) return poolIndex;
  }
  return SHARED_POOL_CAPACITY + layout.slotInState * ISSUER_SLOT_CAPACITY + j;
}

// ---------------------------------------------------------------------------------------------
// Issuer-specific record

const updateDatesCache = new Map<number, string[]>();

/** Candidate last_updated_on dates: June 1 .. December 20 of the year before the plan year. */
function updateDates(year: number): string[] {
  let dates = updateDatesCache.get(year);
  if (!dates) {
    dates = [];
    const start = Date.UTC(year - 1, 5, 1);
    const end = Date.UTC(year - 1, 11, 20);
    for (let time = start; time <= end; time += 86_400_000) dates.push(new Date(time).toISOString().slice(0, 10));
    updateDatesCache.set(year, dates);
  }
  return dates;
}

function networkPlans(rng: Rng, plans: readonly DemoPlanInfo[], year: number): QhpProviderPlan[] {
  const { count } = rng.weighted(PLAN_COUNT_WEIGHTS, (entry) => entry.weight);
  const order = plans.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i--) {
    const swap = rng.int(0, i);
    [order[i], order[swap]] = [order[swap] as number, order[i] as number];
  }
  const chosen = order.slice(0, Math.min(count, plans.length)).sort((a, b) => a - b);
  return chosen.map((index) => ({
    plan_id_type: 'HIOS-PLAN-ID',
    plan_id: (plans[index] as DemoPlanInfo).planId,
    network_tier: rng.chance(PREFERRED_TIER_SHARE) ? 'PREFERRED' : 'NON-PREFERRED',
    years: [year],
  }));
}

function withoutPhones(addresses: QhpAddress[]): QhpAddress[] {
  return addresses.map(({ phone: _phone, ...rest }) => rest);
}

function issuerRecord(identity: Identity, ctx: DirectoryContext, j: number): QhpProvider {
  const rng = new Rng(hashInts(ctx.seed, 0x2e, ctx.layout.issuerIndex, j));
  const plans = networkPlans(rng, ctx.plans, ctx.year);
  // Data-quality quirks are per directory: one carrier drops a phone another one publishes.
  const addresses = rng.chance(MISSING_PHONE_SHARE) ? withoutPhones(identity.addresses) : identity.addresses;
  const lastUpdatedOn = rng.pick(updateDates(ctx.year));
  if (identity.type === 'FACILITY') {
    return {
      npi: identity.npi,
      type: 'FACILITY',
      facility_name: identity.facilityName,
      facility_type: identity.facilityType,
      addresses,
      plans,
      last_updated_on: lastUpdatedOn,
    };
  }
  // Both spellings occur in real files (the schema says "speciality", CMS' example "specialty").
  const specialtyField = rng.chance(SPECIALITY_SPELLING_SHARE) ? { speciality: identity.specialties } : { specialty: identity.specialties };
  const omitAccepting = rng.chance(MISSING_ACCEPTING_SHARE);
  return {
    npi: identity.npi,
    type: 'INDIVIDUAL',
    name: identity.name,
    addresses,
    ...specialtyField,
    ...(omitAccepting ? {} : { accepting: identity.accepting }),
    gender: identity.gender,
    languages: identity.languages,
    plans,
    last_updated_on: lastUpdatedOn,
  };
}

/** Yields an issuer's whole directory: fixtures first, then generatedCount generated records. */
export function* generateDirectory(ctx: DirectoryContext): Generator<QhpProvider, void, undefined> {
  yield* fixtureProviderRecords(ctx.issuer.issuerId, ctx.year);
  for (let j = 0; j < ctx.layout.generatedCount; j++) {
    const identity = identityAt(ctx.seed, ctx.layout, ctx.issuer.state, universeIndex(ctx.layout, j));
    yield issuerRecord(identity, ctx, j);
  }
}
