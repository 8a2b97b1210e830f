import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trustworthy answers: reference data for generic equivalents and prices, per-version data-quality
 * snapshots, and members' reports of wrong directory listings.
 */
export class TrustworthyAnswers1700000000300 implements MigrationInterface {
  name = 'TrustworthyAnswers1700000000300';

  public async up(q: QueryRunner): Promise<void> {
    // Ingredient/strength crosswalk (from RxNorm): brand and generic products with the same
    // ingredient, strength and dose form are therapeutic equivalents.
    await q.query(`
      CREATE TABLE drug_ingredient (
        rxnorm_id       text PRIMARY KEY CHECK (rxnorm_id ~ '^[0-9]{1,10}$'),
        drug_name       text NOT NULL,
        ingredient      text NOT NULL CHECK (ingredient <> ''),
        strength        text NOT NULL CHECK (strength <> ''),
        dose_form       text NOT NULL DEFAULT '',
        is_brand        boolean NOT NULL,
        equivalence_key text GENERATED ALWAYS AS (lower(ingredient) || '|' || lower(strength) || '|' || lower(dose_form)) STORED,
        loaded_at       timestamptz NOT NULL DEFAULT now()
      )`);
    // "Which generics share this brand's ingredient, strength and form?" is one probe of this index.
    await q.query(`CREATE INDEX drug_ingredient_generic_idx ON drug_ingredient (equivalence_key, rxnorm_id) WHERE NOT is_brand`);

    await q.query(`
      CREATE TABLE drug_price (
        rxnorm_id         text PRIMARY KEY CHECK (rxnorm_id ~ '^[0-9]{1,10}$'),
        price_per_30_days numeric(12, 2) NOT NULL CHECK (price_per_30_days >= 0),
        source            text NOT NULL CHECK (source <> ''),
        as_of             date NOT NULL,
        loaded_at         timestamptz NOT NULL DEFAULT now()
      )`);

    // Data quality only changes when a version is published, so it is computed once per version
    // (on first request) and kept; deleting a version drops its snapshot.
    await q.query(`
      CREATE TABLE issuer_quality (
        version_id                  bigint PRIMARY KEY REFERENCES dataset_version(id) ON DELETE CASCADE,
        issuer_id                   char(5) NOT NULL,
        loaded_at                   timestamptz NOT NULL,
        records_loaded              int NOT NULL,
        records_rejected            int NOT NULL,
        entries_rejected            int NOT NULL,
        listings                    int NOT NULL,
        listings_without_phone      int NOT NULL,
        individual_listings         int NOT NULL,
        listings_without_accepting  int NOT NULL,
        listings_without_date       int NOT NULL,
        median_last_updated_on      date,
        oldest_last_updated_on      date,
        computed_at                 timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE plan_quality (
        version_id                  bigint NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,
        plan_id                     char(14) NOT NULL,
        issuer_id                   char(5) NOT NULL,
        plan_last_updated_on        date,
        listings                    int NOT NULL,
        listings_without_phone      int NOT NULL,
        individual_listings         int NOT NULL,
        listings_without_accepting  int NOT NULL,
        listings_without_date       int NOT NULL,
        median_last_updated_on      date,
        oldest_last_updated_on      date,
        computed_at                 timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (version_id, plan_id)
      )`);

    // Reports outlive the version they were filed against (versions are pruned), hence no FK to it.
    // contact_email is personal data: only the listing's carrier (by API key) ever reads it.
    await q.query(`
      CREATE TABLE listing_report (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        npi                char(10) NOT NULL,
        issuer_id          char(5) NOT NULL REFERENCES issuer(issuer_id),
        plan_id            char(14),
        kind               text NOT NULL CHECK (kind IN ('WRONG_PHONE', 'WRONG_ADDRESS', 'NOT_ACCEPTING', 'NOT_IN_NETWORK', 'OTHER')),
        details            text NOT NULL CHECK (char_length(details) BETWEEN 1 AND 1000),
        contact_email      text CHECK (char_length(contact_email) <= 254),
        listing_version_id bigint NOT NULL,
        status             text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'FIXED', 'REJECTED', 'DUPLICATE')),
        resolution_note    text CHECK (char_length(resolution_note) <= 1000),
        resolved_by        text,
        resolved_at        timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now()
      )`);
    // A carrier's inbox, newest first, optionally by status (keyset pagination on created_at, id).
    await q.query(`CREATE INDEX listing_report_inbox_idx ON listing_report (issuer_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX listing_report_status_inbox_idx ON listing_report (issuer_id, status, created_at DESC, id DESC)`);
    // Public counts by issuer, plan, kind and status: an index-only scan.
    await q.query(`CREATE INDEX listing_report_counts_idx ON listing_report (issuer_id, plan_id, kind, status)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['listing_report', 'plan_quality', 'issuer_quality', 'drug_price', 'drug_ingredient']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
