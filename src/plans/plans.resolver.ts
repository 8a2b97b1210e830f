import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionType } from '../common/pagination';
import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { DrugTierModel, IssuerModel, PlanModel } from './models/plan.model';
import { PlanArgs, PlansArgs } from './plans.args';
import { PlansService } from './plans.service';

export const PlanConnection = ConnectionType(PlanModel, 'Plan', { noun: 'plan' });

@Resolver(() => PlanModel)
export class PlansResolver {
  constructor(private readonly plansService: PlansService) {}

  @Query(() => PlanModel, { nullable: true, description: 'A published plan by its HIOS plan id' })
  plan(@Args() { planId }: PlanArgs) {
    return this.plansService.findPlan(planId);
  }

  @Query(() => PlanConnection, { description: 'Published plans, filtered, in plan id order' })
  plans(@Args() args: PlansArgs) {
    return this.plansService.listPlans(args, args.first, args.after);
  }

  @ResolveField(() => IssuerModel, { description: 'The carrier offering the plan' })
  async issuer(@Parent() plan: PlanModel, @Context() ctx: GraphQLContext) {
    return issuerLoader(ctx, this.plansService).load(plan.issuerId);
  }

  @ResolveField(() => [DrugTierModel], { description: "The plan's drug tiers and their cost sharing" })
  drugTiers(@Parent() plan: PlanModel, @Context() ctx: GraphQLContext) {
    return drugTiersLoader(ctx, this.plansService).load({ versionId: plan.versionId, planId: plan.planId });
  }
}

export function issuerLoader(ctx: GraphQLContext, plans: PlansService) {
  return loaderFor<string, IssuerModel | null>(ctx, 'issuer', async (ids) => {
    const rows = await plans.findIssuers(ids);
    return ids.map((id) => rows.find((row) => row.issuerId === id) ?? null);
  });
}

export function drugTiersLoader(ctx: GraphQLContext, plans: PlansService) {
  return loaderFor<{ versionId: number; planId: string }, DrugTierModel[]>(
    ctx,
    'drugTiers',
    async (keys) => {
      const tiers = await plans.findDrugTiers(keys);
      return keys.map((k) => tiers.get(`${k.versionId}:${k.planId}`) ?? []);
    },
    (k) => `${k.versionId}:${k.planId}`,
  );
}

export function planLoader(ctx: GraphQLContext, plans: PlansService) {
  return loaderFor<string, PlanModel | null>(ctx, 'plan', async (ids) => {
    const rows = await plans.findPublishedPlans(ids);
    return ids.map((id) => rows.find((row) => row.planId === id) ?? null);
  });
}
