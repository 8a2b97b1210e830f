import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An import job says why a load did not publish in a word a script can test (`reason`, e.g.
 * SHRINK_NEEDS_CONFIRMATION), and a load that an upload accepted later had already replaced ends
 * `superseded` rather than failed.
 */
export class LoadOutcomes1700000000910 implements MigrationInterface {
  name = 'LoadOutcomes1700000000910';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_job ADD COLUMN reason text`);
    await q.query(`ALTER TABLE import_job DROP CONSTRAINT import_job_status_check`);
    await q.query(
      `ALTER TABLE import_job ADD CONSTRAINT import_job_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'unchanged', 'superseded'))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE import_job SET status = 'failed' WHERE status = 'superseded'`);
    await q.query(`ALTER TABLE import_job DROP CONSTRAINT import_job_status_check`);
    await q.query(`ALTER TABLE import_job ADD CONSTRAINT import_job_status_check CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'unchanged'))`);
    await q.query(`ALTER TABLE import_job DROP COLUMN reason`);
  }
}
