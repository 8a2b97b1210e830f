import PgBoss from 'pg-boss';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Schema of the job queue (pg-boss); the application starts pg-boss with migrate: false, so its tables change only here. */
export const JOB_QUEUE_SCHEMA = 'pgboss';

/**
 * The durable job queue, on PostgreSQL (pg-boss): its own schema, and the queue of feed checks. Any API
 * instance takes jobs from it; a job whose instance stopped is retried by another. pg-boss's construction
 * script is run inside this migration's transaction (its own BEGIN/COMMIT removed). A later pg-boss
 * version that changes its schema comes with a new migration running PgBoss.getMigrationPlans.
 */
export class FeedJobQueue1700000001100 implements MigrationInterface {
  name = 'FeedJobQueue1700000001100';

  public async up(q: QueryRunner): Promise<void> {
    const plans = PgBoss.getConstructionPlans(JOB_QUEUE_SCHEMA)
      .replace(/^\s*BEGIN;/, '')
      .replace(/COMMIT;\s*$/, '');
    await q.query(plans);
    // One check queued and one running per issuer at most ('stately'): refreshes do not pile up.
    await q.query(`SELECT ${JOB_QUEUE_SCHEMA}.create_queue($1, $2)`, [
      'feed-fetch',
      JSON.stringify({ policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 6 * 3600 }),
    ]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS ${JOB_QUEUE_SCHEMA} CASCADE`);
  }
}
