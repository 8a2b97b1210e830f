import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { DatasetVersionsResolver, IssuerVersionsResolver } from './datasets.resolver';
import { DatasetVersionsService } from './dataset-versions.service';

@Module({
  imports: [PlansModule],
  providers: [DatasetVersionsService, DatasetVersionsResolver, IssuerVersionsResolver],
  exports: [DatasetVersionsService],
})
export class DatasetsModule {}
