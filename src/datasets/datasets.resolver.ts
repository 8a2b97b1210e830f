import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionType } from '../common/pagination';
import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { IssuerModel } from '../plans/models/plan.model';
import { issuerLoader } from '../plans/plans.resolver';
import { PlansService } from '../plans/plans.service';
import { DatasetVersionsArgs, IssuerArgs } from './datasets.args';
import { DatasetVersionsService } from './dataset-versions.service';
import { DatasetVersionModel } from './models/dataset-version.model';
import { DatabaseStorageModel, VersionStorageModel } from './models/storage.model';
import { StorageService } from './storage.service';

export const DatasetVersionConnection = ConnectionType(DatasetVersionModel, 'DatasetVersion', { noun: 'dataset version', totalCount: true });

@Resolver(() => DatasetVersionModel)
export class DatasetVersionsResolver {
  constructor(
    private readonly versions: DatasetVersionsService,
    private readonly storage: StorageService,
  ) {}

  @Query(() => DatasetVersionConnection, { description: "An issuer's loads, newest first: what was loaded, when, by whom, and what was rejected" })
  datasetVersions(@Args() { issuerId, first, after }: DatasetVersionsArgs) {
    return this.versions.listVersions(issuerId, first, after);
  }

  @ResolveField(() => VersionStorageModel, { description: 'Rows and bytes on disk the version takes, per table (what keeping it costs)' })
  storageUsed(@Parent() version: DatasetVersionModel, @Context() ctx: GraphQLContext) {
    return loaderFor<number, VersionStorageModel>(ctx, 'versionStorage', (ids) => this.storage.versionStorage(ids)).load(version.id);
  }

  @Query(() => DatabaseStorageModel, { description: 'Size of the database on disk, and the part the kept dataset versions take' })
  databaseStorage() {
    return this.storage.databaseStorage();
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
