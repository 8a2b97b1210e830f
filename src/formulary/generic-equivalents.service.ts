import { Injectable } from '@nestjs/common';
import { PlansService } from '../plans/plans.service';
import { BrandOnPlanKey, DrugReferenceService } from '../pricing/drug-reference.service';
import { GenericCoveredModel } from '../pricing/models/generic-covered.model';
import { coversYear } from '../providers/network.service';
import { summaryCostSharing } from '../qhp/cost-sharing-text';

export interface GenericQuestion extends BrandOnPlanKey {
  year: number | null;
}

/** "The brand is not covered, but its generic is": the Marketplace's GenericCovered, batched. */
@Injectable()
export class GenericEquivalentsService {
  constructor(
    private readonly reference: DrugReferenceService,
    private readonly plans: PlansService,
  ) {}

  /**
   * For each question, the first generic equivalent of the brand that the plan covers in that year,
   * with its tier's cost sharing; null when the drug is not a brand in the crosswalk or no generic is
   * covered. Two queries for any number of questions (generics, then the tiers they sit on).
   */
  async findCoveredGenerics(questions: readonly GenericQuestion[]): Promise<Array<GenericCoveredModel | null>> {
    const candidates = await this.reference.findCoveredGenerics(questions);
    const tierKeys = new Map(candidates.map((c) => [`${c.versionId}:${c.planId}`, { versionId: c.versionId, planId: c.planId }]));
    const tiers = await this.plans.findDrugTiers([...tierKeys.values()]);
    return questions.map((q) => {
      const generic = candidates.find(
        (c) => c.brandRxnormId === q.rxnormId && c.planId === q.planId && c.versionId === q.versionId && coversYear(c.years, q.year),
      );
      if (!generic) return null;
      const tier = (tiers.get(`${generic.versionId}:${generic.planId}`) ?? []).find((t) => t.drugTier === generic.drugTier);
      const costSharing = tier?.costSharing ?? [];
      return {
        rxnormId: generic.rxnormId,
        drugName: generic.drugName,
        drugTier: generic.drugTier,
        costSummary: summaryCostSharing(costSharing)?.description ?? null,
        costSharing,
      };
    });
  }
}
