import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { JobsModule } from '../jobs/jobs.module';
import { ImportJobEntity } from './import-job.entity';
import { ImportJobsResolver } from './import-jobs.resolver';
import { ImportJobsService } from './import-jobs.service';
import { createQhpImportRunner, QHP_IMPORT_RUNNER } from './qhp-import-runner';
import { UploadsController } from './uploads.controller';
import { UPLOADS_CONFIG } from './uploads.config';
import { UploadsService } from './uploads.service';

@Module({
  imports: [AuthModule, JobsModule, TypeOrmModule.forFeature([ImportJobEntity])],
  controllers: [UploadsController],
  providers: [
    { provide: UPLOADS_CONFIG, useFactory: (config: ConfigService) => config.getOrThrow('uploads'), inject: [ConfigService] },
    { provide: QHP_IMPORT_RUNNER, useFactory: createQhpImportRunner, inject: [getDataSourceToken()] },
    UploadsService,
    ImportJobsService,
    ImportJobsResolver,
  ],
  exports: [ImportJobsService],
})
export class UploadsModule {}
