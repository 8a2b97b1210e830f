import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { startTestApp, TestApp } from '../helpers/test-app';
import { breadthRows, countedPlans, CountedIssuer, loadListings, planEntries, rankRows, versionRows } from './network-set-fixtures';

/**
 * Breadth and ranking with a specialty read per-(set, specialty) counts taken at load
 * (network_set_specialty_count), less the NPIs listed in several sets of one network where they have that
 * specialty (network_set_shared_npi.specialties). A carrier may list one NPI under different specialties
 * in different plan lists: it counts for a specialty only in the sets where a listing of it has that one.
 */
const ISSUER = '55593';
const YEAR = 2025;
// A state of its own: test files may share one database, and the ranking takes every plan of the state.
const STATE = 'SD';
const npi = (n: number) => withNpiCheckDigit(155_593_000 + n);
const COUNTED: CountedIssuer = { issuerId: ISSUER, issuerName: 'Specialty Counted Health', state: STATE, year: YEAR };
const PLAN = countedPlans(COUNTED);
const entries = (...plans: string[]) => planEntries(COUNTED, ...plans);
const address = (street: string) => [{ address: street, city: 'Pierre', state: STATE, zip: '57501' }];
const person = (n: number, specialty: string[], plans: string[]) => ({
  npi: npi(n),
  type: 'INDIVIDUAL',
  name: { first: `First${n}`, last: `Last${n}` },
  specialty,
  addresses: address(`${n} ${specialty.join(' ')} St`),
  plans: entries(...plans),
});
const hospital = (n: number, plans: string[], specialty: string[] = []) => ({
  npi: npi(n),
  type: 'FACILITY',
  facility_name: `Facility ${n}`,
  facility_type: ['General Acute Care Hospital'],
  specialty,
  addresses: address(`${n} Hospital Rd ${plans.length}`),
  plans: entries(...plans),
});

// Sets: {A}, {A,B}, {B}, {C}, {A,B,C}, {B,C}.
const LISTINGS = [
  // Psychiatry in {A}, cardiology in {A,B}: a psychiatrist in plan a only, a cardiologist in a and b.
  person(1, ['Psychiatry'], [PLAN.a]),
  person(1, ['Cardiology'], [PLAN.a, PLAN.b]),
  // Two specialties on one listing.
  person(2, ['Psychiatry', 'Family Medicine'], [PLAN.b]),
  // The same specialty spelled differently in {C} and {A}.
  person(3, ['PSYCHIATRY'], [PLAN.c]),
  person(3, ['psychiatry'], [PLAN.a]),
  // Psychiatry in two sets of plan a's network ({A} and {A,B}): counted once.
  person(4, ['Psychiatry'], [PLAN.a]),
  person(4, ['Psychiatry', 'Neurology'], [PLAN.a, PLAN.b]),
  // No specialty, in every plan.
  person(5, [], [PLAN.a, PLAN.b, PLAN.c]),
  // Psychiatry in {B}, cardiology in {A,B}.
  person(7, ['Psychiatry'], [PLAN.b]),
  person(7, ['Cardiology'], [PLAN.a, PLAN.b]),
  hospital(6, [PLAN.b]),
  hospital(8, [PLAN.a]),
  hospital(8, [PLAN.c]),
  // A psychiatric hospital in {C} and {B,C}.
  hospital(10, [PLAN.c], ['Psychiatry']),
  hospital(10, [PLAN.b, PLAN.c], ['Psychiatry']),
];
/** Distinct NPIs of the specialty, and distinct hospital NPIs (never filtered by specialty), by hand. */
const PSYCHIATRY = [
  [PLAN.a, 3, 1], // 1, 3, 4; hospital 8
  [PLAN.b, 4, 2], // 2, 4, 7, 10; hospitals 6, 10
  [PLAN.c, 2, 2], // 3, 10; hospitals 8, 10
];
const CARDIOLOGY = [
  [PLAN.a, 2, 1], // 1, 7
  [PLAN.b, 2, 2], // 1, 7
  [PLAN.c, 0, 2],
];
/** Each plan's network by specialty: key, distinct NPIs, distinct hospital NPIs of it, by hand. */
const SIZES = [
  [
    ['psychiatry', 3, 0],
    ['cardiology', 2, 0],
    ['neurology', 1, 0],
  ],
  [
    ['psychiatry', 4, 1],
    ['cardiology', 2, 0],
    ['family medicine', 1, 0],
    ['neurology', 1, 0],
  ],
  [['psychiatry', 2, 1]],
];

const BREADTH = `query($planIds: [String!], $year: Int, $specialty: String) {
  networkBreadth(planIds: $planIds, year: $year, specialty: $specialty) { planId providers hospitals }
}`;
const SIZE = `query($planIds: [String!]!) {
  networkBreadth(planIds: $planIds) { plan { networks { size(groupBy: SPECIALTY) { key providers hospitals } } } }
}`;
const GROUPS = `query($planIds: [String!]) {
  networkBreadth(planIds: $planIds, groupBy: SPECIALTY) { providers groups { key providers hospitals } }
}`;
const RANK = `query($state: String!, $specialty: String) { rankPlansByBreadth(state: $state, specialty: $specialty) { rank planId providers } }`;

describe('network breadth of a specialty from the counts taken at load', () => {
  let t: TestApp;
  let dir: string;

  const load = (name: string, listings: unknown[], versionsKept?: number): Promise<number> => loadListings(t.db, dir, COUNTED, name, listings, versionsKept);

  async function breadth(specialty: string | null): Promise<Array<[string, number, number]>> {
    const res = await t.gql(BREADTH, { planIds: Object.values(PLAN), year: YEAR, specialty });
    expect(res.errors).toBeUndefined();
    return breadthRows(res.data);
  }

  async function rank(specialty: string | null): Promise<Array<[number, string, number]>> {
    const res = await t.gql(RANK, { state: STATE, specialty });
    expect(res.errors).toBeUndefined();
    return rankRows(res.data);
  }

  async function sizes(): Promise<Array<Array<[string, number, number]>>> {
    const res = await t.gql(SIZE, { planIds: Object.values(PLAN) });
    expect(res.errors).toBeUndefined();
    return res.data.networkBreadth.map((p: { plan: { networks: Array<{ size: Array<{ key: string; providers: number; hospitals: number }> }> } }) => {
      expect(p.plan.networks).toHaveLength(1);
      return p.plan.networks[0].size.map((g) => [g.key, g.providers, g.hospitals]);
    });
  }

  /** Breadth by specialty, without a specialty filter: each plan's groups (its total checked too). */
  async function groups(): Promise<Array<Array<[string, number, number]>>> {
    const res = await t.gql(GROUPS, { planIds: Object.values(PLAN) });
    expect(res.errors).toBeUndefined();
    expect(res.data.networkBreadth.map((p: { providers: number }) => p.providers)).toEqual([6, 7, 4]);
    return res.data.networkBreadth.map((p: { groups: Array<{ key: string; providers: number; hospitals: number }> }) =>
      p.groups.map((g) => [g.key, g.providers, g.hospitals]),
    );
  }

  /** Distinct NPIs of the specialty (and hospital NPIs) per plan, counted over the listings themselves. */
  async function fromListings(version: number, specialty: string): Promise<Array<[string, number, number]>> {
    const rows: Array<{ plan_id: string; providers: number; hospitals: number }> = await t.db.query(
      `SELECT m.plan_id,
              count(DISTINCT m.npi) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(p.specialties) s WHERE lower(s) = lower($2)))::int AS providers,
              count(DISTINCT m.npi) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(p.facility_types) f WHERE f ILIKE '%hospital%'))::int AS hospitals
         FROM network_membership m JOIN provider p ON p.version_id = m.version_id AND p.record_no = m.record_no
        WHERE m.version_id = $1 AND m.plan_id = ANY($3::char(14)[])
        GROUP BY m.plan_id ORDER BY m.plan_id`,
      [version, specialty, Object.values(PLAN)],
    );
    return rows.map((row) => [row.plan_id, row.providers, row.hospitals]);
  }

  const countRows = (table: string, versionId: number): Promise<number> => versionRows(t.db, table, versionId);

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'network-set-specialty-counts-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('counts an NPI of the specialty once per network, only where a listing of it has the specialty', async () => {
    const version = await load('v1', LISTINGS);
    // The shared NPIs carry the specialties of their listings in each set.
    const shared = await t.db.query(
      `SELECT npi, array_to_string(specialties, ',') AS specialties FROM network_set_shared_npi WHERE version_id = $1 ORDER BY npi, specialties`,
      [version],
    );
    expect(shared.map((row: { npi: string; specialties: string }) => [row.npi, row.specialties])).toEqual([
      [npi(1), 'cardiology'],
      [npi(1), 'psychiatry'],
      [npi(3), 'psychiatry'],
      [npi(3), 'psychiatry'],
      [npi(4), 'neurology,psychiatry'],
      [npi(4), 'psychiatry'],
      [npi(7), 'cardiology'],
      [npi(7), 'psychiatry'],
      [npi(8), ''],
      [npi(8), ''],
      [npi(10), 'psychiatry'],
      [npi(10), 'psychiatry'],
    ]);
    expect(await breadth('Psychiatry')).toEqual(PSYCHIATRY);
    expect(await breadth('  PSYCHIATRY ')).toEqual(PSYCHIATRY);
    expect(await breadth('cardiology')).toEqual(CARDIOLOGY);
    expect(await breadth('Dermatology')).toEqual(CARDIOLOGY.map(([plan, , hospitals]) => [plan, 0, hospitals]));
    // The same answers counted from the listings with count(DISTINCT).
    expect(await fromListings(version, 'psychiatry')).toEqual(PSYCHIATRY);
    expect(await fromListings(version, 'cardiology')).toEqual(CARDIOLOGY);
    expect(await rank('psychiatry')).toEqual([
      [1, PLAN.c, 2],
      [2, PLAN.a, 3],
      [3, PLAN.b, 4],
    ]);
    expect(await sizes()).toEqual(SIZES);
    expect(await groups()).toEqual(SIZES);
    expect(await rank('Cardiology')).toEqual([
      [1, PLAN.c, 0],
      [2, PLAN.a, 2],
      [2, PLAN.b, 2],
    ]);
  });

  it('answers from the specialty counts; a version counted without them is counted from its listings', async () => {
    const [{ version }] = await t.db.query(`SELECT current_version_id AS version FROM issuer WHERE issuer_id = $1`, [ISSUER]);
    await t.db.query(`UPDATE network_set_specialty_count SET providers = providers + 100 WHERE version_id = $1 AND specialty = 'psychiatry'`, [version]);
    // Plan a's network has psychiatrists in {A}, {A,B}; b's in {A,B}, {B}, {B,C}; c's in {C}, {B,C}.
    expect((await breadth('Psychiatry')).map(([, providers]) => providers)).toEqual([203, 304, 202]);
    expect((await rank('Psychiatry')).map(([, , providers]) => providers)).toEqual([202, 203, 304]);
    expect((await sizes()).map((groups) => groups[0])).toEqual([
      ['psychiatry', 203, 0],
      ['psychiatry', 304, 1],
      ['psychiatry', 202, 1],
    ]);
    expect((await groups()).map((plan) => plan[0])).toEqual([
      ['psychiatry', 203, 0],
      ['psychiatry', 304, 1],
      ['psychiatry', 202, 1],
    ]);
    expect(await breadth('Cardiology')).toEqual(CARDIOLOGY);

    // As a version counted before the specialty counts existed: its totals still come from its counts.
    await t.db.query(`DELETE FROM network_set_specialty_count WHERE version_id = $1`, [version]);
    await t.db.query(`UPDATE network_set_shared_npi SET specialties = NULL WHERE version_id = $1`, [version]);
    await t.db.query(`UPDATE network_set_count SET by_specialty = false, providers = providers + 1000 WHERE version_id = $1`, [version]);
    expect(await breadth('Psychiatry')).toEqual(PSYCHIATRY);
    expect(await breadth('cardiology')).toEqual(CARDIOLOGY);
    expect((await rank('Psychiatry')).map(([, , providers]) => providers)).toEqual([2, 3, 4]);
    expect(await sizes()).toEqual(SIZES);
    expect(await groups()).toEqual(SIZES);
    expect((await breadth(null)).every(([, providers]) => providers > 1000)).toBe(true);
  });

  it('drops the specialty counts of a pruned version with it', async () => {
    const first = await load('v2', [...LISTINGS, person(9, ['Psychiatry'], [PLAN.c])]);
    expect(await countRows('network_set_specialty_count', first)).toBeGreaterThan(0);
    const second = await load(
      'v3',
      LISTINGS.filter((listing) => listing.npi !== npi(2)),
      1,
    );
    expect(await countRows('network_set_specialty_count', first)).toBe(0);
    expect(await countRows('network_set_shared_npi', first)).toBe(0);
    expect(await countRows('network_set_specialty_count', second)).toBeGreaterThan(0);
    expect((await breadth('Psychiatry')).map(([, providers]) => providers)).toEqual([3, 3, 2]);
    expect(await fromListings(second, 'psychiatry')).toEqual(await breadth('Psychiatry'));
  });
});
