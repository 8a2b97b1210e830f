import { Args, Query, Resolver } from '@nestjs/graphql';
import { MAX_GRID_SIDE } from '../providers/providers.args';
import { ComparePlansArgs } from './plan-comparison.args';
import { PlanComparisonModel } from './plan-comparison.model';
import { PlanComparisonService } from './plan-comparison.service';

@Resolver(() => PlanComparisonModel)
export class PlanComparisonResolver {
  constructor(private readonly comparison: PlanComparisonService) {}

  @Query(() => PlanComparisonModel, {
    // The default estimate multiplies the three id lists; the answer really holds plans × (1 + doctors + drugs) items.
    complexity: ({ args, childComplexity }) => {
      const plans = args.planIds?.length || MAX_GRID_SIDE;
      const items = plans * (1 + (args.npis?.length ?? 0) + (args.rxnormIds?.length ?? 0));
      return 1 + Math.ceil((items / 15) * childComplexity);
    },
    description:
      "Compare plans (planIds, or every plan of a state and year, at most 50) for a shopper's doctors and drugs: " +
      'network and drug grids plus per-plan totals and a monthly drug cost estimate',
  })
  comparePlans(@Args() { npis, rxnormIds, planIds, state, year }: ComparePlansArgs) {
    return this.comparison.comparePlans(npis, rxnormIds, { planIds, state, year });
  }
}
