import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('plan')
export class PlanEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' })
  versionId: number;

  /** 14-character HIOS plan id: issuer (5 digits), state (2 letters), product (3), component (4). */
  @PrimaryColumn({ name: 'plan_id', type: 'char', length: 14 })
  planId: string;

  @Column({ name: 'issuer_id', type: 'char', length: 5 })
  issuerId: string;

  @Column({ type: 'char', length: 2 })
  state: string;

  @Column({ name: 'plan_id_type', type: 'text' })
  planIdType: string;

  @Column({ name: 'marketing_name', type: 'text' })
  marketingName: string;

  @Column({ name: 'metal_level', type: 'text', nullable: true })
  metalLevel: string | null;

  @Column({ name: 'summary_url', type: 'text', nullable: true })
  summaryUrl: string | null;

  @Column({ name: 'marketing_url', type: 'text', nullable: true })
  marketingUrl: string | null;

  @Column({ name: 'formulary_url', type: 'text', nullable: true })
  formularyUrl: string | null;

  @Column({ name: 'plan_contact', type: 'text', nullable: true })
  planContact: string | null;

  @Column({ type: 'int', array: true, default: () => "'{}'" })
  years: number[];

  @Column({ name: 'network_tiers', type: 'text', array: true, default: () => "'{}'" })
  networkTiers: string[];

  @Column({ type: 'jsonb', nullable: true })
  benefits: unknown;

  @Column({ name: 'last_updated_on', type: 'date', nullable: true })
  lastUpdatedOn: string | null;

  @Column({ name: 'source_file', type: 'text', nullable: true })
  sourceFile: string | null;

  @Column({ name: 'record_index', type: 'int', nullable: true })
  recordIndex: number | null;
}
