import { Field, ObjectType } from '@nestjs/graphql';
import { CostSharingModel } from '../../plans/models/plan.model';

@ObjectType('GenericCovered', {
  description: 'A generic with the same ingredient, strength and dose form, covered by the plan that does not cover the brand',
})
export class GenericCoveredModel {
  @Field({ description: 'RXCUI of the generic' }) rxnormId: string;
  @Field({ description: 'Name of the generic, as the formulary lists it' }) drugName: string;
  @Field({ description: "The generic's tier on the plan's formulary, e.g. GENERIC" }) drugTier: string;
  @Field(() => String, { nullable: true, description: 'The 30-day in-network retail cost of the generic, in words' })
  costSummary: string | null;
  @Field(() => [CostSharingModel], { description: "Cost sharing per pharmacy type for the generic's tier" }) costSharing: CostSharingModel[];
}
