import { Args, Query, Resolver } from '@nestjs/graphql';
import { PlansCoveringArgs, SearchDrugsArgs } from './drug-search.args';
import { DrugSearchConnection, PlanDrugCoverageConnection } from './drug-search.model';
import { DrugSearchService } from './drug-search.service';

@Resolver()
export class DrugSearchResolver {
  constructor(private readonly drugSearch: DrugSearchService) {}

  @Query(() => DrugSearchConnection, {
    description: 'Drug autocomplete: brand or generic name prefix, words and typos, or an RXCUI; one result per RXCUI in published formularies',
  })
  searchDrugs(@Args() { query, first, after }: SearchDrugsArgs) {
    return this.drugSearch.searchDrugs(query, first, after);
  }

  @Query(() => PlanDrugCoverageConnection, {
    description: 'Published plans that cover a drug (optionally in a state and year), with tier, restrictions and cost, in plan id order',
  })
  plansCovering(@Args() { rxnormId, state, year, first, after }: PlansCoveringArgs) {
    return this.drugSearch.plansCovering(rxnormId, state, year, first, after);
  }
}
