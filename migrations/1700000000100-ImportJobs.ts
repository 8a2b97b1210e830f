import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import jobs: one row per upload, so any instance can answer "how is my upload doing?" and a job
 * outlives the request that started it. heartbeat_at is touched by the instance running the job;
 * a queued/running job whose heartbeat stopped belongs to a dead process.
 */
export class ImportJobs1700000000100 implements MigrationInterface {
  name = 'ImportJobs1700000000100';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_job (
        id            uuid PRIMARY KEY,
        -- No foreign key: the issuer row is created by the job's first successful load.
        issuer_id     char(5) NOT NULL CHECK (issuer_id ~ '^[0-9]{5}$'),
        status        text NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'unchanged')),
        source        text NOT NULL DEFAULT 'upload',
        api_key_id    uuid REFERENCES api_key(id) ON DELETE SET NULL,
        loaded_by     text NOT NULL,
        files         jsonb NOT NULL DEFAULT '[]',
        progress      jsonb,
        counts        jsonb,
        report        jsonb,
        error         text,
        version_id    bigint REFERENCES dataset_version(id) ON DELETE SET NULL,
        temp_dir      text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        started_at    timestamptz,
        finished_at   timestamptz,
        heartbeat_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX import_job_issuer_idx ON import_job (issuer_id, created_at DESC)`);
    await q.query(`CREATE INDEX import_job_unfinished_idx ON import_job (heartbeat_at) WHERE status IN ('queued', 'running')`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS import_job`);
  }
}
