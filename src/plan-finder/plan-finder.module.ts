import { Module } from '@nestjs/common';
import { FormularyModule } from '../formulary/formulary.module';
import { PlansModule } from '../plans/plans.module';
import { ProvidersModule } from '../providers/providers.module';
import { PlanFinderResolver } from './plan-finder.resolver';
import { PlanFinderService } from './plan-finder.service';

/** The plan finder: plans ranked for a shopper's doctors and drugs. */
@Module({
  imports: [PlansModule, ProvidersModule, FormularyModule],
  providers: [PlanFinderService, PlanFinderResolver],
})
export class PlanFinderModule {}
