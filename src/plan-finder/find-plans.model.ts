import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { PlanModel } from '../plans/models/plan.model';

@ObjectType('FoundPlan', { description: 'A plan that the shopper could buy, with how many of their doctors and drugs it covers' })
export class FoundPlanModel {
  @Field(() => Int, { description: '1 = best: most doctors and drugs covered, then lowest estimated monthly drug cost, then lowest copay total' })
  rank: number;
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field(() => PlanModel, { description: 'The published plan' }) plan: PlanModel;
  @Field({ description: 'Every chosen doctor in network and every chosen drug covered' }) coversAll: boolean;
  @Field(() => Int, { description: 'Chosen doctors in network (IN_NETWORK) for the year' }) doctorsInNetwork: number;
  @Field(() => Int, { description: 'Chosen doctors whose network status is UNKNOWN (directory not loaded for the year)' }) doctorsUnknown: number;
  @Field(() => Int, { description: 'Doctors asked about' }) doctorsTotal: number;
  @Field(() => [String], { description: 'NPIs of the chosen doctors that are not in network (or unknown)' }) npisNotInNetwork: string[];
  @Field(() => Int, { description: 'Chosen drugs on the formulary' }) drugsCovered: number;
  @Field(() => Int, { description: 'Drugs asked about' }) drugsTotal: number;
  @Field(() => [String], { description: 'RXCUIs of the chosen drugs that are not covered (or unknown)' }) rxnormIdsNotCovered: string[];
  @Field(() => Float, {
    nullable: true,
    description:
      'Monthly cost of the covered drugs at 30-day in-network retail when every covered drug has a known copay; ' +
      'null when some need a drug price (coinsurance) or state no retail cost',
  })
  estimatedMonthlyDrugCost: number | null;
  @Field(() => Float, { description: 'Sum of the 30-day in-network retail copays of the covered drugs (dollars)' })
  monthlyCopayTotal: number;
  @Field({ description: 'What the estimate includes and leaves out, in words' }) costNotes: string;
}

@ObjectType('PlanSearch', { description: "Plans found for a place, year and a shopper's doctors and drugs, best first" })
export class PlanSearchModel {
  @Field({ description: 'State whose plans were searched (given, or that of the ZIP or county)' }) state: string;
  @Field(() => Int, { description: 'Published plans of the state, year, metal levels and issuer that were ranked' }) plansConsidered: number;
  @Field(() => Int, { description: 'How many of them cover every chosen doctor and drug' }) plansCoveringAll: number;
  @Field(() => [FoundPlanModel], { description: 'Best first (only those covering all when coveringAll), at most `first`' })
  plans: FoundPlanModel[];
  @Field({
    description:
      'What the search could and could not take into account, in words (the QHP files state no service areas, ' +
      'so a ZIP or county chooses the state, not the plans sold there)',
  })
  note: string;
}
