import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { PlanModel } from '../plans/models/plan.model';
import { planLoader } from '../plans/plans.resolver';
import { PlansService } from '../plans/plans.service';
import { ProviderSearchConnection, ProviderSearchOrder } from '../search/provider-search.model';
import { ProviderSearchService } from '../search/provider-search.service';
import { NetworkModel, NetworkSizeGroupModel } from './network.model';
import { IssuerNetworksArgs, NetworkArgs, NetworkProvidersArgs, NetworkSizeArgs, PlansSharingNetworkArgs } from './networks.args';
import { NetworksService } from './networks.service';

function networksOfPlanLoader(ctx: GraphQLContext, networks: NetworksService) {
  return loaderFor<string, NetworkModel[]>(ctx, 'networksOfPlan', async (planIds) => {
    const byPlan = await networks.networksOfPlans(planIds);
    return planIds.map((planId) => byPlan.get(planId) ?? []);
  });
}

@Resolver(() => NetworkModel)
export class NetworksResolver {
  constructor(
    private readonly networkService: NetworksService,
    private readonly planService: PlansService,
    private readonly providerSearch: ProviderSearchService,
  ) {}

  @Query(() => NetworkModel, { nullable: true, description: 'A provider network by id (null when no published version has it)' })
  network(@Args() { id }: NetworkArgs) {
    return this.networkService.network(id);
  }

  @Query(() => [NetworkModel], { description: "The provider networks of an issuer's published version: which of its plans share one network" })
  networks(@Args() { issuerId }: IssuerNetworksArgs) {
    return this.networkService.networksOfIssuer(issuerId);
  }

  @Query(() => [PlanModel], {
    description: 'The other published plans referencing one of the networks of this plan (same providers, same tier), in plan id order',
  })
  async plansSharingNetwork(@Args() { planId }: PlansSharingNetworkArgs, @Context() ctx: GraphQLContext) {
    const networks = await networksOfPlanLoader(ctx, this.networkService).load(planId);
    const others = [...new Set(networks.flatMap((n) => n.planIds))].filter((id) => id !== planId).sort();
    return this.planService.findPublishedPlans(others).then((plans) => plans.sort((a, b) => (a.planId < b.planId ? -1 : 1)));
  }

  @ResolveField(() => [PlanModel], { description: 'The published plans referencing this network, in plan id order' })
  async plans(@Parent() network: NetworkModel, @Context() ctx: GraphQLContext) {
    const plans = await planLoader(ctx, this.planService).loadMany(network.planIds);
    return plans.filter((plan): plan is PlanModel => !!plan && !(plan instanceof Error));
  }

  @ResolveField(() => Int, { description: 'Distinct providers (NPIs) listed in this network' })
  providerCount(@Parent() network: NetworkModel, @Context() ctx: GraphQLContext) {
    return loaderFor<NetworkModel, number>(
      ctx,
      'networkProviderCount',
      (networks) => this.networkService.providerCounts(networks),
      (n) => `${n.versionId}:${n.id}`,
    ).load(network);
  }

  @ResolveField(() => ProviderSearchConnection, { description: "The network's provider listings, by name (nearest first with filter.zip), paginated" })
  providers(@Parent() network: NetworkModel, @Args() { filter, first, after }: NetworkProvidersArgs) {
    const order = filter?.zip ? ProviderSearchOrder.DISTANCE : ProviderSearchOrder.NAME;
    return this.providerSearch.search({ ...filter, planId: network.planIds[0], networkSetIds: network.setIds }, order, first, after);
  }

  @ResolveField(() => [NetworkSizeGroupModel], { description: 'Network size per specialty, state or 3-digit ZIP: distinct NPIs, largest first' })
  size(@Parent() network: NetworkModel, @Args() { groupBy }: NetworkSizeArgs) {
    return this.networkService.size(network, groupBy);
  }
}

@Resolver(() => PlanModel)
export class PlanNetworksResolver {
  constructor(private readonly networkService: NetworksService) {}

  @ResolveField(() => [NetworkModel], {
    description: 'The provider networks this plan references (one per group of plans and tiers listing the same providers)',
  })
  networks(@Parent() plan: PlanModel, @Context() ctx: GraphQLContext) {
    return networksOfPlanLoader(ctx, this.networkService).load(plan.planId);
  }
}
