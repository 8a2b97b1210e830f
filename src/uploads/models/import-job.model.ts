import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ImportReportModel, NamedCountModel, toImportReportModel, toNamedCounts } from '../../datasets/models/import-report.model';
import type { ImportProgress } from '../../ingest/import-contract';
import { ImportJobEntity, ImportJobState } from '../import-job.entity';

export enum ImportJobStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  UNCHANGED = 'UNCHANGED',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(ImportJobStatus, {
  name: 'ImportJobStatus',
  description: 'Where an upload import stands',
  valuesMap: {
    QUEUED: { description: 'Received, waiting for an instance to load it' },
    RUNNING: { description: 'Being loaded: see progress' },
    SUCCEEDED: { description: 'Loaded and published: answers now come from it' },
    FAILED: { description: 'Refused or broken off: see error and report; the previous version still answers' },
    UNCHANGED: { description: 'The same files were already published: nothing was loaded again' },
    SUPERSEDED: { description: 'A load of the issuer accepted after this one was published first, so this older one was not published' },
  },
});

@ObjectType('ImportJobFile', { description: 'A file received with the upload' })
export class ImportJobFileModel {
  @Field({ description: 'File name as uploaded' }) name: string;
  @Field({ description: 'index, plans, providers, drugs, providers-csv or drugs-csv' }) kind: string;
  @Field(() => Float, { description: 'Size in bytes' }) bytes: number;
}

@ObjectType('ImportJobProgress', { description: 'How far an import has got' })
export class ImportJobProgressModel {
  @Field({ description: 'reading, validating, copying, indexing, publishing or done' }) phase: string;
  @Field(() => String, { nullable: true, description: 'File being read' }) file: string | null;
  @Field(() => Float, { description: 'Records read so far' }) recordsRead: number;
  @Field(() => Float, { description: 'Records refused by validation so far' }) recordsRejected: number;
  @Field(() => Float, { description: 'Bytes read so far, across the files' }) bytesRead: number;
  @Field(() => Float, { description: 'Bytes of all the files' }) bytesTotal: number;
  @Field(() => Float, { nullable: true, description: 'Share of the bytes read, 0 to 100' }) percent: number | null;
}

@ObjectType('ImportJob', { description: 'The import of one upload' })
export class ImportJobModel {
  @Field(() => ID, { description: 'Job id, returned by the upload' }) id: string;
  @Field({ description: '5-digit HIOS issuer id whose files were uploaded' }) issuerId: string;
  @Field(() => ImportJobStatus, { description: 'Where the job stands' }) status: ImportJobStatus;
  @Field({ description: 'Label of the API key that uploaded the files' }) loadedBy: string;
  @Field(() => [ImportJobFileModel], { description: 'The files received' }) files: ImportJobFileModel[];
  @Field(() => ImportJobProgressModel, { nullable: true, description: 'How far the load has got; null until it starts' })
  progress: ImportJobProgressModel | null;
  @Field(() => [NamedCountModel], { description: 'Rows loaded per kind, once the job has ended' }) counts: NamedCountModel[];
  @Field(() => ImportReportModel, { nullable: true, description: 'What the load kept and refused; null until it has read the files' })
  report: ImportReportModel | null;
  @Field(() => String, { nullable: true, description: 'Why the job failed; null unless FAILED' }) error: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Code of why the load was refused as a whole, e.g. SHRINK_NEEDS_CONFIRMATION (upload again with allowShrink=true), SUPERSEDED, NOT_JSON',
  })
  reason: string | null;
  @Field(() => Int, { nullable: true, description: 'Dataset version the job loaded (or found unchanged)' }) versionId: number | null;
  @Field({ description: 'When the upload was received' }) createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When loading started; null while queued' }) startedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the job ended; null while queued or running' }) finishedAt: Date | null;
  @Field({ description: 'Last sign of life of the instance running the job' }) heartbeatAt: Date;
}

const STATUS_OF_STATE: Record<ImportJobState, ImportJobStatus> = {
  queued: ImportJobStatus.QUEUED,
  running: ImportJobStatus.RUNNING,
  succeeded: ImportJobStatus.SUCCEEDED,
  failed: ImportJobStatus.FAILED,
  unchanged: ImportJobStatus.UNCHANGED,
  superseded: ImportJobStatus.SUPERSEDED,
};

function toProgressModel(progress: ImportProgress | null, ended: boolean): ImportJobProgressModel | null {
  if (!progress) return null;
  const percent = progress.bytesTotal > 0 ? Math.min(100, Math.round((progress.bytesRead / progress.bytesTotal) * 1000) / 10) : null;
  return {
    phase: progress.phase,
    file: progress.file ?? null,
    recordsRead: progress.recordsRead,
    recordsRejected: progress.recordsRejected,
    bytesRead: progress.bytesRead,
    bytesTotal: progress.bytesTotal,
    percent: ended && progress.phase === 'done' ? 100 : percent,
  };
}

export function toImportJobModel(job: ImportJobEntity): ImportJobModel {
  return {
    id: job.id,
    issuerId: job.issuerId,
    status: STATUS_OF_STATE[job.status],
    loadedBy: job.loadedBy,
    files: job.files,
    progress: toProgressModel(job.progress, job.finishedAt !== null),
    counts: toNamedCounts(job.counts),
    report: toImportReportModel(job.report),
    error: job.error,
    reason: job.reason,
    versionId: job.versionId,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    heartbeatAt: job.heartbeatAt,
  };
}
