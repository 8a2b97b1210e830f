import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One `formulary` object of a plan: a drug tier and whether mail order is offered. */
@Entity('plan_drug_tier')
export class PlanDrugTierEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' })
  versionId: number;

  @PrimaryColumn({ name: 'plan_id', type: 'char', length: 14 })
  planId: string;

  @PrimaryColumn({ name: 'drug_tier', type: 'text' })
  drugTier: string;

  @Column({ name: 'mail_order', type: 'boolean', default: false })
  mailOrder: boolean;
}
