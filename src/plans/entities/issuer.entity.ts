import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A carrier, identified by its 5-digit HIOS issuer id (the first 5 characters of its plan ids). */
@Entity('issuer')
export class IssuerEntity {
  @PrimaryColumn({ name: 'issuer_id', type: 'char', length: 5 })
  issuerId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'char', length: 2, nullable: true })
  state: string | null;

  /** The published dataset version; every query reads through this pointer. */
  @Column({ name: 'current_version_id', type: 'bigint', nullable: true })
  currentVersionId: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
