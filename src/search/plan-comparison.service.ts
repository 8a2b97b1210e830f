import { Injectable } from '@nestjs/common';
import { DrugCoverageService } from '../formulary/drug-coverage.service';
import { PlansService } from '../plans/plans.service';
import { NetworkStatus } from '../providers/models/provider.model';
import { NetworkService } from '../providers/network.service';
import { estimateMonthlyDrugCost } from './monthly-drug-cost';
import { PlanComparisonModel, PlanComparisonSummaryModel } from './plan-comparison.model';
import { PlanSelection, selectPlans } from './plan-selection';

/** Side-by-side plans for a shopper's doctors and drugs, built from the network and drug coverage answers. */
@Injectable()
export class PlanComparisonService {
  constructor(
    private readonly plans: PlansService,
    private readonly network: NetworkService,
    private readonly drugCoverage: DrugCoverageService,
  ) {}

  async comparePlans(npis: string[], rxnormIds: string[], selection: PlanSelection): Promise<PlanComparisonModel> {
    const { planIds, published } = await selectPlans(this.plans, selection, 'planIds');
    const year = selection.year ?? null;
    const [doctors, drugs] = await Promise.all([
      npis.length ? this.network.checkNetwork(npis, planIds, year) : [],
      rxnormIds.length ? this.drugCoverage.checkDrugs(rxnormIds, planIds, year) : [],
    ]);
    const planById = new Map(published.map((plan) => [plan.planId, plan]));
    const doctorsTotal = new Set(npis).size;
    const summaries = planIds.map((planId): PlanComparisonSummaryModel => {
      const planDoctors = doctors.filter((d) => d.planId === planId);
      return {
        planId,
        plan: planById.get(planId) ?? null,
        doctorsInNetwork: planDoctors.filter((d) => d.status === NetworkStatus.IN_NETWORK).length,
        doctorsUnknown: planDoctors.filter((d) => d.status === NetworkStatus.UNKNOWN).length,
        doctorsTotal,
        ...estimateMonthlyDrugCost(drugs.filter((d) => d.planId === planId)),
      };
    });
    return { plans: summaries, doctors, drugs };
  }
}
