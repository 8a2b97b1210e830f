import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/** Which published record an answer rests on. */
export enum ProvenanceRecordType {
  /** A provider's entry in the issuer's provider files. */
  PROVIDER_LISTING = 'PROVIDER_LISTING',
  /** A drug's entry in the issuer's formulary (drugs) files. */
  DRUG = 'DRUG',
  /** The plan's entry in plans.json: used when the answer is an absence (not listed, year or file not reported). */
  PLAN = 'PLAN',
}
registerEnumType(ProvenanceRecordType, {
  name: 'ProvenanceRecordType',
  description: 'Which published record an answer rests on',
  valuesMap: {
    PROVIDER_LISTING: { description: "A provider's entry in the issuer's provider files" },
    DRUG: { description: "A drug's entry in the issuer's formulary (drugs) files" },
    PLAN: { description: "The plan's entry in plans.json: used when the answer is an absence (not listed, year or file not reported)" },
  },
});

/**
 * Where an answer comes from. `issuerName`, `loadedAt`, `daysSinceLoad` and `dataAgeDays` are
 * resolved by ProvenanceResolver (batched per request), so services only fill in the record.
 */
@ObjectType('Provenance', { description: 'Which issuer file and load an answer was read from, and how fresh it is' })
export class ProvenanceModel {
  @Field({ description: '5-digit HIOS issuer id of the carrier that published the record' }) issuerId: string;
  @Field(() => Int, { description: 'Published dataset version the answer was read from' }) datasetVersionId: number;
  @Field(() => ProvenanceRecordType, { description: 'Which kind of record the answer rests on' }) recordType: ProvenanceRecordType;
  @Field(() => String, { nullable: true, description: 'File the record came from (index URL or file name)' })
  sourceFile: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The record's last_updated_on (YYYY-MM-DD). Drug records carry no date in the QHP format, so drug answers give " +
      "the plan's last_updated_on (the plan defines the tiers and cost sharing the answer uses).",
  })
  lastUpdatedOn: string | null;
}
