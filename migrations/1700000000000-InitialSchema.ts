import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The core model, named after the CMS QHP provider & formulary files.
 *
 * Every row of carrier data belongs to a dataset_version of one issuer. A load writes rows under a
 * new version that no query sees; publishing moves issuer.current_version_id in one transaction.
 * Old versions stay for change history until pruned.
 */
export class InitialSchema1700000000000 implements MigrationInterface {
  name = 'InitialSchema1700000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS cube`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS earthdistance`);

    await q.query(`
      CREATE TABLE issuer (
        issuer_id          char(5) PRIMARY KEY CHECK (issuer_id ~ '^[0-9]{5}$'),
        name               text NOT NULL,
        state              char(2),
        current_version_id bigint,
        created_at         timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE dataset_version (
        id                  bigserial PRIMARY KEY,
        issuer_id           char(5) NOT NULL REFERENCES issuer(issuer_id),
        status              text NOT NULL DEFAULT 'loading'
                              CHECK (status IN ('loading', 'published', 'superseded', 'failed')),
        source              text NOT NULL DEFAULT 'cli',
        loaded_by           text,
        content_hash        text,
        source_files        jsonb NOT NULL DEFAULT '[]',
        has_provider_files  boolean NOT NULL DEFAULT false,
        has_formulary_files boolean NOT NULL DEFAULT false,
        counts              jsonb NOT NULL DEFAULT '{}',
        report              jsonb,
        error               text,
        started_at          timestamptz NOT NULL DEFAULT now(),
        heartbeat_at        timestamptz NOT NULL DEFAULT now(),
        finished_at         timestamptz,
        published_at        timestamptz
      )`);
    await q.query(`CREATE INDEX dataset_version_issuer_idx ON dataset_version (issuer_id, id DESC)`);
    await q.query(`ALTER TABLE issuer ADD CONSTRAINT issuer_current_version_fk
                     FOREIGN KEY (current_version_id) REFERENCES dataset_version(id)`);

    await q.query(`
      CREATE TABLE plan (
        version_id      bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        plan_id         char(14) NOT NULL CHECK (plan_id ~ '^[0-9]{5}[A-Z]{2}[0-9]{7}$'),
        issuer_id       char(5) NOT NULL,
        state           char(2) NOT NULL,
        plan_id_type    text NOT NULL,
        marketing_name  text NOT NULL,
        metal_level     text,
        summary_url     text,
        marketing_url   text,
        formulary_url   text,
        plan_contact    text,
        years           int[] NOT NULL DEFAULT '{}',
        network_tiers   text[] NOT NULL DEFAULT '{}',
        benefits        jsonb,
        last_updated_on date,
        source_file     text,
        record_index    int,
        PRIMARY KEY (version_id, plan_id)
      )`);
    await q.query(`CREATE INDEX plan_plan_id_idx ON plan (plan_id, version_id)`);
    await q.query(`CREATE INDEX plan_state_idx ON plan (state, plan_id)`);

    await q.query(`
      CREATE TABLE plan_drug_tier (
        version_id  bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        plan_id     char(14) NOT NULL,
        drug_tier   text NOT NULL,
        mail_order  boolean NOT NULL DEFAULT false,
        PRIMARY KEY (version_id, plan_id, drug_tier)
      )`);

    await q.query(`
      CREATE TABLE tier_cost_sharing (
        version_id       bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        plan_id          char(14) NOT NULL,
        drug_tier        text NOT NULL,
        pharmacy_type    text NOT NULL CHECK (pharmacy_type IN (
                           '1-MONTH-IN-RETAIL', '1-MONTH-OUT-RETAIL', '1-MONTH-IN-MAIL', '1-MONTH-OUT-MAIL',
                           '3-MONTH-IN-RETAIL', '3-MONTH-OUT-RETAIL', '3-MONTH-IN-MAIL', '3-MONTH-OUT-MAIL')),
        copay_amount     numeric(12, 2),
        copay_opt        text CHECK (copay_opt IN ('AFTER-DEDUCTIBLE', 'BEFORE-DEDUCTIBLE', 'NO-CHARGE', 'NO-CHARGE-AFTER-DEDUCTIBLE')),
        coinsurance_rate numeric(6, 4) CHECK (coinsurance_rate BETWEEN 0 AND 1),
        coinsurance_opt  text CHECK (coinsurance_opt IN ('AFTER-DEDUCTIBLE', 'BEFORE-DEDUCTIBLE', 'NO-CHARGE', 'NO-CHARGE-AFTER-DEDUCTIBLE')),
        PRIMARY KEY (version_id, plan_id, drug_tier, pharmacy_type)
      )`);

    // Providers are listed per issuer: the same NPI may appear in many issuers' directories with
    // different addresses, so a provider row is "this issuer's listing", keyed by its position.
    await q.query(`
      CREATE TABLE provider (
        version_id      bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        record_no       int NOT NULL,
        npi             char(10),
        type            text NOT NULL CHECK (type IN ('INDIVIDUAL', 'FACILITY', 'GROUP')),
        prefix          text,
        first_name      text,
        middle_name     text,
        last_name       text,
        suffix          text,
        facility_name   text,
        display_name    text NOT NULL,
        specialties     text[] NOT NULL DEFAULT '{}',
        facility_types  text[] NOT NULL DEFAULT '{}',
        accepting       text CHECK (accepting IN ('accepting', 'not accepting', 'accepting in some locations')),
        gender          text,
        languages       text[] NOT NULL DEFAULT '{}',
        last_updated_on date,
        source_file     text,
        PRIMARY KEY (version_id, record_no)
      )`);
    await q.query(`CREATE INDEX provider_npi_idx ON provider (npi, version_id)`);

    await q.query(`
      CREATE TABLE provider_address (
        version_id  bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        record_no   int NOT NULL,
        address_no  smallint NOT NULL,
        address     text NOT NULL,
        address_2   text,
        city        text NOT NULL,
        state       char(2) NOT NULL,
        zip         char(5) NOT NULL,
        phone       text,
        latitude    double precision,
        longitude   double precision,
        PRIMARY KEY (version_id, record_no, address_no)
      )`);

    // "Provider in plan": the table behind "is my doctor in network?".
    await q.query(`
      CREATE TABLE network_membership (
        version_id   bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        record_no    int NOT NULL,
        plan_id      char(14) NOT NULL,
        network_tier text NOT NULL,
        npi          char(10),
        years        int[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (version_id, record_no, plan_id, network_tier)
      )`);
    await q.query(`CREATE INDEX network_membership_npi_plan_idx ON network_membership (npi, plan_id, version_id)`);
    await q.query(`CREATE INDEX network_membership_plan_idx ON network_membership (plan_id, version_id)`);

    await q.query(`
      CREATE TABLE drug (
        version_id  bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        rxnorm_id   text NOT NULL CHECK (rxnorm_id ~ '^[0-9]{1,10}$'),
        drug_name   text NOT NULL,
        source_file text,
        record_index int,
        PRIMARY KEY (version_id, rxnorm_id)
      )`);
    await q.query(`CREATE INDEX drug_rxnorm_idx ON drug (rxnorm_id, version_id)`);

    // The table behind "what does my drug cost?".
    await q.query(`
      CREATE TABLE formulary_entry (
        version_id          bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        plan_id             char(14) NOT NULL,
        rxnorm_id           text NOT NULL,
        drug_tier           text NOT NULL,
        prior_authorization boolean NOT NULL DEFAULT false,
        step_therapy        boolean NOT NULL DEFAULT false,
        quantity_limit      boolean NOT NULL DEFAULT false,
        years               int[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (version_id, plan_id, rxnorm_id)
      )`);
    await q.query(`CREATE INDEX formulary_entry_rxnorm_plan_idx ON formulary_entry (rxnorm_id, plan_id, version_id)`);

    // Carrier API keys: only a SHA-256 of the (high-entropy, random) key is stored.
    await q.query(`
      CREATE TABLE api_key (
        id           uuid PRIMARY KEY,
        label        text NOT NULL,
        key_prefix   text NOT NULL,
        key_hash     text NOT NULL UNIQUE,
        issuer_ids   text[] NOT NULL DEFAULT '{}',
        is_admin     boolean NOT NULL DEFAULT false,
        created_at   timestamptz NOT NULL DEFAULT now(),
        revoked_at   timestamptz,
        last_used_at timestamptz
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'api_key',
      'formulary_entry',
      'drug',
      'network_membership',
      'provider_address',
      'provider',
      'tier_cost_sharing',
      'plan_drug_tier',
      'plan',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`ALTER TABLE issuer DROP CONSTRAINT IF EXISTS issuer_current_version_fk`);
    await q.query(`DROP TABLE IF EXISTS dataset_version`);
    await q.query(`DROP TABLE IF EXISTS issuer`);
  }
}
