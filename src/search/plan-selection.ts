import { PlanModel } from '../plans/models/plan.model';
import { PlansService } from '../plans/plans.service';
import { MAX_GRID_SIDE } from '../providers/providers.args';
import { userInputError } from './user-input-error';

/** Which plans a comparison or a breadth report covers: listed plan ids, or every published plan of a state and year. */
export interface PlanSelection {
  planIds?: string[] | null;
  state?: string | null;
  year?: number | null;
}

export interface SelectedPlans {
  /** In the requested order (plan id order for a state); unknown ids stay, to be answered as not loaded. */
  planIds: string[];
  published: PlanModel[];
}

/** Resolves a selection through PlansService (same filters as the `plans` query), capped at MAX_GRID_SIDE plans. */
export async function selectPlans(plans: PlansService, selection: PlanSelection, field: string): Promise<SelectedPlans> {
  if (selection.planIds?.length) {
    if (selection.state) throw userInputError(`${field}: pass planIds or state and year, not both`, field);
    const planIds = [...new Set(selection.planIds)];
    return { planIds, published: await plans.findPublishedPlans(planIds) };
  }
  if (!selection.state || selection.year == null) {
    throw userInputError(`${field}: pass planIds, or state and year to take every plan of that state and year`, field);
  }
  const found = await plans.listPlans({ state: selection.state, year: selection.year }, MAX_GRID_SIDE);
  if (found.pageInfo.hasNextPage) {
    throw userInputError(
      `${field}: more than ${MAX_GRID_SIDE} published plans in ${selection.state} for ${selection.year}; ` +
        `pass at most ${MAX_GRID_SIDE} planIds instead (the plans query lists them)`,
      field,
    );
  }
  const published = found.edges.map((edge) => edge.node);
  return { planIds: published.map((plan) => plan.planId), published };
}
