/**
 * Session default for every pooled connection: prepared statements (Database.read's lookups) run their generic
 * plan instead of being planned again on each execution. Left to PostgreSQL's `auto` mode, a lookup such as
 * `npi = ANY($1) AND plan_id = ANY($2)` over the version partitions keeps getting a custom plan (a plan for
 * one NPI always looks cheaper than one for any array), and planning it costs more than running it
 * (bench:query shows PostgreSQL's CPU per answer; figures in bench/RESULTS.md).
 * Behind PgBouncer, allow the `options` startup parameter (ignore_startup_parameters) or set it with
 * ALTER ROLE ... SET plan_cache_mode.
 */
export const POOLED_PLAN_CACHE_MODE = 'force_generic_plan';

/**
 * For the rest of the current transaction, statements get a plan made for their own values: search and
 * research statements (a trigram search, a research aggregate, a quality snapshot), whose best plan
 * depends on them.
 */
export async function planForOwnValues(runner: { query(sql: string): Promise<unknown> }): Promise<void> {
  await runner.query(`SELECT set_config('plan_cache_mode', 'force_custom_plan', true)`);
}
