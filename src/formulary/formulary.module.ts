import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { DrugCoverageService } from './drug-coverage.service';
import { FormularyResolver } from './formulary.resolver';

@Module({
  imports: [PlansModule],
  providers: [DrugCoverageService, FormularyResolver],
  exports: [DrugCoverageService],
})
export class FormularyModule {}
