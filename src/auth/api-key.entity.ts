import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A carrier's upload credential, or a read partner's key. The key itself is shown once at creation; only its SHA-256 is kept. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'text' }) label: string;
  /** First characters of the key, to tell keys apart in listings without revealing them. */
  @Column({ name: 'key_prefix', type: 'text' }) keyPrefix: string;
  @Column({ name: 'key_hash', type: 'text', unique: true }) keyHash: string;
  @Column({ name: 'issuer_ids', type: 'text', array: true, default: () => "'{}'" }) issuerIds: string[];
  @Column({ name: 'is_admin', type: 'boolean', default: false }) isAdmin: boolean;
  /** The plan-shopping site a read-partner key identifies (no issuers, no uploads); null for carriers' keys. */
  @Column({ type: 'text', nullable: true }) partner: string | null;
  /** Requests per rate-limit window for this key; null: RATE_LIMIT_PER_API_KEY. */
  @Column({ name: 'rate_limit', type: 'integer', nullable: true }) rateLimit: number | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt: Date | null;
}
