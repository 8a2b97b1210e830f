import { Args, Query, Resolver } from '@nestjs/graphql';
import { NetworkBreadthArgs, RankPlansByBreadthArgs } from './network-breadth.args';
import { NetworkBreadthModel, PlanBreadthRankModel } from './network-breadth.model';
import { NetworkBreadthService } from './network-breadth.service';

@Resolver(() => NetworkBreadthModel)
export class NetworkBreadthResolver {
  constructor(private readonly breadth: NetworkBreadthService) {}

  @Query(() => [NetworkBreadthModel], {
    description:
      'Network breadth per plan (planIds, or every plan of a state and year, at most 50): distinct in-network NPIs ' +
      '(of a specialty), hospitals, and counts by state, 3-digit ZIP or specialty',
  })
  networkBreadth(@Args() args: NetworkBreadthArgs) {
    return this.breadth.networkBreadth(args);
  }

  @Query(() => [PlanBreadthRankModel], {
    description: 'Plans of a state ranked by in-network providers of a specialty (e.g. fewest psychiatrists first)',
  })
  rankPlansByBreadth(@Args() { state, specialty, year, order, first }: RankPlansByBreadthArgs) {
    return this.breadth.rankPlansByBreadth({ state, specialty, year, order }, first);
  }
}
