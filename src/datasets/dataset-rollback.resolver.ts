import { UseGuards } from '@nestjs/common';
import { Args, ArgsType, Field, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsInt, IsOptional, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { ApiKeyPrincipal, assertMayLoadIssuers } from '../auth/api-key-principal';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { ImportError } from '../ingest/import-contract';
import { QhpImporter } from '../ingest/qhp-importer';
import { userInputError } from '../search/user-input-error';
import { IssuerArgs } from './datasets.args';
import { DatasetVersionsService } from './dataset-versions.service';
import { DatasetVersionModel } from './models/dataset-version.model';

@ArgsType()
export class RollbackDatasetArgs extends IssuerArgs {
  @Field(() => Int, { nullable: true, description: 'A kept version of the issuer (default: the kept version before the published one)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  toVersion?: number;
}

@ObjectType('DatasetRollback', { description: 'A kept version published again' })
export class DatasetRollbackModel {
  @Field({ description: '5-digit HIOS issuer id whose version was published again' }) issuerId: string;
  @Field(() => DatasetVersionModel, { description: 'The version answers now come from' }) publishedVersion: DatasetVersionModel;
  @Field(() => Int, { description: 'The version published before the rollback (now superseded)' }) previousVersionId: number;
}

@Resolver()
export class DatasetRollbackResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly versions: DatasetVersionsService,
  ) {}

  @Mutation(() => DatasetRollbackModel, {
    description:
      "Carriers only (API key scoped to the issuer): publish a kept earlier version of the issuer's data again, in one " +
      'transaction as a load publishes; the published version becomes superseded. See datasetVersions for the kept versions.',
  })
  @UseGuards(ApiKeyGuard)
  async rollbackDataset(@Args() { issuerId, toVersion }: RollbackDatasetArgs, @CurrentApiKey() apiKey: ApiKeyPrincipal): Promise<DatasetRollbackModel> {
    assertMayLoadIssuers(apiKey, [issuerId]);
    try {
      const outcome = await new QhpImporter(this.dataSource).rollback({ issuerId, toVersion });
      const [publishedVersion] = await this.versions.findVersions([outcome.versionId]);
      return { issuerId, publishedVersion, previousVersionId: outcome.previousVersionId };
    } catch (error) {
      if (error instanceof ImportError) throw userInputError(error.message, 'toVersion');
      throw error;
    }
  }
}
