/**
 * readQuery(): prepared, replica-aware lookups; within a request, the statements started together travel
 * as one round trip and come back exactly as separate queries would have.
 */
import { DataSource, QueryFailedError } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { readBatchScope, readQuery, resetReadQueryState } from '../../src/database/read-query';
import { testDatabaseUrl } from '../helpers/test-app';

const TYPED = `SELECT $1::int AS n, 9007199254740::bigint AS big, 12.50::numeric AS amount, 0.25::float8 AS rate,
                      DATE '2026-01-31' AS day, ARRAY[2025, 2026]::int[] AS years, ARRAY['A', 'B C']::text[] AS tiers,
                      'OH'::char(5) AS padded, true AS flag, NULL::text AS nothing, '{"a": [1, "x"]}'::jsonb AS doc,
                      'it''s "quoted" \\ text'::text AS quoted`;
const ORDERED = `SELECT g AS i, md5(g::text) AS h FROM generate_series(1, $1::int) g ORDER BY h DESC`;
const NOT_JSON_SAFE = `SELECT now() AS at, $1::text AS label`;
const DIVIDE = `SELECT 10 / $1::int AS quotient`;

describe('readQuery', () => {
  let db: DataSource;
  let acquisitions = 0;

  beforeAll(async () => {
    db = new DataSource(buildDataSourceOptions({ url: testDatabaseUrl(), poolSize: 4 }));
    await db.initialize();
    const driver = db.driver as unknown as { obtainMasterConnection(): Promise<unknown> };
    const original = driver.obtainMasterConnection.bind(driver);
    driver.obtainMasterConnection = () => {
      acquisitions++;
      return original();
    };
  });
  afterAll(() => db?.destroy());
  beforeEach(() => resetReadQueryState());

  const inScope = <T>(fn: () => Promise<T>) => new Promise<T>((resolve, reject) => readBatchScope(() => void fn().then(resolve, reject)));

  it('returns what DataSource.query returns, typed the same, batched or not', async () => {
    const expected = await db.query(TYPED, [7]);
    const expectedOrdered = await db.query(ORDERED, [30]);
    expect(expected[0]).toMatchObject({ n: 7, big: 9007199254740, amount: 12.5, day: '2026-01-31', years: [2025, 2026], padded: 'OH   ', doc: { a: [1, 'x'] } });

    // First runs: plain statements (each learns whether it may be batched: result types, and that it is quick).
    for (let i = 0; i < 3; i++) {
      expect(await inScope(() => Promise.all([readQuery(db, TYPED, [7]), readQuery(db, ORDERED, [30])]))).toEqual([expected, expectedOrdered]);
    }

    acquisitions = 0;
    const [typed, ordered] = await inScope(() => Promise.all([readQuery(db, TYPED, [7]), readQuery(db, ORDERED, [30])]));
    expect(acquisitions).toBe(1); // one connection, one statement for both
    expect(typed).toEqual(expected);
    expect(ordered).toEqual(expectedOrdered);
    expect(ordered.map((r: { h: string }) => r.h)).toEqual([...ordered.map((r: { h: string }) => r.h)].sort().reverse());
  });

  it('does not batch statements whose results would change type through JSON (timestamps)', async () => {
    for (let i = 0; i < 3; i++) await inScope(() => Promise.all([readQuery(db, NOT_JSON_SAFE, ['a']), readQuery(db, ORDERED, [3])]));
    acquisitions = 0;
    const [[stamped], ordered] = await inScope(() => Promise.all([readQuery(db, NOT_JSON_SAFE, ['b']), readQuery(db, ORDERED, [3])]));
    expect(stamped.at).toBeInstanceOf(Date);
    expect(stamped.label).toBe('b');
    expect(ordered).toHaveLength(3);
    expect(acquisitions).toBe(2);
  });

  it('a failing statement in a batch fails alone, with its own QueryFailedError', async () => {
    for (let i = 0; i < 3; i++) await inScope(() => Promise.all([readQuery(db, DIVIDE, [2]), readQuery(db, ORDERED, [2])]));
    const [divided, ordered] = await inScope(() => Promise.allSettled([readQuery(db, DIVIDE, [0]), readQuery(db, ORDERED, [2])]));
    expect(divided.status).toBe('rejected');
    const error = (divided as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error.message).toBe('division by zero');
    expect(error.query).toBe(DIVIDE);
    expect(ordered).toEqual({ status: 'fulfilled', value: expect.arrayContaining([expect.objectContaining({ i: 1 })]) });
  });

  it('outside a request scope every statement runs on its own', async () => {
    await readQuery(db, ORDERED, [1]);
    acquisitions = 0;
    await Promise.all([readQuery(db, ORDERED, [1]), readQuery(db, ORDERED, [2])]);
    expect(acquisitions).toBe(2);
  });
});
