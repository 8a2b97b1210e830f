import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { PricingModule } from '../pricing/pricing.module';
import { DrugCoverageService } from './drug-coverage.service';
import { DrugCoverageFieldsResolver, FormularyResolver } from './formulary.resolver';
import { GenericEquivalentsService } from './generic-equivalents.service';

@Module({
  imports: [PlansModule, PricingModule],
  providers: [DrugCoverageService, GenericEquivalentsService, FormularyResolver, DrugCoverageFieldsResolver],
  exports: [DrugCoverageService, GenericEquivalentsService],
})
export class FormularyModule {}
