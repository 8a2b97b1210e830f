import { MigrationInterface, QueryRunner } from 'typeorm';
import { JOB_QUEUE_SCHEMA } from './1700000001100-FeedJobQueue';

/**
 * Uploads' imports become jobs on the durable queue (pg-boss), beside feed checks: any instance runs
 * them, and one interrupted by a shutdown or a dead instance goes back to the queue. retryLimit counts
 * those interruptions (an import that fails on the data is not retried); retryDelay 0 lets the next
 * instance take it at once. expireInSeconds only backs up the heartbeat sweep of import_job, which
 * notices a dead instance much sooner; it is long so that no live import is ever expired.
 */
export class UploadJobQueue1700000003100 implements MigrationInterface {
  name = 'UploadJobQueue1700000003100';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${JOB_QUEUE_SCHEMA}.create_queue($1, $2)`, [
      'import-upload',
      JSON.stringify({ policy: 'standard', retryLimit: 3, retryDelay: 0, retryBackoff: false, expireInSeconds: 12 * 3600 }),
    ]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${JOB_QUEUE_SCHEMA}.delete_queue($1)`, ['import-upload']);
  }
}
