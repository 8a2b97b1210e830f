import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { DrugCoverageModel } from '../formulary/models/drug.model';
import { PlanModel } from '../plans/models/plan.model';
import { NetworkCheckModel } from '../providers/models/provider.model';

@ObjectType('PlanComparisonSummary', { description: 'How one plan fares for the doctors and drugs asked about' })
export class PlanComparisonSummaryModel {
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field(() => PlanModel, { nullable: true, description: 'null when no issuer has published the plan' }) plan: PlanModel | null;
  @Field(() => Int, { description: 'Doctors asked about who are in the plan network' }) doctorsInNetwork: number;
  @Field(() => Int, { description: 'Doctors asked about' }) doctorsTotal: number;
  @Field(() => Int, { description: 'Doctors whose network status is UNKNOWN for this plan' }) doctorsUnknown: number;
  @Field(() => Int, { description: "Drugs asked about that the plan's formulary covers" }) drugsCovered: number;
  @Field(() => Int, { description: 'Drugs asked about' }) drugsTotal: number;
  @Field(() => Int, { description: 'Covered drugs whose 30-day in-network retail cost includes a coinsurance (needs a drug price)' })
  drugsWithCoinsurance: number;
  @Field(() => Float, { description: 'Sum of the 30-day in-network retail copays of the covered drugs (dollars)' })
  monthlyCopayTotal: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Monthly cost of the covered drugs at 30-day in-network retail: the copay total when every covered drug has a known copay; ' +
      'null when some need a drug price (coinsurance) or state no retail cost',
  })
  estimatedMonthlyDrugCost: number | null;
  @Field({ description: 'What the estimate includes and leaves out, in words' }) costNotes: string;
}

@ObjectType('PlanComparison', { description: 'Doctors × plans and drugs × plans grids, with a summary per plan' })
export class PlanComparisonModel {
  @Field(() => [PlanComparisonSummaryModel], { description: 'One summary per plan, in the order asked' }) plans: PlanComparisonSummaryModel[];
  @Field(() => [NetworkCheckModel], { description: 'One answer per NPI × plan' }) doctors: NetworkCheckModel[];
  @Field(() => [DrugCoverageModel], { description: 'One answer per RXCUI × plan' }) drugs: DrugCoverageModel[];
}
