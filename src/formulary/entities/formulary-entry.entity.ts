import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A drug's `plans` entry: covered by this plan at this tier, with its utilization management flags. */
@Entity('formulary_entry')
export class FormularyEntryEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' }) versionId: number;
  @PrimaryColumn({ name: 'plan_id', type: 'char', length: 14 }) planId: string;
  @PrimaryColumn({ name: 'rxnorm_id', type: 'text' }) rxnormId: string;
  @Column({ name: 'drug_tier', type: 'text' }) drugTier: string;
  @Column({ name: 'prior_authorization', type: 'boolean', default: false }) priorAuthorization: boolean;
  @Column({ name: 'step_therapy', type: 'boolean', default: false }) stepTherapy: boolean;
  @Column({ name: 'quantity_limit', type: 'boolean', default: false }) quantityLimit: boolean;
  @Column({ type: 'int', array: true, default: () => "'{}'" }) years: number[];
}
