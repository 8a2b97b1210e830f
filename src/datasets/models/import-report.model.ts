import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { RejectionSample, ShrinkFigure, ValidationReport } from '../../ingest/import-contract';
import { Rejection, Warning } from '../../ingest/validate/reasons';

/** Codes of rejected records and of warnings, as the validator reports them. */
export const ImportIssueReason = { ...Rejection, ...Warning };
export type ImportIssueReason = (typeof ImportIssueReason)[keyof typeof ImportIssueReason];

registerEnumType(ImportIssueReason, {
  name: 'ImportIssueReason',
  description: 'Why a record (or one value of it) was rejected or warned about while loading carrier files',
  valuesMap: {
    NOT_AN_OBJECT: { description: 'The record is not a JSON object' },
    MISSING_FIELD: { description: 'A required field is missing or empty' },
    INVALID_FIELD: { description: 'A field has the wrong type or shape (rejected when required, dropped with a warning when descriptive)' },
    INVALID_NPI: { description: 'The NPI is not 10 digits with a valid check digit' },
    INVALID_TYPE: { description: 'The provider type is not INDIVIDUAL, FACILITY or GROUP' },
    INVALID_PLAN_ID: { description: 'The plan id is not a 14-character HIOS plan id' },
    WRONG_ISSUER: { description: 'The plan id belongs to another issuer than the one loading' },
    UNKNOWN_PLAN: { description: "The plan id is not among the issuer's plans in plans.json" },
    UNKNOWN_NETWORK_TIER: { description: 'The network tier is not one the plan declares' },
    UNKNOWN_DRUG_TIER: { description: 'The drug tier is not one the plan declares' },
    INVALID_YEARS: { description: 'The years list is missing or holds something other than plan years' },
    INVALID_STATE: { description: 'The state is not a two-letter US state code' },
    INVALID_ZIP: { description: 'The ZIP code is not five digits (or ZIP+4)' },
    INVALID_ENUM: { description: 'A value is not one of the words the QHP format allows for that field' },
    INVALID_AMOUNT: { description: 'A copay amount is not a non-negative number of dollars' },
    INVALID_RATE: { description: 'A coinsurance rate is not a fraction between 0 and 1' },
    INVALID_BOOLEAN: { description: 'A true/false field holds something else' },
    INVALID_RXCUI: { description: 'The RxNorm id (RXCUI) is not a number' },
    DUPLICATE_PLAN: { description: 'The same plan id appears twice' },
    DUPLICATE_DRUG_TIER: { description: 'The same drug tier is declared twice for a plan' },
    DUPLICATE_COST_SHARING: { description: 'The same pharmacy type is given twice for a drug tier' },
    DUPLICATE_FORMULARY_ENTRY: { description: 'The same drug is listed twice for a plan' },
    TOO_MANY_ADDRESSES: { description: 'The provider lists more addresses than are loaded: the extra addresses are left out' },
    NO_VALID_ADDRESSES: { description: 'Every address of the provider was rejected' },
    NO_VALID_PLAN_ENTRIES: { description: 'Every plan entry of the provider or drug was rejected (each is reported on its own too)' },
    MISSING_NPI: { description: 'Warning: a provider is listed without an NPI; it is kept but cannot be looked up by NPI' },
    ZIP_PLUS_FOUR: { description: 'Warning: a ZIP+4 was shortened to its five-digit ZIP code' },
    INVALID_DATE: { description: 'Warning: a date (e.g. last_updated_on) is not YYYY-MM-DD and was dropped' },
    DUPLICATE_RXCUI: { description: 'Warning: the same RXCUI is published under another name elsewhere; the first name is kept' },
    UNKNOWN_CSV_COLUMN: { description: 'Warning: a CSV file has a column the loader does not know; it was ignored' },
    TEXT_TOO_LONG: {
      description:
        'A text value is longer than the format allows for that field: the record is rejected when the field is required, the value dropped with a warning when descriptive',
    },
    TOO_DEEPLY_NESTED: { description: 'A value of the record is nested deeper than any QHP field is: the record is rejected' },
    NO_PLANS: { description: "Warning: the provider's plans array is empty; it is kept as a listing in none of the issuer's plans" },
    DUPLICATE_PROVIDER: { description: 'Warning: a byte-identical repeat of an earlier provider record; the repeat was left out' },
    DUPLICATE_NPI: { description: 'Warning: the same NPI is listed again with different data; both listings are kept' },
  },
});

@ObjectType('NamedCount', { description: 'A count with what it counts, e.g. { name: "providers", count: 1200 }' })
export class NamedCountModel {
  @Field({ description: 'What is counted, e.g. providers, or a reason code' }) name: string;
  @Field(() => Int, { description: 'How many' }) count: number;
}

@ObjectType('RejectionSample', { description: 'One rejected record, precisely located so the carrier can fix its file' })
export class RejectionSampleModel {
  @Field(() => ImportIssueReason, { description: 'What is wrong with the record, as a code' }) reason: ImportIssueReason;
  @Field({ description: 'Name of the carrier file the record is in' }) file: string;
  @Field(() => Int, { description: 'Position of the record in its file, from 0' }) recordIndex: number;
  @Field({ description: 'JSON path inside the file, e.g. $[12].plans[0].network_tier' }) path: string;
  @Field({ description: 'What is wrong, in a sentence, with the offending value' }) message: string;
}

@ObjectType('LoadShrink', { description: 'Rows of one kind the published version had and the load has, when it has fewer' })
export class LoadShrinkModel {
  @Field({ description: 'providers, networkMemberships or formularyEntries' }) name: string;
  @Field(() => Int, { description: 'Rows of this kind in the published version' }) before: number;
  @Field(() => Int, { description: 'Rows of this kind in the load' }) after: number;
  @Field(() => Float, { description: 'Share of the published rows the load removes, 0 to 100' }) percent: number;
}

@ObjectType('ImportReport', { description: 'What a load kept and what it refused, and why' })
export class ImportReportModel {
  @Field(() => [NamedCountModel], { description: 'Records loaded, per kind' }) loaded: NamedCountModel[];
  @Field(() => [NamedCountModel], { description: 'Records rejected, per kind' }) rejected: NamedCountModel[];
  @Field(() => [NamedCountModel], { description: 'Records rejected, per reason code' }) rejectedByReason: NamedCountModel[];
  @Field(() => Int, { description: 'All rejected records' }) rejectedCount: number;
  @Field(() => [RejectionSampleModel], { description: 'A few examples of each rejection reason' }) samples: RejectionSampleModel[];
  @Field(() => [RejectionSampleModel], { description: 'Values dropped or adjusted while their records were kept, with why' }) warnings: RejectionSampleModel[];
  @Field(() => [String], { description: 'Kinds of data (plans, providers, drugs) the load brought files for: they replaced the published ones' })
  replaced: string[];
  @Field(() => [String], { description: 'Kinds the load brought no file for, carried forward unchanged from carriedFromVersionId' })
  carriedForward: string[];
  @Field(() => Int, { nullable: true, description: 'Version the carried-forward kinds were copied from; null when nothing was carried' }) carriedFromVersionId:
    number | null;
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
    reason: s.reason as ImportIssueReason,
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
