import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { PlansModule } from '../plans/plans.module';
import { DatasetRollbackResolver } from './dataset-rollback.resolver';
import { DatasetVersionsResolver, IssuerVersionsResolver } from './datasets.resolver';
import { DatasetVersionEntity } from './dataset-version.entity';
import { DatasetVersionsService } from './dataset-versions.service';
import { StorageService } from './storage.service';

@Module({
  imports: [AuthModule, PlansModule, TypeOrmModule.forFeature([DatasetVersionEntity])],
  providers: [DatasetVersionsService, StorageService, DatasetVersionsResolver, IssuerVersionsResolver, DatasetRollbackResolver],
  exports: [DatasetVersionsService],
})
export class DatasetsModule {}
