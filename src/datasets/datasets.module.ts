import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PlansModule } from '../plans/plans.module';
import { DatasetVersionsResolver, IssuerVersionsResolver } from './datasets.resolver';
import { DatasetVersionEntity } from './dataset-version.entity';
import { DatasetVersionsService } from './dataset-versions.service';
import { StorageService } from './storage.service';

@Module({
  imports: [PlansModule, TypeOrmModule.forFeature([DatasetVersionEntity])],
  providers: [DatasetVersionsService, StorageService, DatasetVersionsResolver, IssuerVersionsResolver],
  exports: [DatasetVersionsService],
})
export class DatasetsModule {}
