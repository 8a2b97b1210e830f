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
});

@ObjectType('SourceFile', { description: 'A file a version was loaded from' })
export class SourceFileModel {
  @Field() name: string;
  @Field({ description: 'index, plans, providers, drugs, providers-csv or drugs-csv' }) kind: string;
  @Field(() => Float, { nullable: true }) bytes: number | null;
  @Field(() => String, { nullable: true }) sha256: string | null;
}

@ObjectType('DatasetVersion', { description: "One load of an issuer's files" })
export class DatasetVersionModel {
  @Field(() => Int, { description: 'Global id, unique across issuers (what versionId arguments take)' }) id: number;
  @Field(() => Int, { description: "The issuer's own version number: its 1st, 2nd, 3rd… load" }) number: number;
  @Field() issuerId: string;
  @Field(() => DatasetVersionStatus) status: DatasetVersionStatus;
  @Field({ description: 'How the files arrived: cli, upload, seed...' }) source: string;
  @Field(() => String, { nullable: true, description: 'Label of the API key or CLI user that loaded it' }) loadedBy: string | null;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) publishedAt: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field(() => [NamedCountModel], { description: 'Rows loaded per kind' }) counts: NamedCountModel[];
  @Field(() => [SourceFileModel]) sourceFiles: SourceFileModel[];
  @Field(() => Int, { description: 'Records refused by validation' }) rejectedCount: number;
  @Field(() => ImportReportModel, { nullable: true }) report: ImportReportModel | null;
  @Field(() => String, { nullable: true }) error: string | null;
}
