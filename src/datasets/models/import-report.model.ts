import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { RejectionSample, ShrinkFigure, ValidationReport } from '../../ingest/import-contract';

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

@ObjectType('LoadShrink', { description: 'Rows of one kind the published version had and the load has, when it has fewer' })
export class LoadShrinkModel {
  @Field({ description: 'providers, networkMemberships or formularyEntries' }) name: string;
  @Field(() => Int) before: number;
  @Field(() => Int) after: number;
  @Field(() => Float, { description: 'Share of the published rows the load removes, 0 to 100' }) percent: number;
}

@ObjectType('ImportReport', { description: 'What a load kept and what it refused, and why' })
export class ImportReportModel {
  @Field(() => [NamedCountModel], { description: 'Records loaded, per kind' }) loaded: NamedCountModel[];
  @Field(() => [NamedCountModel], { description: 'Records rejected, per kind' }) rejected: NamedCountModel[];
  @Field(() => [NamedCountModel], { description: 'Records rejected, per reason code' }) rejectedByReason: NamedCountModel[];
  @Field(() => Int, { description: 'All rejected records' }) rejectedCount: number;
  @Field(() => [RejectionSampleModel], { description: 'A few examples of each rejection reason' }) samples: RejectionSampleModel[];
  @Field(() => [RejectionSampleModel]) warnings: RejectionSampleModel[];
  @Field(() => [String], { description: 'Kinds of data (plans, providers, drugs) the load brought files for: they replaced the published ones' })
  replaced: string[];
  @Field(() => [String], { description: 'Kinds the load brought no file for, carried forward unchanged from carriedFromVersionId' })
  carriedForward: string[];
  @Field(() => Int, { nullable: true }) carriedFromVersionId: number | null;
  @Field(() => [NamedCountModel], { description: 'Carried-forward rows left out because their plan is not in the new plans file, per table' })
  droppedWithRemovedPlans: NamedCountModel[];
  @Field(() => [LoadShrinkModel], { description: 'Kinds of rows the load has fewer of than the published version, and by how much' })
  shrink: LoadShrinkModel[];
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
    replaced: report.replaced ?? [],
    carriedForward: report.carriedForward ?? [],
    carriedFromVersionId: report.carriedFromVersionId ?? null,
    droppedWithRemovedPlans: toNamedCounts(report.droppedWithRemovedPlans),
    shrink: Object.entries(report.shrink ?? {}).map(([name, figure]: [string, ShrinkFigure]) => ({ name, ...figure })),
  };
}
