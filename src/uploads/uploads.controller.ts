import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { ApiKeyPrincipal } from '../auth/api-key-principal';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { DrainUploadBodyFilter } from './drain-upload-body.filter';
import { ImportJobsService } from './import-jobs.service';
import { ImportJobModel, toImportJobModel } from './models/import-job.model';
import { UploadsService } from './uploads.service';

export interface UploadAccepted {
  jobId: string;
  /** Where to follow the job (also: GraphQL `importJob(id)`). */
  statusUrl: string;
}

/** A yes/no query parameter: absent is false; true/false/1/0 as sent. */
function flagParameter(name: string, value: string | string[] | undefined): boolean {
  if (Array.isArray(value)) throw new BadRequestException(`${name} must be given once (got ${value.length} values)`);
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === '') return true;
  throw new BadRequestException(`${name} must be true or false (got "${value}")`);
}

/** Carriers' way in over HTTP: POST their QHP files, then follow the import job. */
@Controller('ingest/uploads')
@UseGuards(ApiKeyGuard)
@UseFilters(DrainUploadBodyFilter)
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly jobs: ImportJobsService,
  ) {}

  @Post()
  @HttpCode(202)
  async upload(
    @Req() request: Request,
    @CurrentApiKey() apiKey: ApiKeyPrincipal,
    @Query('issuerId') issuerId: string | string[] | undefined,
    @Query('issuerName') issuerName: string | string[] | undefined,
    @Query('replaceAll') replaceAll: string | string[] | undefined,
    @Query('allowShrink') allowShrink: string | string[] | undefined,
  ): Promise<UploadAccepted> {
    const job = await this.uploads.receive(request, {
      issuerId,
      issuerName,
      apiKey,
      replaceAll: flagParameter('replaceAll', replaceAll),
      allowShrink: flagParameter('allowShrink', allowShrink),
    });
    return { jobId: job.id, statusUrl: `/ingest/uploads/${job.id}` };
  }

  @Get(':jobId')
  async status(@Param('jobId', new ParseUUIDPipe()) jobId: string, @CurrentApiKey() apiKey: ApiKeyPrincipal): Promise<ImportJobModel> {
    const job = await this.jobs.findForKey(jobId, apiKey);
    if (!job) throw new NotFoundException(`no import job ${jobId}`);
    return toImportJobModel(job);
  }
}
