import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A provider's `plans` entry: in this plan's network at this tier, for these years. */
@Entity('network_membership')
export class NetworkMembershipEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' }) versionId: number;
  @PrimaryColumn({ name: 'record_no', type: 'int' }) recordNo: number;
  @PrimaryColumn({ name: 'plan_id', type: 'char', length: 14 }) planId: string;
  @PrimaryColumn({ name: 'network_tier', type: 'text' }) networkTier: string;

  /** Copied from the provider so the NPI × plan lookup is one index probe. */
  @Column({ type: 'char', length: 10, nullable: true }) npi: string | null;

  /** Empty when the file predates `years` (2015 shape): then it follows the plan's years. */
  @Column({ type: 'int', array: true, default: () => "'{}'" }) years: number[];
}
