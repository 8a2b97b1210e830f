import { Args, Query, Resolver } from '@nestjs/graphql';
import { FindPlansArgs } from './find-plans.args';
import { PlanSearchModel } from './find-plans.model';
import { PlanFinderService } from './plan-finder.service';

@Resolver(() => PlanSearchModel)
export class PlanFinderResolver {
  constructor(private readonly finder: PlanFinderService) {}

  @Query(() => PlanSearchModel, {
    description:
      "Find plans without knowing plan ids: the published plans of a state (or a ZIP's or county's state) and year, " +
      'optionally of some metal levels or one issuer, ranked by how many of the chosen doctors (npis) are in network and drugs ' +
      '(rxnormIds) covered, then by the estimated monthly drug cost',
  })
  findPlans(@Args() args: FindPlansArgs) {
    return this.finder.findPlans(args);
  }
}
