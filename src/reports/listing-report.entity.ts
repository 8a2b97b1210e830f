import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ListingReportKind = 'WRONG_PHONE' | 'WRONG_ADDRESS' | 'NOT_ACCEPTING' | 'NOT_IN_NETWORK' | 'OTHER';
export type ListingReportStatus = 'OPEN' | 'FIXED' | 'REJECTED' | 'DUPLICATE';

/** A member's report that a directory listing is wrong, routed to the listing's carrier. */
@Entity('listing_report')
export class ListingReportEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'char', length: 10 }) npi: string;
  @Column({ name: 'issuer_id', type: 'char', length: 5 }) issuerId: string;
  @Column({ name: 'plan_id', type: 'char', length: 14, nullable: true }) planId: string | null;
  @Column({ type: 'text' }) kind: ListingReportKind;
  @Column({ type: 'text' }) details: string;
  /** Personal data: readable only by the listing's carrier; never returned publicly nor logged. */
  @Column({ name: 'contact_email', type: 'text', nullable: true }) contactEmail: string | null;
  /** The published version the reporter saw, so the carrier can tell whether a later load fixed it. */
  @Column({ name: 'listing_version_id', type: 'bigint' }) listingVersionId: number;
  @Column({ type: 'text', default: 'OPEN' }) status: ListingReportStatus;
  @Column({ name: 'resolution_note', type: 'text', nullable: true }) resolutionNote: string | null;
  /** Label of the API key that resolved it. */
  @Column({ name: 'resolved_by', type: 'text', nullable: true }) resolvedBy: string | null;
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true }) resolvedAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
