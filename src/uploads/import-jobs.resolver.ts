import { Args, ArgsType, Field, ID, Query, Resolver } from '@nestjs/graphql';
import { UseGuards } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import { ApiKeyPrincipal } from '../auth/api-key-principal';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { ImportJobsService } from './import-jobs.service';
import { ImportJobModel, toImportJobModel } from './models/import-job.model';

@ArgsType()
export class ImportJobArgs {
  @Field(() => ID, { description: 'jobId returned by POST /ingest/uploads' })
  @IsUUID('all', { message: 'id must be an import job id (a UUID returned by POST /ingest/uploads)' })
  id: string;
}

@Resolver(() => ImportJobModel)
export class ImportJobsResolver {
  constructor(private readonly jobs: ImportJobsService) {}

  @Query(() => ImportJobModel, { nullable: true, description: "An upload's import job; needs an API key of the job's issuer (or an admin key)" })
  @UseGuards(ApiKeyGuard)
  async importJob(@Args() { id }: ImportJobArgs, @CurrentApiKey() apiKey: ApiKeyPrincipal): Promise<ImportJobModel | null> {
    const job = await this.jobs.findForKey(id, apiKey);
    return job && toImportJobModel(job);
  }
}
