import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DatasetVersionStatus = 'loading' | 'published' | 'superseded' | 'failed';

/** Provenance of one loaded file, as stored in dataset_version.source_files. */
export interface DatasetSourceFile {
  name: string;
  kind: string;
  bytes?: number;
  sha256?: string;
}

/** One load of an issuer's files. Rows of carrier data carry its id; only a published one is read. */
@Entity('dataset_version')
export class DatasetVersionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: number;

  @Column({ name: 'issuer_id', type: 'char', length: 5 })
  issuerId: string;

  /** The issuer's own sequence (1, 2, 3…), assigned by a trigger on insert; `id` is global across issuers. */
  @Column({ type: 'integer', insert: false, update: false })
  number: number;

  @Column({ type: 'text', default: 'loading' })
  status: DatasetVersionStatus;

  /** How the files arrived: cli, upload, seed. */
  @Column({ type: 'text', default: 'cli' })
  source: string;

  /** API key label or CLI user that started the load. */
  @Column({ name: 'loaded_by', type: 'text', nullable: true })
  loadedBy: string | null;

  /** SHA-256 over the loaded files, so re-loading identical files is a no-op. */
  @Column({ name: 'content_hash', type: 'text', nullable: true })
  contentHash: string | null;

  @Column({ name: 'source_files', type: 'jsonb', default: () => "'[]'" })
  sourceFiles: DatasetSourceFile[];

  @Column({ name: 'has_provider_files', type: 'boolean', default: false })
  hasProviderFiles: boolean;

  @Column({ name: 'has_formulary_files', type: 'boolean', default: false })
  hasFormularyFiles: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  counts: Record<string, number>;

  @Column({ type: 'jsonb', nullable: true })
  report: unknown;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  /** Touched while a load runs; a 'loading' version whose heartbeat stopped was abandoned. */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', default: () => 'now()' })
  heartbeatAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
