import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-partner keys: a key that names a plan-shopping site (`partner`) instead of issuers it may load, with
 * its own rate limit (`rate_limit` requests per window; null: RATE_LIMIT_PER_API_KEY). Requests per key and
 * UTC day are counted in api_key_usage, added to in batches (one upsert per key every few seconds), not per
 * request.
 */
export class ReadPartnerKeys1700000002000 implements MigrationInterface {
  name = 'ReadPartnerKeys1700000002000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_key ADD COLUMN partner text, ADD COLUMN rate_limit integer CHECK (rate_limit >= 0)`);
    await q.query(`
      CREATE TABLE api_key_usage (
        api_key_id uuid NOT NULL REFERENCES api_key(id) ON DELETE CASCADE,
        day        date NOT NULL,
        requests   bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (api_key_id, day)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key_usage`);
    await q.query(`ALTER TABLE api_key DROP COLUMN rate_limit, DROP COLUMN partner`);
  }
}
