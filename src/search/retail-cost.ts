import { DrugTierModel } from '../plans/models/plan.model';

/** The pharmacy type prices are quoted for: a 30-day fill at an in-network retail pharmacy. */
export const RETAIL_30_DAY = '1-MONTH-IN-RETAIL';

/** A tier's cost in words, as drugCoverage's costSummary: the 30-day in-network retail line, else the first stated. */
export function tierCostSummary(tiers: DrugTierModel[] | undefined, drugTier: string | null): string | null {
  if (!drugTier) return null;
  const costSharing = tiers?.find((t) => t.drugTier === drugTier)?.costSharing ?? [];
  return (costSharing.find((c) => c.pharmacyType === RETAIL_30_DAY) ?? costSharing[0])?.description ?? null;
}
