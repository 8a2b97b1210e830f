import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tier's `cost_sharing` entry for one pharmacy type. */
@Entity('tier_cost_sharing')
export class TierCostSharingEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' })
  versionId: number;

  @PrimaryColumn({ name: 'plan_id', type: 'char', length: 14 })
  planId: string;

  @PrimaryColumn({ name: 'drug_tier', type: 'text' })
  drugTier: string;

  @PrimaryColumn({ name: 'pharmacy_type', type: 'text' })
  pharmacyType: string;

  @Column({ name: 'copay_amount', type: 'numeric', precision: 12, scale: 2, nullable: true })
  copayAmount: number | null;

  @Column({ name: 'copay_opt', type: 'text', nullable: true })
  copayOpt: string | null;

  @Column({ name: 'coinsurance_rate', type: 'numeric', precision: 6, scale: 4, nullable: true })
  coinsuranceRate: number | null;

  @Column({ name: 'coinsurance_opt', type: 'text', nullable: true })
  coinsuranceOpt: string | null;
}
