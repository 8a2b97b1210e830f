import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { DrugReferenceService } from '../pricing/drug-reference.service';
import { GenericCoveredModel } from '../pricing/models/generic-covered.model';
import { MonthlyCostEstimateModel } from '../pricing/models/monthly-cost-estimate.model';
import { estimateMonthlyCosts } from '../pricing/out-of-pocket-estimate';
import { drugPriceLoader } from '../pricing/pricing.loaders';
import { DrugCoverageService } from './drug-coverage.service';
import { DrugArgs, DrugCoverageArgs } from './formulary.args';
import { GenericEquivalentsService, GenericQuestion } from './generic-equivalents.service';
import { CoverageStatus, DrugCoverageModel, DrugModel } from './models/drug.model';

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

/** Fields of a drug answer that need reference data (crosswalk, prices); computed only when asked for. */
@Resolver(() => DrugCoverageModel)
export class DrugCoverageFieldsResolver {
  constructor(
    private readonly generics: GenericEquivalentsService,
    private readonly reference: DrugReferenceService,
  ) {}

  @ResolveField(() => GenericCoveredModel, {
    nullable: true,
    description:
      'When this brand is NOT_COVERED but the plan covers a generic with the same ingredient, strength and dose form ' +
      '(per the ingredient crosswalk): that generic and its cost. Null otherwise.',
  })
  genericCovered(@Parent() answer: DrugCoverageModel, @Context() ctx: GraphQLContext) {
    if (answer.status !== CoverageStatus.NOT_COVERED || !answer.plan) return null;
    return loaderFor<GenericQuestion, GenericCoveredModel | null>(
      ctx,
      'genericCovered',
      (questions) => this.generics.findCoveredGenerics(questions),
      (q) => `${q.rxnormId}:${q.planId}:${q.versionId}:${q.year}`,
    ).load({ rxnormId: answer.rxnormId, planId: answer.planId, versionId: answer.plan.versionId, year: answer.year });
  }

  @ResolveField(() => [MonthlyCostEstimateModel], {
    nullable: true,
    description:
      "Estimated monthly out-of-pocket cost per pharmacy type, from the tier's cost sharing and, where needed, a list " +
      'price (coinsurance, or the full price paid before an AFTER-DEDUCTIBLE deductible is met). Null when not covered. ' +
      'Amounts are null (with the assumption "no price on file for this drug") when a needed price is missing.',
  })
  async estimate(@Parent() answer: DrugCoverageModel, @Context() ctx: GraphQLContext) {
    if (answer.status !== CoverageStatus.COVERED) return null;
    const price = await drugPriceLoader(ctx, this.reference).load(answer.rxnormId);
    return estimateMonthlyCosts(answer.costSharing, price);
  }
}
