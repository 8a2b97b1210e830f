import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reporters' contact emails are stored sealed (AES-256-GCM, src/reports/contact-email-cipher.ts): the
 * sealed form of a 254-character address is longer than the address, so the length check moves from
 * 254 characters to 2048 (254 characters of UTF-8 at most 1,016 bytes, sealed and base64url-encoded).
 * Rows stored in plain text before are sealed by the API at start (ListingReportsService), which holds
 * the key; SQL alone cannot.
 */
export class SealedContactEmails1700000000500 implements MigrationInterface {
  name = 'SealedContactEmails1700000000500';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listing_report DROP CONSTRAINT listing_report_contact_email_check`);
    await q.query(`ALTER TABLE listing_report ADD CONSTRAINT listing_report_contact_email_check CHECK (char_length(contact_email) <= 2048)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // Sealed values are longer than 254 characters: the old check is restored for new rows only.
    await q.query(`ALTER TABLE listing_report DROP CONSTRAINT listing_report_contact_email_check`);
    await q.query(`ALTER TABLE listing_report ADD CONSTRAINT listing_report_contact_email_check CHECK (char_length(contact_email) <= 254) NOT VALID`);
  }
}
