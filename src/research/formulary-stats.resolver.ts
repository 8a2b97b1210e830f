import { Args, Query, Resolver } from '@nestjs/graphql';
import { CompareFormulariesArgs, DrugCoverageStatsArgs, PriorAuthorizationRatesArgs } from './formulary-stats.args';
import { DrugCoverageStatsModel, FormularyComparisonModel, PriorAuthorizationRateModel } from './formulary-stats.model';
import { FormularyStatsService } from './formulary-stats.service';

@Resolver()
export class FormularyStatsResolver {
  constructor(private readonly stats: FormularyStatsService) {}

  @Query(() => DrugCoverageStatsModel, {
    description: 'Share of published plans (with a formulary) covering a drug, and its tiers, overall and per issuer and state',
  })
  drugCoverageStats(@Args() { rxnormId, year }: DrugCoverageStatsArgs) {
    return this.stats.drugCoverageStats(rxnormId, year);
  }

  @Query(() => FormularyComparisonModel, { description: 'Drugs one plan covers and the other does not, and tier differences' })
  compareFormularies(@Args() { planA, planB, first, after }: CompareFormulariesArgs) {
    return this.stats.compareFormularies(planA, planB, first, after);
  }

  @Query(() => [PriorAuthorizationRateModel], {
    description: 'Per issuer in a state: the share of its formulary entries (drug × plan) requiring prior authorization',
  })
  priorAuthorizationRates(@Args() { state }: PriorAuthorizationRatesArgs) {
    return this.stats.priorAuthorizationRates(state);
  }
}
