import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CostSharingModel, PlanModel } from '../../plans/models/plan.model';
import { AnswerOutcome } from '../../quality/models/answer-outcome';
import { ProvenanceModel } from '../../quality/models/provenance.model';

@ObjectType('Drug', { description: 'A drug by RxNorm concept id (RXCUI), as named in the loaded formularies' })
export class DrugModel {
  @Field({ description: 'RxNorm concept id (RXCUI)' }) rxnormId: string;
  @Field({ description: 'Name as published by the issuer(s)' }) drugName: string;
  @Field(() => [String], { description: 'Other names issuers publish for the same RXCUI' }) otherNames: string[];
}

export enum CoverageStatus {
  COVERED = 'COVERED',
  NOT_COVERED = 'NOT_COVERED',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(CoverageStatus, {
  name: 'CoverageStatus',
  description: "Whether a plan's formulary covers a drug",
  valuesMap: {
    COVERED: { description: "The drug is on the plan's published formulary" },
    NOT_COVERED: { description: "The plan's formulary is loaded for this year and does not list the drug" },
    UNKNOWN: { description: 'The data cannot say: see reason' },
  },
});

/** Why a drug is not covered or its coverage is unknown. */
export enum DrugCoverageReason {
  NOT_ON_FORMULARY = 'NOT_ON_FORMULARY',
  PLAN_NOT_LOADED = 'PLAN_NOT_LOADED',
  YEAR_NOT_REPORTED = 'YEAR_NOT_REPORTED',
  FORMULARY_NOT_REPORTED = 'FORMULARY_NOT_REPORTED',
}
registerEnumType(DrugCoverageReason, {
  name: 'DrugCoverageReason',
  description: 'Why a drug is NOT_COVERED or its coverage UNKNOWN',
  valuesMap: {
    NOT_ON_FORMULARY: { description: "NOT_COVERED: the plan's published formulary does not list the drug" },
    PLAN_NOT_LOADED: { description: 'UNKNOWN: no issuer has published this plan id' },
    YEAR_NOT_REPORTED: { description: 'UNKNOWN: the plan is loaded, but not for the year asked' },
    FORMULARY_NOT_REPORTED: { description: "UNKNOWN: the plan's issuer has not published a formulary for it" },
  },
});

@ObjectType('DrugCoverage', { description: 'Is this drug covered by this plan, and what does it cost?' })
export class DrugCoverageModel {
  @Field({ description: 'RxNorm concept id (RXCUI) asked about' }) rxnormId: string;
  @Field({ description: '14-character HIOS plan id asked about' }) planId: string;
  @Field(() => Int, { nullable: true, description: 'Plan year asked about; null when none was given (any loaded year)' }) year: number | null;
  @Field(() => CoverageStatus, { description: 'Covered, not covered, or unknown' }) status: CoverageStatus;
  @Field(() => AnswerOutcome, {
    description:
      "COVERED (status COVERED); NOT_COVERED: the plan's published formulary for this year omits the drug (status NOT_COVERED); " +
      'NOT_REPORTED: no formulary is loaded for this plan and year (status UNKNOWN: PLAN_NOT_LOADED, YEAR_NOT_REPORTED, FORMULARY_NOT_REPORTED)',
  })
  outcome: AnswerOutcome;
  @Field(() => DrugCoverageReason, { nullable: true, description: 'Why the drug is NOT_COVERED or UNKNOWN; null when COVERED' })
  reason: DrugCoverageReason | null;
  @Field({ description: 'The answer in a sentence' }) message: string;
  @Field(() => DrugModel, { nullable: true, description: 'The drug; null when no loaded formulary lists the RXCUI' }) drug: DrugModel | null;
  @Field(() => String, { nullable: true, description: 'Formulary tier, e.g. GENERIC, PREFERRED-BRAND; null unless COVERED' }) drugTier: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: the plan must approve the drug before it pays; null unless COVERED' })
  priorAuthorization: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: a cheaper drug must be tried first; null unless COVERED' }) stepTherapy: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: the plan limits the quantity per fill; null unless COVERED' }) quantityLimit: boolean | null;
  @Field(() => Boolean, { nullable: true, description: "true: the tier is available by mail order; null unless COVERED or when the tier doesn't say" })
  mailOrder: boolean | null;
  @Field(() => [CostSharingModel], { description: 'Cost sharing per pharmacy type for the drug tier' })
  costSharing: CostSharingModel[];
  @Field(() => String, { nullable: true, description: 'The 30-day in-network retail cost, in words (or the first one stated)' })
  costSummary: string | null;
  @Field(() => PlanModel, { nullable: true, description: 'The plan; null when it is not loaded' }) plan: PlanModel | null;
  @Field(() => ProvenanceModel, {
    nullable: true,
    description: 'The issuer file and load this answer was read from, with its freshness (null only when the plan is not loaded)',
  })
  provenance: ProvenanceModel | null;
}
