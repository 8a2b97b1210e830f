import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ImportReportModel, NamedCountModel } from './import-report.model';

export enum DatasetVersionStatus {
  LOADING = 'loading',
  PUBLISHED = 'published',
  SUPERSEDED = 'superseded',
  FAILED = 'failed',
}
registerEnumType(DatasetVersionStatus, {
  name: 'DatasetVersionStatus',
  description: 'LOADING (not visible yet), PUBLISHED (answers come from it), SUPERSEDED (an older published one), FAILED',
  valuesMap: {
    LOADING: { description: 'Being loaded: answers do not use it yet' },
    PUBLISHED: { description: "The issuer's current version: every answer about its plans is read from it" },
    SUPERSEDED: { description: 'Published once, replaced by a newer load; kept to compare changes' },
    FAILED: { description: 'The load was refused or broke off: see error; answers never used it' },
  },
});

@ObjectType('SourceFile', { description: 'A file a version was loaded from' })
export class SourceFileModel {
  @Field({ description: 'File name or URL, as given to the load' }) name: string;
  @Field({ description: 'index, plans, providers, drugs, providers-csv or drugs-csv' }) kind: string;
  @Field(() => Float, { nullable: true, description: 'Size in bytes; null when not recorded' }) bytes: number | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the file, hex; null when not recorded' }) sha256: string | null;
}

@ObjectType('DatasetVersion', { description: "One load of an issuer's files" })
export class DatasetVersionModel {
  @Field(() => Int, { description: 'Global id, unique across issuers (what versionId arguments take)' }) id: number;
  @Field(() => Int, { description: "The issuer's own version number: its 1st, 2nd, 3rd… load" }) number: number;
  @Field({ description: '5-digit HIOS issuer id whose files were loaded' }) issuerId: string;
  @Field(() => DatasetVersionStatus, { description: 'Where the version is in its life' }) status: DatasetVersionStatus;
  @Field({ description: 'How the files arrived: cli, upload, seed...' }) source: string;
  @Field(() => String, { nullable: true, description: 'Label of the API key or CLI user that loaded it' }) loadedBy: string | null;
  @Field({ description: 'When the load started' }) startedAt: Date;
  @Field(() => Date, { nullable: true, description: 'When answers started to come from it; null when never published' }) publishedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the load ended (published or failed); null while loading' }) finishedAt: Date | null;
  @Field(() => [NamedCountModel], { description: 'Rows loaded per kind' }) counts: NamedCountModel[];
  @Field(() => [SourceFileModel], { description: 'The files the version was loaded from' }) sourceFiles: SourceFileModel[];
  @Field(() => Int, { description: 'Records refused by validation' }) rejectedCount: number;
  @Field(() => ImportReportModel, { nullable: true, description: 'What the load kept and refused; null when none was recorded' })
  report: ImportReportModel | null;
  @Field(() => String, { nullable: true, description: 'Why the load failed; null unless FAILED' }) error: string | null;
}
