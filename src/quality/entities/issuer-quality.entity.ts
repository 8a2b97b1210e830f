import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Data-quality snapshot of one published dataset version (computed once: a version never changes). */
@Entity('issuer_quality')
export class IssuerQualityEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' }) versionId: number;
  @Column({ name: 'issuer_id', type: 'char', length: 5 }) issuerId: string;
  @Column({ name: 'loaded_at', type: 'timestamptz' }) loadedAt: Date;
  @Column({ name: 'records_loaded', type: 'int' }) recordsLoaded: number;
  @Column({ name: 'records_rejected', type: 'int' }) recordsRejected: number;
  /** Entries left out of kept records (addresses, network memberships, tiers, formulary entries). */
  @Column({ name: 'entries_rejected', type: 'int' }) entriesRejected: number;
  @Column({ type: 'int' }) listings: number;
  @Column({ name: 'listings_without_phone', type: 'int' }) listingsWithoutPhone: number;
  @Column({ name: 'individual_listings', type: 'int' }) individualListings: number;
  @Column({ name: 'listings_without_accepting', type: 'int' }) listingsWithoutAccepting: number;
  @Column({ name: 'listings_without_date', type: 'int' }) listingsWithoutDate: number;
  @Column({ name: 'median_last_updated_on', type: 'date', nullable: true }) medianLastUpdatedOn: string | null;
  @Column({ name: 'oldest_last_updated_on', type: 'date', nullable: true }) oldestLastUpdatedOn: string | null;
  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' }) computedAt: Date;
}
