import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Data-quality snapshot of one plan's directory in one published dataset version. */
@Entity('plan_quality')
export class PlanQualityEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' }) versionId: number;
  @PrimaryColumn({ name: 'plan_id', type: 'char', length: 14 }) planId: string;
  @Column({ name: 'issuer_id', type: 'char', length: 5 }) issuerId: string;
  @Column({ name: 'plan_last_updated_on', type: 'date', nullable: true }) planLastUpdatedOn: string | null;
  @Column({ type: 'int' }) listings: number;
  @Column({ name: 'listings_without_phone', type: 'int' }) listingsWithoutPhone: number;
  @Column({ name: 'individual_listings', type: 'int' }) individualListings: number;
  @Column({ name: 'listings_without_accepting', type: 'int' }) listingsWithoutAccepting: number;
  @Column({ name: 'listings_without_date', type: 'int' }) listingsWithoutDate: number;
  @Column({ name: 'median_last_updated_on', type: 'date', nullable: true }) medianLastUpdatedOn: string | null;
  @Column({ name: 'oldest_last_updated_on', type: 'date', nullable: true }) oldestLastUpdatedOn: string | null;
  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' }) computedAt: Date;
}
