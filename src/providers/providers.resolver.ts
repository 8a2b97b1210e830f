import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLContext } from '../common/graphql-context';
import { PlanModel } from '../plans/models/plan.model';
import { planLoader } from '../plans/plans.resolver';
import { PlansService } from '../plans/plans.service';
import { ProvenanceModel } from '../quality/models/provenance.model';
import { NetworkCheckModel, ProviderListingModel, ProviderModel, ProviderPlanNetworkModel } from './models/provider.model';
import { listingProvenance, NetworkService } from './network.service';
import { NetworkCoverageArgs, ProviderArgs } from './providers.args';

@Resolver(() => ProviderModel)
export class ProvidersResolver {
  constructor(private readonly network: NetworkService) {}

  @Query(() => [NetworkCheckModel], {
    description: 'Is my doctor in network? One answer per NPI × plan pair (a doctors × plans grid in one request).',
  })
  networkCoverage(@Args() { npis, planIds, year }: NetworkCoverageArgs) {
    return this.network.checkNetwork(npis, planIds, year);
  }

  @Query(() => ProviderModel, { nullable: true, description: 'A provider by NPI, with the plans whose networks include it' })
  provider(@Args() { npi }: ProviderArgs) {
    return this.network.findProvider(npi);
  }
}

/** Every listing says which issuer file and load it comes from. */
@Resolver(() => ProviderListingModel)
export class ProviderListingResolver {
  @ResolveField(() => ProvenanceModel, { description: 'The issuer file and load this listing was read from, with its freshness' })
  provenance(@Parent() listing: ProviderListingModel): ProvenanceModel {
    return listingProvenance(listing);
  }
}

@Resolver(() => ProviderPlanNetworkModel)
export class ProviderPlanNetworkResolver {
  constructor(private readonly plans: PlansService) {}

  @ResolveField(() => PlanModel, { nullable: true })
  plan(@Parent() entry: ProviderPlanNetworkModel, @Context() ctx: GraphQLContext) {
    return entry.plan ?? planLoader(ctx, this.plans).load(entry.planId);
  }
}
