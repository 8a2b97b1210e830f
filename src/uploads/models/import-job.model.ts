import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ImportReportModel, NamedCountModel, toImportReportModel, toNamedCounts } from '../../datasets/models/import-report.model';
import type { ImportProgress } from '../../ingest/import-contract';
import { PublishRefusal } from '../../ingest/store/version-publisher';
import { LoadFailure } from '../../ingest/validate/reasons';
import { ImportJobEntity, ImportJobState } from '../import-job.entity';

/** Why a load was refused as a whole: the validation's and the publication's codes. */
export const LoadRefusalReason = { ...LoadFailure, ...PublishRefusal };
export type LoadRefusalReason = (typeof LoadRefusalReason)[keyof typeof LoadRefusalReason];

registerEnumType(LoadRefusalReason, {
  name: 'LoadRefusalReason',
  description: 'Why a load was refused as a whole; nothing of it was published and the previous version still answers',
  valuesMap: {
    INVALID_ISSUER_ID: { description: 'The issuer id is not a 5-digit HIOS issuer id' },
    WRONG_ISSUER: { description: 'The API key may not load this issuer, or the files belong to another issuer' },
    NO_FILES: { description: 'No carrier files were given' },
    FILE_NOT_FOUND: { description: 'A file named by the load or its index does not exist' },
    UNKNOWN_FILE_KIND: { description: 'A file could not be recognised as plans, providers or drugs' },
    INVALID_INDEX: { description: 'cms-data-index.json is not a valid index' },
    MISSING_PLANS: { description: 'No plans.json and no published plans to carry forward' },
    EMPTY_PLANS: { description: 'plans.json lists no plans' },
    NO_VALID_PLANS: { description: 'Every plan of plans.json was rejected' },
    FILE_TOO_LARGE: { description: 'A file is larger than the configured limit' },
    NOT_JSON: { description: 'A file is not JSON (for example an HTML page)' },
    UNSUPPORTED_ENCODING: { description: 'A file is UTF-16: send it as UTF-8' },
    INVALID_GZIP: { description: 'A gzip file is corrupt or cut short' },
    NOT_AN_ARRAY: { description: 'A file is JSON but not the array (or object) the format expects' },
    TRUNCATED_JSON: { description: 'A file ends in the middle of its JSON' },
    INVALID_JSON: { description: 'A file has a JSON syntax error' },
    RECORD_TOO_LARGE: { description: 'One record is larger than any real record could be' },
    INVALID_CSV: { description: 'A CSV file does not follow the CSV layout' },
    COPY_FAILED: { description: 'Writing the rows to PostgreSQL failed' },
    POOL_TOO_SMALL: { description: 'The database pool has too few connections for a load' },
    ABANDONED: { description: 'The loading process stopped sending heartbeats (it ended)' },
    ABORTED: { description: 'The load was stopped (shutdown or cancel)' },
    LOAD_FAILED: { description: 'Anything else, such as the database becoming unreachable: the error says what' },
    SHRINK_NEEDS_CONFIRMATION: {
      description: 'The load removes more of the published listings or formulary entries than allowed: send it again with allowShrink=true to confirm',
    },
    SUPERSEDED: { description: 'A load of the issuer accepted after this one was published first, so this older one was not published' },
    VERSION_NOT_KEPT: { description: "A rollback named a version that is not one of the issuer's kept versions" },
  },
});

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
  @Field(() => LoadRefusalReason, { nullable: true, description: 'Why the load was refused as a whole; null unless FAILED or SUPERSEDED' })
  reason: LoadRefusalReason | null;
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
    reason: (job.reason as LoadRefusalReason | null) ?? null,
    versionId: job.versionId,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    heartbeatAt: job.heartbeatAt,
  };
}
