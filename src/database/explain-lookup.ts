import { QueryRunner } from 'typeorm';

// pg's own literal escaping and value formatting (arrays, dates), for EXECUTE's arguments.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { escapeLiteral, prepareValue } = require('pg/lib/utils') as { escapeLiteral(value: string): string; prepareValue(value: unknown): unknown };

const STATEMENT = 'explained_lookup';

/**
 * EXPLAIN of a lookup as Database.read runs it: prepared, with its generic plan (see plan-cache.ts), once warm.
 * For diagnostics (bench:explain, tests). EXECUTE takes no bind parameters, so the values go in as literals,
 * typed by the prepared statement. Only this statement is deallocated afterwards: the pooled connection's
 * own prepared statements (Database.read's) stay, as node-postgres expects.
 */
export async function explainPreparedLookup(
  runner: QueryRunner,
  sql: string,
  params: readonly unknown[],
  explainOptions = 'ANALYZE, BUFFERS',
): Promise<string> {
  const args = params.map((value) => (value === null ? 'NULL' : escapeLiteral(String(prepareValue(value))))).join(', ');
  const execute = `EXECUTE ${STATEMENT}${args ? `(${args})` : ''}`;
  let prepared = false;
  await runner.startTransaction();
  try {
    await runner.query(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`);
    await runner.query(`PREPARE ${STATEMENT} AS ${sql}`);
    prepared = true;
    await runner.query(execute); // warm the cache: the plan below is steady-state
    const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN (${explainOptions}) ${execute}`);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await runner.rollbackTransaction();
    // Prepared statements outlive the transaction.
    if (prepared) await runner.query(`DEALLOCATE ${STATEMENT}`);
  }
}
