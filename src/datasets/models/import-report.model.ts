import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { RejectionSample, ValidationReport } from '../../ingest/import-contract';

@ObjectType('NamedCount', { description: 'A count with what it counts, e.g. { name: "providers", count: 1200 }' })
export class NamedCountModel {
  @Field() name: string;
  @Field(() => Int) count: number;
}

@ObjectType('RejectionSample', { description: 'One rejected record, precisely located so the carrier can fix its file' })
export class RejectionSampleModel {
  @Field({ description: 'Reason code, e.g. INVALID_NPI, UNKNOWN_NETWORK_TIER' }) reason: string;
  @Field() file: string;
  @Field(() => Int, { description: 'Position of the record in its file, from 0' }) recordIndex: number;
  @Field({ description: 'JSON path inside the file, e.g. $[12].plans[0].network_tier' }) path: string;
  @Field() message: string;
}

@ObjectType('ImportReport', { description: 'What a load kept and what it refused, and why' })
export class ImportReportModel {
  @Field(() => [NamedCountModel], { description: 'Records loaded, per kind' }) loaded: NamedCountModel[];
  @Field(() => [NamedCountModel], { description: 'Records rejected, per kind' }) rejected: NamedCountModel[];
  @Field(() => [NamedCountModel], { description: 'Records rejected, per reason code' }) rejectedByReason: NamedCountModel[];
  @Field(() => Int, { description: 'All rejected records' }) rejectedCount: number;
  @Field(() => [RejectionSampleModel], { description: 'A few examples of each rejection reason' }) samples: RejectionSampleModel[];
  @Field(() => [RejectionSampleModel]) warnings: RejectionSampleModel[];
}

export function toNamedCounts(counts: Record<string, number> | null | undefined): NamedCountModel[] {
  return Object.entries(counts ?? {})
    .filter(([, count]) => typeof count === 'number')
    .map(([name, count]) => ({ name, count }));
}

/** Rejected records of a report: per reason when known, else per kind. */
export function rejectedCountOf(report: Partial<ValidationReport> | null | undefined): number {
  const counts = report?.rejectedByReason && Object.keys(report.rejectedByReason).length ? report.rejectedByReason : report?.rejected;
  return Object.values(counts ?? {}).reduce((sum, count) => sum + (typeof count === 'number' ? count : 0), 0);
}

/** Tolerates partial reports (a failed load may have stored only some parts). */
export function toImportReportModel(report: Partial<ValidationReport> | null | undefined): ImportReportModel | null {
  if (!report) return null;
  const sample = (s: RejectionSample): RejectionSampleModel => ({
    reason: s.reason,
    file: s.file,
    recordIndex: s.recordIndex,
    path: s.path,
    message: s.message,
  });
  return {
    loaded: toNamedCounts(report.loaded),
    rejected: toNamedCounts(report.rejected),
    rejectedByReason: toNamedCounts(report.rejectedByReason),
    rejectedCount: rejectedCountOf(report),
    samples: Object.values(report.samples ?? {})
      .flat()
      .map(sample),
    warnings: (report.warnings ?? []).map(sample),
  };
}
