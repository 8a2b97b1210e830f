import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CostSharingModel, PlanModel } from '../../plans/models/plan.model';
import { AnswerOutcome } from '../../quality/models/answer-outcome';
import { ProvenanceModel } from '../../quality/models/provenance.model';

@ObjectType('Drug')
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
registerEnumType(CoverageStatus, { name: 'CoverageStatus' });

@ObjectType('DrugCoverage', { description: 'Is this drug covered by this plan, and what does it cost?' })
export class DrugCoverageModel {
  @Field() rxnormId: string;
  @Field() planId: string;
  @Field(() => Int, { nullable: true }) year: number | null;
  @Field(() => CoverageStatus) status: CoverageStatus;
  @Field(() => AnswerOutcome, {
    description:
      "COVERED (status COVERED); NOT_COVERED: the plan's published formulary for this year omits the drug (status NOT_COVERED); " +
      'NOT_REPORTED: no formulary is loaded for this plan and year (status UNKNOWN: PLAN_NOT_LOADED, YEAR_NOT_REPORTED, FORMULARY_NOT_REPORTED)',
  })
  outcome: AnswerOutcome;
  @Field(() => String, {
    nullable: true,
    description: 'NOT_ON_FORMULARY when not covered; PLAN_NOT_LOADED, YEAR_NOT_REPORTED or FORMULARY_NOT_REPORTED when UNKNOWN',
  })
  reason: string | null;
  @Field({ description: 'The answer in a sentence' }) message: string;
  @Field(() => DrugModel, { nullable: true }) drug: DrugModel | null;
  @Field(() => String, { nullable: true }) drugTier: string | null;
  @Field(() => Boolean, { nullable: true }) priorAuthorization: boolean | null;
  @Field(() => Boolean, { nullable: true }) stepTherapy: boolean | null;
  @Field(() => Boolean, { nullable: true }) quantityLimit: boolean | null;
  @Field(() => Boolean, { nullable: true }) mailOrder: boolean | null;
  @Field(() => [CostSharingModel], { description: 'Cost sharing per pharmacy type for the drug tier' })
  costSharing: CostSharingModel[];
  @Field(() => String, { nullable: true, description: 'The 30-day in-network retail cost, in words (or the first one stated)' })
  costSummary: string | null;
  @Field(() => PlanModel, { nullable: true }) plan: PlanModel | null;
  @Field(() => ProvenanceModel, {
    nullable: true,
    description: 'The issuer file and load this answer was read from, with its freshness (null only when the plan is not loaded)',
  })
  provenance: ProvenanceModel | null;
}
