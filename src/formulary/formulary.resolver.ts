import { Args, Query, Resolver } from '@nestjs/graphql';
import { DrugCoverageService } from './drug-coverage.service';
import { DrugArgs, DrugCoverageArgs } from './formulary.args';
import { DrugCoverageModel, DrugModel } from './models/drug.model';

@Resolver(() => DrugModel)
export class FormularyResolver {
  constructor(private readonly coverage: DrugCoverageService) {}

  @Query(() => [DrugCoverageModel], {
    description: 'What does my drug cost? One answer per RXCUI × plan pair: coverage, tier, restrictions and cost sharing.',
  })
  drugCoverage(@Args() { rxnormIds, planIds, year }: DrugCoverageArgs) {
    return this.coverage.checkDrugs(rxnormIds, planIds, year);
  }

  @Query(() => DrugModel, { nullable: true, description: 'A drug by RXCUI, as named in published formularies' })
  async drug(@Args() { rxnormId }: DrugArgs) {
    const [drug] = await this.coverage.findDrugs([rxnormId]);
    return drug ?? null;
  }
}
