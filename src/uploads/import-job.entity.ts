import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ImportProgress, ValidationReport } from '../ingest/import-contract';

export type ImportJobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'unchanged' | 'superseded';

export interface ImportJobFile {
  name: string;
  kind: string;
  bytes: number;
}

/** One upload's import, from the moment its files are on disk until it is published or fails. */
@Entity('import_job')
export class ImportJobEntity {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'issuer_id', type: 'char', length: 5 }) issuerId: string;
  @Column({ type: 'text', default: 'queued' }) status: ImportJobState;
  @Column({ type: 'text', default: 'upload' }) source: string;
  @Column({ name: 'api_key_id', type: 'uuid', nullable: true }) apiKeyId: string | null;
  /** The key's label, never the key. */
  @Column({ name: 'loaded_by', type: 'text' }) loadedBy: string;
  @Column({ type: 'jsonb', default: () => "'[]'" }) files: ImportJobFile[];
  @Column({ type: 'jsonb', nullable: true }) progress: ImportProgress | null;
  @Column({ type: 'jsonb', nullable: true }) counts: Record<string, number> | null;
  @Column({ type: 'jsonb', nullable: true }) report: ValidationReport | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  /** Code of a whole-load refusal (e.g. SHRINK_NEEDS_CONFIRMATION, SUPERSEDED, NOT_JSON). */
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'version_id', type: 'bigint', nullable: true }) versionId: number | null;
  /** Spool directory of the upload; removed when the job ends. */
  @Column({ name: 'temp_dir', type: 'text', nullable: true }) tempDir: string | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'heartbeat_at', type: 'timestamptz', default: () => 'now()' }) heartbeatAt: Date;
}
