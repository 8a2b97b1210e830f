import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { startTestApp, TestApp } from '../helpers/test-app';
import { breadthRows, countedPlans, CountedIssuer, loadListings, planEntries, rankRows, versionRows } from './network-set-fixtures';

/**
 * Breadth and ranking without a specialty read per-set counts taken at load (network_set_count), less
 * the NPIs listed in several sets of one network (network_set_shared_npi). A carrier repeating an NPI
 * with different data in different plan lists must still count it once per network.
 */
const ISSUER = '55591';
const YEAR = 2025;
// A state of its own: test files may share one database, and the ranking takes every plan of the state.
const STATE = 'DE';
const npi = (n: number) => withNpiCheckDigit(155_591_000 + n);
const COUNTED: CountedIssuer = { issuerId: ISSUER, issuerName: 'Counted Health', state: STATE, year: YEAR };
const PLAN = countedPlans(COUNTED);
const entries = (...plans: string[]) => planEntries(COUNTED, ...plans);
const address = (street: string) => [{ address: street, city: 'Dover', state: STATE, zip: '19901' }];
const person = (n: number, first: string, plans: string[]) => ({
  npi: npi(n),
  type: 'INDIVIDUAL',
  name: { first, last: `Last${n}` },
  addresses: address(`${n} Main St`),
  plans: entries(...plans),
});
const facility = (n: number, street: string, facilityType: string, plans: string[]) => ({
  npi: npi(n),
  type: 'FACILITY',
  facility_name: `Facility ${n}`,
  facility_type: [facilityType],
  addresses: address(street),
  plans: entries(...plans),
});

// Sets: {A}, {A,B}, {B}, {C}. NPI 1 and hospital 5 are listed twice (different data) in {A} and {A,B};
// NPI 6 is a hospital in {C} and a clinic in {B}.
const LISTINGS = [
  person(1, 'First', [PLAN.a]),
  person(1, 'Renamed', [PLAN.a, PLAN.b]),
  person(2, 'Second', [PLAN.b]),
  person(3, 'Third', [PLAN.c]),
  person(4, 'Fourth', [PLAN.a, PLAN.b]),
  facility(5, '5 Hospital Rd', 'General Acute Care Hospital', [PLAN.a]),
  facility(5, '5 Annex Rd', 'General Acute Care Hospital', [PLAN.a, PLAN.b]),
  facility(6, '6 Hospital Rd', 'Hospital', [PLAN.c]),
  facility(6, '6 Clinic Rd', 'Clinic', [PLAN.b]),
];
/** Distinct NPIs and hospital NPIs per plan, by hand from LISTINGS. */
const EXPECTED = [
  [PLAN.a, 3, 1], // 1, 4, 5 (hospital)
  [PLAN.b, 5, 1], // 1, 2, 4, 5 (hospital), 6 (listed as a clinic here)
  [PLAN.c, 2, 1], // 3, 6 (hospital)
];

const BREADTH = `query($planIds: [String!], $year: Int) {
  networkBreadth(planIds: $planIds, year: $year) { planId providers hospitals }
}`;
const RANK = `query($state: String!) { rankPlansByBreadth(state: $state) { rank planId providers } }`;

describe('network breadth from the counts taken at load', () => {
  let t: TestApp;
  let dir: string;

  const load = (name: string, listings: unknown[], versionsKept?: number): Promise<number> => loadListings(t.db, dir, COUNTED, name, listings, versionsKept);

  async function breadth(): Promise<Array<[string, number, number]>> {
    const res = await t.gql(BREADTH, { planIds: Object.values(PLAN), year: YEAR });
    expect(res.errors).toBeUndefined();
    return breadthRows(res.data);
  }

  async function rank(): Promise<Array<[number, string, number]>> {
    const res = await t.gql(RANK, { state: STATE });
    expect(res.errors).toBeUndefined();
    return rankRows(res.data);
  }

  const countRows = (table: string, versionId: number): Promise<number> => versionRows(t.db, table, versionId);

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'network-set-counts-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('counts an NPI listed in several sets of a network once, from the per-set counts', async () => {
    const version = await load('v1', LISTINGS);
    // The repeated NPIs (1, 5, 6) are the shared rows, one per set they are listed in.
    const shared = await t.db.query(`SELECT npi, hospital FROM network_set_shared_npi WHERE version_id = $1 ORDER BY npi, hospital`, [version]);
    expect(shared.map((row: { npi: string; hospital: boolean }) => [row.npi, row.hospital])).toEqual([
      [npi(1), false],
      [npi(1), false],
      [npi(5), true],
      [npi(5), true],
      [npi(6), false],
      [npi(6), true],
    ]);
    expect(await breadth()).toEqual(EXPECTED);
    expect(await rank()).toEqual([
      [1, PLAN.c, 2],
      [2, PLAN.a, 3],
      [3, PLAN.b, 5],
    ]);
    // The same totals counted from the listings themselves.
    for (const [planId, providers, hospitals] of EXPECTED) {
      const [row] = await t.db.query(
        `SELECT count(DISTINCT m.npi)::int AS providers,
                count(DISTINCT m.npi) FILTER (WHERE EXISTS (SELECT 1 FROM unnest(p.facility_types) f WHERE f ILIKE '%hospital%'))::int AS hospitals
           FROM network_membership m JOIN provider p ON p.version_id = m.version_id AND p.record_no = m.record_no
          WHERE m.version_id = $1 AND m.plan_id = $2`,
        [version, planId],
      );
      expect([row.providers, row.hospitals]).toEqual([providers, hospitals]);
    }
  });

  it('answers from the counts: altered counts change the answer, and a version without counts is counted from its listings', async () => {
    const [{ version }] = await t.db.query(`SELECT current_version_id AS version FROM issuer WHERE issuer_id = $1`, [ISSUER]);
    await t.db.query(`UPDATE network_set_count SET providers = providers + 100 WHERE version_id = $1`, [version]);
    expect((await breadth()).map(([, providers]) => providers)).toEqual([203, 205, 102]); // A and B: two sets each
    expect((await rank()).map(([, , providers]) => providers)).toEqual([102, 203, 205]);
    // As a version loaded before the counts existed.
    await t.db.query(`DELETE FROM network_set_shared_npi WHERE version_id = $1`, [version]);
    await t.db.query(`DELETE FROM network_set_count WHERE version_id = $1`, [version]);
    expect(await breadth()).toEqual(EXPECTED);
    expect((await rank()).map(([, , providers]) => providers)).toEqual([2, 3, 5]);
  });

  it('drops the counts of a pruned version with it', async () => {
    const first = await load('v2', [...LISTINGS, person(7, 'Seventh', [PLAN.c])]);
    expect(await countRows('network_set_count', first)).toBe(4);
    expect(await countRows('network_set_shared_npi', first)).toBe(6);
    // A later load without NPIs 2 and 7, keeping one version: the first is pruned.
    const second = await load(
      'v3',
      LISTINGS.filter((listing) => listing.npi !== npi(2)),
      1,
    );
    expect(await countRows('network_set_count', first)).toBe(0);
    expect(await countRows('network_set_shared_npi', first)).toBe(0);
    expect(await countRows('network_set_count', second)).toBe(4);
    expect((await breadth()).map(([, providers]) => providers)).toEqual([3, 4, 2]);
  });

  it('a count that fails fails the load with its own error (the index builds beside it stop); the published version answers as before', async () => {
    const before = await breadth();
    const [{ published }] = await t.db.query(`SELECT current_version_id AS published FROM issuer WHERE issuer_id = $1`, [ISSUER]);
    // Fails this issuer's counting only: test files may share the database.
    await t.db.query(`
      CREATE FUNCTION refuse_55591_counts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM dataset_version WHERE id = NEW.version_id AND issuer_id = '${ISSUER}') THEN
          RAISE EXCEPTION 'counting refused for the test';
        END IF;
        RETURN NEW;
      END $$`);
    await t.db.query(`CREATE TRIGGER refuse_55591_counts BEFORE INSERT ON network_set_count FOR EACH ROW EXECUTE FUNCTION refuse_55591_counts()`);
    try {
      await expect(load('v4', [...LISTINGS, person(8, 'Eighth', [PLAN.a])])).rejects.toThrow(/counting refused for the test/);
    } finally {
      await t.db.query(`DROP TRIGGER refuse_55591_counts ON network_set_count`);
      await t.db.query(`DROP FUNCTION refuse_55591_counts()`);
    }
    const [failed] = await t.db.query(`SELECT id, status, error FROM dataset_version WHERE issuer_id = $1 ORDER BY id DESC LIMIT 1`, [ISSUER]);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/counting refused for the test/);
    const [{ current }] = await t.db.query(`SELECT current_version_id AS current FROM issuer WHERE issuer_id = $1`, [ISSUER]);
    expect(current).toBe(published);
    expect(await breadth()).toEqual(before);
    // Nothing of the failed version is left: no tables, no counts.
    const tables = await t.db.query(`SELECT relname FROM pg_class WHERE relname LIKE $1`, [`%\\_v${failed.id}`]);
    expect(tables).toEqual([]);
    expect(await countRows('network_set_specialty_count', failed.id)).toBe(0);
    expect(await countRows('network_set_shared_npi', failed.id)).toBe(0);
  });
});
