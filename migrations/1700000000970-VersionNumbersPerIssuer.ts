import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Carriers count their loads 1, 2, 3…; dataset_version.id is global across issuers (issuer 10001's third
 * load may be id 57). dataset_version.number is the issuer's own sequence, assigned on insert by a trigger
 * from a per-issuer counter, so numbers are never reused, even after failed or old versions are deleted,
 * and concurrent loads of one issuer get distinct numbers (the counter row is locked by the upsert).
 */
export class VersionNumbersPerIssuer1700000000970 implements MigrationInterface {
  name = 'VersionNumbersPerIssuer1700000000970';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dataset_version ADD COLUMN number integer`);
    await q.query(`
      UPDATE dataset_version v SET number = n.number
        FROM (SELECT id, row_number() OVER (PARTITION BY issuer_id ORDER BY id)::int AS number FROM dataset_version) n
       WHERE n.id = v.id`);
    await q.query(`
      CREATE TABLE issuer_version_counter (
        issuer_id   char(5) PRIMARY KEY REFERENCES issuer(issuer_id) ON DELETE CASCADE,
        last_number integer NOT NULL
      )`);
    await q.query(`
      INSERT INTO issuer_version_counter (issuer_id, last_number)
      SELECT issuer_id, max(number) FROM dataset_version GROUP BY issuer_id`);
    await q.query(`
      CREATE FUNCTION dataset_version_number() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO issuer_version_counter AS c (issuer_id, last_number) VALUES (NEW.issuer_id, 1)
          ON CONFLICT (issuer_id) DO UPDATE SET last_number = c.last_number + 1
          RETURNING last_number INTO NEW.number;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER dataset_version_number BEFORE INSERT ON dataset_version
        FOR EACH ROW EXECUTE FUNCTION dataset_version_number()`);
    await q.query(`ALTER TABLE dataset_version ALTER COLUMN number SET NOT NULL`);
    await q.query(`ALTER TABLE dataset_version ADD CONSTRAINT dataset_version_issuer_number_key UNIQUE (issuer_id, number)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER dataset_version_number ON dataset_version`);
    await q.query(`DROP FUNCTION dataset_version_number()`);
    await q.query(`DROP TABLE issuer_version_counter`);
    await q.query(`ALTER TABLE dataset_version DROP COLUMN number`);
  }
}
