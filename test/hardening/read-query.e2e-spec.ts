/**
 * Database.read(): prepared, replica-aware lookups; within a request, the statements started together travel
 * as one round trip and come back exactly as separate queries would have (and so do the statements of a
 * Database.readTogether batch).
 */
import { DataSource, QueryFailedError } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { Database, RESEARCH_QUERY } from '../../src/database/database';
import { testDatabaseUrl } from '../helpers/test-app';

const TYPED = `SELECT $1::int AS n, 9007199254740::bigint AS big, 12.50::numeric AS amount, 0.25::float8 AS rate,
                      DATE '2026-01-31' AS day, ARRAY[2025, 2026]::int[] AS years, ARRAY['A', 'B C']::text[] AS tiers,
                      'OH'::char(5) AS padded, true AS flag, NULL::text AS nothing, '{"a": [1, "x"]}'::jsonb AS doc,
                      'it''s "quoted" \\ text'::text AS quoted`;
const ORDERED = `SELECT g AS i, md5(g::text) AS h FROM generate_series(1, $1::int) g ORDER BY h DESC`;
const NOT_JSON_SAFE = `SELECT now() AS at, $1::text AS label`;
const DIVIDE = `SELECT 10 / $1::int AS quotient`;
/** String literals on both sides of a parameter, as in a listing's addresses (json_build_object('zip', ...), '[]'). */
const LITERALS_AROUND = `SELECT json_build_object('n', $1::int, 'tag', 'it''s') AS o, COALESCE(NULL::json, '[]') AS empty`;
const DOLLAR_IN_LITERAL = `SELECT 'costs $1' AS price, $1::int AS n`;

describe('Database.read', () => {
  let db: DataSource;
  let database: Database;
  let acquisitions = 0;

  beforeAll(async () => {
    db = new DataSource(buildDataSourceOptions({ url: testDatabaseUrl(), poolSize: 4 }));
    await db.initialize();
    database = new Database(db);
    const driver = db.driver as unknown as { obtainMasterConnection(): Promise<unknown> };
    const original = driver.obtainMasterConnection.bind(driver);
    driver.obtainMasterConnection = () => {
      acquisitions++;
      return original();
    };
  });
  afterAll(() => db?.destroy());
  beforeEach(() => Database.resetLearnedStatements());

  const inScope = <T>(fn: () => Promise<T>) => new Promise<T>((resolve, reject) => Database.scope(() => void fn().then(resolve, reject)));

  it('returns what DataSource.query returns, typed the same, batched or not', async () => {
    const expected = await db.query(TYPED, [7]);
    const expectedOrdered = await db.query(ORDERED, [30]);
    expect(expected[0]).toMatchObject({
      n: 7,
      big: 9007199254740,
      amount: 12.5,
      day: '2026-01-31',
      years: [2025, 2026],
      padded: 'OH   ',
      doc: { a: [1, 'x'] },
    });

    // Plain runs first: each statement learns whether it may be batched (its result types, and that its
    // fastest run is quick; many runs, so slow executions on a busy machine (a whole test run beside it)
    // do not decide it).
    for (let i = 0; i < 30; i++) await Promise.all([database.read(TYPED, [7]), database.read(ORDERED, [30])]);
    for (let i = 0; i < 3; i++) {
      expect(await inScope(() => Promise.all([database.read(TYPED, [7]), database.read(ORDERED, [30])]))).toEqual([expected, expectedOrdered]);
    }

    acquisitions = 0;
    const [typed, ordered] = await inScope(() => Promise.all([database.read(TYPED, [7]), database.read(ORDERED, [30])]));
    expect(acquisitions).toBe(1); // one connection, one statement for both
    expect(typed).toEqual(expected);
    expect(ordered).toEqual(expectedOrdered);
    expect(ordered.map((r: { h: string }) => r.h)).toEqual([...ordered.map((r: { h: string }) => r.h)].sort().reverse());
  });

  it('batches statements first run while every connection was taken: the wait for a connection is not their execution time', async () => {
    // Under load (an instance starting during a peak) every lookup waits for a pooled connection longer
    // than a batchable statement may take; that wait says nothing about the statement.
    const driver = db.driver as unknown as { obtainMasterConnection(): Promise<[unknown, () => void]> };
    for (let round = 0; round < 8; round++) {
      const held = await Promise.all(Array.from({ length: 4 }, () => driver.obtainMasterConnection()));
      const reads = Promise.all([database.read(TYPED, [7]), database.read(ORDERED, [30])]);
      await new Promise((resolve) => setTimeout(resolve, 40));
      for (const [, release] of held) release();
      await reads;
    }
    acquisitions = 0;
    const [[typed], ordered] = await inScope(() => Promise.all([database.read(TYPED, [7]), database.read(ORDERED, [30])]));
    expect(typed.n).toBe(7);
    expect(ordered).toHaveLength(30);
    expect(acquisitions).toBe(1);
  });

  it('does not batch statements whose results would change type through JSON (timestamps)', async () => {
    for (let i = 0; i < 3; i++) await inScope(() => Promise.all([database.read(NOT_JSON_SAFE, ['a']), database.read(ORDERED, [3])]));
    acquisitions = 0;
    const [[stamped], ordered] = await inScope(() => Promise.all([database.read(NOT_JSON_SAFE, ['b']), database.read(ORDERED, [3])]));
    expect(stamped.at).toBeInstanceOf(Date);
    expect(stamped.label).toBe('b');
    expect(ordered).toHaveLength(3);
    expect(acquisitions).toBe(2);
  });

  it('batches a statement with string literals around its parameters, never one with a $ inside a literal', async () => {
    const expected = [await db.query(LITERALS_AROUND, [4]), await db.query(DOLLAR_IN_LITERAL, [5]), await db.query(ORDERED, [3])];
    expect(expected[0]).toEqual([{ o: { n: 4, tag: "it's" }, empty: [] }]);
    expect(expected[1]).toEqual([{ price: 'costs $1', n: 5 }]);
    for (let i = 0; i < 5; i++) await Promise.all([database.read(LITERALS_AROUND, [4]), database.read(DOLLAR_IN_LITERAL, [5]), database.read(ORDERED, [3])]);
    acquisitions = 0;
    const [around, ordered] = await inScope(() => Promise.all([database.read(LITERALS_AROUND, [4]), database.read(ORDERED, [3])]));
    expect(acquisitions).toBe(1);
    expect([around, ordered]).toEqual([expected[0], expected[2]]);
    acquisitions = 0;
    const [dollar, ordered2] = await inScope(() => Promise.all([database.read(DOLLAR_IN_LITERAL, [5]), database.read(ORDERED, [3])]));
    expect(acquisitions).toBe(2);
    expect([dollar, ordered2]).toEqual([expected[1], expected[2]]);
  });

  it('a failing statement in a batch fails alone, with its own QueryFailedError', async () => {
    for (let i = 0; i < 3; i++) await inScope(() => Promise.all([database.read(DIVIDE, [2]), database.read(ORDERED, [2])]));
    const [divided, ordered] = await inScope(() => Promise.allSettled([database.read(DIVIDE, [0]), database.read(ORDERED, [2])]));
    expect(divided.status).toBe('rejected');
    const error = (divided as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error.message).toBe('division by zero');
    expect(error.query).toBe(DIVIDE);
    expect(ordered).toEqual({ status: 'fulfilled', value: expect.arrayContaining([expect.objectContaining({ i: 1 })]) });
  });

  it('readTogether sends the statements read through its batch in one round trip, outside a request too', async () => {
    for (let i = 0; i < 5; i++) await Promise.all([database.read(TYPED, [7]), database.read(ORDERED, [30])]);
    const expected = [await db.query(TYPED, [7]), await db.query(ORDERED, [30])];
    acquisitions = 0;
    const together = await database.readTogether((batch) => Promise.all([batch.read(TYPED, [7]), batch.read(ORDERED, [30])]));
    expect(acquisitions).toBe(1);
    expect(together).toEqual(expected);

    // Within a request, the batch shares the request's round trip with the lookups started beside it.
    acquisitions = 0;
    const [inRequest, beside] = await inScope(() =>
      Promise.all([database.readTogether((batch) => Promise.all([batch.read(TYPED, [7]), batch.read(ORDERED, [30])])), database.read(ORDERED, [30])]),
    );
    expect(acquisitions).toBe(1);
    expect([inRequest, beside]).toEqual([expected, expected[1]]);
  });

  it('readTogether rejects a statement read through the batch after it was sent', async () => {
    const late = database.readTogether(async (batch) => {
      const first = await batch.read(ORDERED, [1]);
      return [first, await batch.read(ORDERED, [2])];
    });
    await expect(late).rejects.toThrow(/already sent/);
  });

  it('outside a request scope every statement runs on its own', async () => {
    await database.read(ORDERED, [1]);
    acquisitions = 0;
    await Promise.all([database.read(ORDERED, [1]), database.read(ORDERED, [2])]);
    expect(acquisitions).toBe(2);
  });
});

/**
 * Pooled sessions run prepared lookups with their generic plan (planning each execution again cost more
 * than running it), while search statements still get a plan for their own values.
 */
describe('plan cache mode', () => {
  let db: DataSource;
  let database: Database;

  beforeAll(async () => {
    // One connection: the prepared statement and pg_prepared_statements are that session's.
    db = new DataSource(buildDataSourceOptions({ url: testDatabaseUrl(), poolSize: 1 }));
    await db.initialize();
    database = new Database(db);
  });
  afterAll(() => db?.destroy());
  beforeEach(() => Database.resetLearnedStatements());

  it('a prepared lookup is never planned again after its first execution', async () => {
    const lookup = `SELECT count(*)::int AS n FROM generate_series(1, 100) g WHERE g = ANY($1::int[])`;
    for (let i = 1; i <= 8; i++) expect(await database.read(lookup, [[i, 50, 500]])).toEqual([{ n: 2 }]);
    const [statement] = await db.query(`SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1`, [lookup]);
    // PostgreSQL's default (auto) would have made at least 5 custom plans before considering the generic one.
    expect(statement).toEqual({ generic_plans: 8, custom_plans: 0 });
  });

  it('search and research statements are planned for their own values, in a transaction that leaves the session as it was', async () => {
    const mode = `SELECT current_setting('plan_cache_mode') AS mode, $1::text AS label`;
    expect(await database.search(mode, ['search'])).toEqual([{ mode: 'force_custom_plan', label: 'search' }]);
    expect(await database.search(mode, ['research'], RESEARCH_QUERY)).toEqual([{ mode: 'force_custom_plan', label: 'research' }]);
    expect(await db.query(`SELECT current_setting('plan_cache_mode') AS mode`)).toEqual([{ mode: 'force_generic_plan' }]);
  });
});
