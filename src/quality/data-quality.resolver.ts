import { Args, Context, GraphQLISODateTime, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLContext } from '../common/graphql-context';
import { IssuerModel, PlanModel } from '../plans/models/plan.model';
import { DataQualityService } from './data-quality.service';
import { daysSince } from './days-since';
import { IssuerDataQualityModel, PlanDataQualityModel } from './models/data-quality.model';
import { ProvenanceModel } from './models/provenance.model';
import { ProvenanceService } from './provenance.service';
import { IssuerDataQualityArgs, PlanDataQualityArgs } from './quality.args';
import { planQualityLoader, versionQualityLoader, versionSummaryLoader } from './quality.loaders';

@Resolver()
export class DataQualityResolver {
  constructor(private readonly quality: DataQualityService) {}

  @Query(() => IssuerDataQualityModel, {
    nullable: true,
    description: "Freshness and completeness of an issuer's published data (null: nothing published)",
  })
  async dataQuality(@Args() { issuerId }: IssuerDataQualityArgs) {
    const [quality] = await this.quality.forIssuers([issuerId]);
    return quality;
  }

  @Query(() => PlanDataQualityModel, {
    nullable: true,
    description: "Freshness and completeness of one plan's published directory (null: plan not published)",
  })
  planDataQuality(@Args() { planId }: PlanDataQualityArgs) {
    return this.quality.forPublishedPlan(planId);
  }
}

@Resolver(() => PlanModel)
export class PlanDataQualityFieldResolver {
  constructor(private readonly quality: DataQualityService) {}

  @ResolveField(() => PlanDataQualityModel, { nullable: true, description: "Freshness and completeness of this plan's published directory" })
  dataQuality(@Parent() plan: PlanModel, @Context() ctx: GraphQLContext) {
    return planQualityLoader(ctx, this.quality).load({ versionId: plan.versionId, planId: plan.planId });
  }
}

@Resolver(() => IssuerModel)
export class IssuerDataQualityFieldResolver {
  constructor(private readonly quality: DataQualityService) {}

  @ResolveField(() => IssuerDataQualityModel, { nullable: true, description: "Freshness and completeness of this issuer's published data" })
  dataQuality(@Parent() issuer: IssuerModel, @Context() ctx: GraphQLContext) {
    return issuer.currentVersionId == null ? null : versionQualityLoader(ctx, this.quality).load(issuer.currentVersionId);
  }
}

/** Fills in the parts of a provenance shared by every record of a version (batched per request). */
@Resolver(() => ProvenanceModel)
export class ProvenanceResolver {
  constructor(private readonly provenance: ProvenanceService) {}

  @ResolveField(() => String, { description: 'Carrier name as registered with the load' })
  async issuerName(@Parent() provenance: ProvenanceModel, @Context() ctx: GraphQLContext) {
    const summary = await versionSummaryLoader(ctx, this.provenance).load(provenance.datasetVersionId);
    return summary?.issuerName ?? provenance.issuerId;
  }

  @ResolveField(() => GraphQLISODateTime, { nullable: true, description: 'When the dataset version was published (or, if never, started loading)' })
  async loadedAt(@Parent() provenance: ProvenanceModel, @Context() ctx: GraphQLContext) {
    const summary = await versionSummaryLoader(ctx, this.provenance).load(provenance.datasetVersionId);
    return summary?.loadedAt ?? null;
  }

  @ResolveField(() => Int, { nullable: true, description: 'Days since loadedAt: how long ago we last loaded this issuer' })
  async daysSinceLoad(@Parent() provenance: ProvenanceModel, @Context() ctx: GraphQLContext) {
    const summary = await versionSummaryLoader(ctx, this.provenance).load(provenance.datasetVersionId);
    return daysSince(summary?.loadedAt);
  }

  @ResolveField(() => Int, { nullable: true, description: "Age in days of the record's lastUpdatedOn: how old the carrier's own data is" })
  dataAgeDays(@Parent() provenance: ProvenanceModel) {
    return daysSince(provenance.lastUpdatedOn);
  }
}
