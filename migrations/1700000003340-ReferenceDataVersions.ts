import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drug reference data (the ingredient/strength crosswalk behind generic equivalents, and drug prices) is
 * loaded outside any dataset version, yet answers read it. Each load moves its table's version here (in
 * the load's transaction), so the ETags and cached answers of questions that read it change with it.
 */
export class ReferenceDataVersions1700000003340 implements MigrationInterface {
  name = 'ReferenceDataVersions1700000003340';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reference_data_version (
        name      text PRIMARY KEY CHECK (name IN ('drug_ingredient', 'drug_price')),
        version   bigint NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO reference_data_version (name, version) VALUES ('drug_ingredient', 1), ('drug_price', 1)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reference_data_version`);
  }
}
