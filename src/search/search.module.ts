import { Module } from '@nestjs/common';
import { FormularyModule } from '../formulary/formulary.module';
import { PlansModule } from '../plans/plans.module';
import { ProvidersModule } from '../providers/providers.module';
import { DrugSearchResolver } from './drug-search.resolver';
import { DrugSearchService } from './drug-search.service';
import { PlanComparisonResolver } from './plan-comparison.resolver';
import { PlanComparisonService } from './plan-comparison.service';
import { ProviderSearchResolver } from './provider-search.resolver';
import { ProviderSearchService } from './provider-search.service';

/** Shoppers' search: providers, drugs, and plan comparison. */
@Module({
  imports: [PlansModule, ProvidersModule, FormularyModule],
  providers: [ProviderSearchService, ProviderSearchResolver, DrugSearchService, DrugSearchResolver, PlanComparisonService, PlanComparisonResolver],
  exports: [ProviderSearchService, DrugSearchService],
})
export class SearchModule {}
