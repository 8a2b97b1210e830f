import { formatDollars } from '../common/money';
import { CoverageStatus, DrugCoverageModel } from '../formulary/models/drug.model';
import { CostSharingModel } from '../plans/models/plan.model';
import { NO_CHARGE_OPTS, RETAIL_30_DAY } from '../qhp/vocabulary';

export interface MonthlyDrugCost {
  drugsTotal: number;
  drugsCovered: number;
  drugsWithCoinsurance: number;
  monthlyCopayTotal: number;
  estimatedMonthlyDrugCost: number | null;
  costNotes: string;
}

/** A coinsurance is a share of the drug's price, so it cannot be turned into dollars without a price list. */
function hasCoinsurance(rule: CostSharingModel): boolean {
  return !!rule.coinsuranceRate && !NO_CHARGE_OPTS.has(rule.coinsuranceOpt ?? '');
}

function copayDollars(rule: CostSharingModel): number {
  return NO_CHARGE_OPTS.has(rule.copayOpt ?? '') ? 0 : (rule.copayAmount ?? 0);
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * One plan's monthly drug cost from its drugCoverage answers (one per drug): the copays of the covered
 * drugs at 30-day in-network retail. The dollar estimate is given only when every covered drug is priced
 * by copay; coinsurance drugs are counted and left to a price list.
 */
export function estimateMonthlyDrugCost(answers: DrugCoverageModel[]): MonthlyDrugCost {
  const covered = answers.filter((a) => a.status === CoverageStatus.COVERED);
  const notCovered = answers.filter((a) => a.status === CoverageStatus.NOT_COVERED).length;
  const unknown = answers.filter((a) => a.status === CoverageStatus.UNKNOWN).length;
  let copayTotal = 0;
  let withCoinsurance = 0;
  let withoutRetailCost = 0;
  let afterDeductible = 0;
  for (const answer of covered) {
    const rule = answer.costSharing.find((c) => c.pharmacyType === RETAIL_30_DAY);
    if (!rule) {
      withoutRetailCost++;
      continue;
    }
    copayTotal += copayDollars(rule);
    if (hasCoinsurance(rule)) withCoinsurance++;
    if (
      rule.copayOpt === 'AFTER-DEDUCTIBLE' ||
      rule.copayOpt === 'NO-CHARGE-AFTER-DEDUCTIBLE' ||
      (hasCoinsurance(rule) && rule.coinsuranceOpt === 'AFTER-DEDUCTIBLE')
    ) {
      afterDeductible++;
    }
  }
  const monthlyCopayTotal = Math.round(copayTotal * 100) / 100;
  const complete = answers.length > 0 && withCoinsurance === 0 && withoutRetailCost === 0 && unknown === 0;

  const notes: string[] = [];
  if (!answers.length) notes.push('No drugs were asked about.');
  else notes.push(`${plural(covered.length, 'covered drug')}: ${formatDollars(monthlyCopayTotal)} in copays per 30-day in-network retail fill.`);
  if (withCoinsurance)
    notes.push(`Not included: the coinsurance (a share of the drug's price) of ${plural(withCoinsurance, 'drug')}, which needs a drug price.`);
  if (withoutRetailCost) notes.push(`Not included: ${plural(withoutRetailCost, 'drug')} on a tier stating no 30-day in-network retail cost.`);
  if (afterDeductible) notes.push(`${plural(afterDeductible, 'drug')} at full price until the deductible is met.`);
  if (notCovered) notes.push(`${plural(notCovered, 'drug')} not covered: full price.`);
  if (unknown) notes.push(`${plural(unknown, 'drug')} with unknown coverage (plan or formulary not loaded).`);

  return {
    drugsTotal: answers.length,
    drugsCovered: covered.length,
    drugsWithCoinsurance: withCoinsurance,
    monthlyCopayTotal,
    estimatedMonthlyDrugCost: complete ? monthlyCopayTotal : null,
    costNotes: notes.join(' '),
  };
}
