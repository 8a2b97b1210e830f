import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionType } from '../common/pagination';
import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { IssuerModel } from '../plans/models/plan.model';
import { issuerLoader } from '../plans/plans.resolver';
import { PlansService } from '../plans/plans.service';
import { DatasetVersionsArgs, IssuerArgs } from './datasets.args';
import { DatasetVersionsService } from './dataset-versions.service';
import { DatasetVersionModel } from './models/dataset-version.model';

export const DatasetVersionConnection = ConnectionType(DatasetVersionModel, 'DatasetVersion', { noun: 'dataset version', totalCount: true });

@Resolver(() => DatasetVersionModel)
export class DatasetVersionsResolver {
  constructor(private readonly versions: DatasetVersionsService) {}

  @Query(() => DatasetVersionConnection, { description: "An issuer's loads, newest first: what was loaded, when, by whom, and what was rejected" })
  datasetVersions(@Args() { issuerId, first, after }: DatasetVersionsArgs) {
    return this.versions.listVersions(issuerId, first, after);
  }
}

@Resolver(() => IssuerModel)
export class IssuerVersionsResolver {
  constructor(
    private readonly versions: DatasetVersionsService,
    private readonly plans: PlansService,
  ) {}

  @Query(() => IssuerModel, { nullable: true, description: 'A carrier by its 5-digit HIOS issuer id' })
  issuer(@Args() { issuerId }: IssuerArgs, @Context() ctx: GraphQLContext) {
    return issuerLoader(ctx, this.plans).load(issuerId);
  }

  @ResolveField(() => DatasetVersionModel, { nullable: true, description: 'The published version answers are read from' })
  currentVersion(@Parent() issuer: IssuerModel, @Context() ctx: GraphQLContext) {
    if (issuer.currentVersionId == null) return null;
    return loaderFor<number, DatasetVersionModel | null>(ctx, 'datasetVersion', async (ids) => {
      const rows = await this.versions.findVersions(ids);
      return ids.map((id) => rows.find((row) => row.id === id) ?? null);
    }).load(issuer.currentVersionId);
  }
}
