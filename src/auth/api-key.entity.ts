import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A carrier's upload credential. The key itself is shown once at creation; only its SHA-256 is kept. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) label: string;
  /** First characters of the key, to tell keys apart in listings without revealing them. */
  @Column({ name: 'key_prefix', type: 'text' }) keyPrefix: string;
  @Column({ name: 'key_hash', type: 'text', unique: true }) keyHash: string;
  @Column({ name: 'issuer_ids', type: 'text', array: true, default: () => "'{}'" }) issuerIds: string[];
  @Column({ name: 'is_admin', type: 'boolean', default: false }) isAdmin: boolean;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
}
