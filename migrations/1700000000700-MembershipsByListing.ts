import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops network_membership_npi_plan_idx, a btree on (npi, plan_id, version_id): each load rebuilds it on
 * its version's memberships (1M providers, 3M memberships: ~1.9 s of the index phase, 164 MB), and what
 * it answers, "which plans list this NPI", is one step longer through indexes every load builds anyway:
 * provider_npi_idx finds the NPI's listings, network_membership's primary key (version_id, record_no,
 * plan_id, network_tier) their plan entries. The readers by NPI (network checks, provider lookups,
 * listing reports) join provider that way.
 */
export class MembershipsByListing1700000000700 implements MigrationInterface {
  name = 'MembershipsByListing1700000000700';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX network_membership_npi_plan_idx`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX network_membership_npi_plan_idx ON network_membership (npi, plan_id, version_id)`);
  }
}
