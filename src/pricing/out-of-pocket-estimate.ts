import type { CostSharingRule } from '../qhp/cost-sharing-text';
import { AFTER_DEDUCTIBLE_OPTS, NO_CHARGE_OPTS } from '../qhp/vocabulary';
import { MonthlyCostEstimateModel } from './models/monthly-cost-estimate.model';

export interface DrugPrice {
  rxnormId: string;
  pricePer30Days: number;
  source: string;
  asOf: string;
}

export const NO_PRICE_ASSUMPTION = 'no price on file for this drug';
export const AFTER_DEDUCTIBLE_ASSUMPTION = 'after the deductible is met; before it, you may pay up to the full price';

/** "$550.00": estimates always show cents, unlike plan-language amounts. */
export function formatCents(amount: number): string {
  return '$' + amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

const roundCents = (amount: number) => Math.round(amount * 100) / 100;
const percent = (rate: number) => `${Math.round(rate * 10_000) / 100}%`;

/** A cost-sharing component (copay or coinsurance) that actually says something about what the member pays. */
interface Component {
  opt: string | null;
  /** Monthly dollars after any deductible; null when it depends on a price we do not have. */
  monthly: number | null;
}

/**
 * Monthly out-of-pocket cost of a covered drug at one pharmacy type:
 * - copay only: the copay (a 3-month copay is divided by 3); no price needed;
 * - coinsurance: rate × list price per 30 days;
 * - AFTER-DEDUCTIBLE (or NO-CHARGE-AFTER-DEDUCTIBLE): low = cost after the deductible, high = the full price
 *   paid until the deductible is met;
 * - NO-CHARGE: $0.
 * A copay and a coinsurance on the same rule are added, as the plan states both.
 */
export function estimateMonthlyCost(rule: CostSharingRule, price: DrugPrice | null): MonthlyCostEstimateModel {
  const months = rule.pharmacyType.startsWith('3-') ? 3 : 1;
  const assumptions: string[] = [];
  let priceUsed = false;
  const priceText = price ? `a ${formatCents(price.pricePer30Days)} list price per 30-day supply (${price.source}, ${price.asOf})` : '';

  const components: Component[] = [];
  const copay = rule.copayAmount ?? 0;
  if (NO_CHARGE_OPTS.has(rule.copayOpt ?? '')) {
    components.push({ opt: rule.copayOpt, monthly: 0 });
  } else if (copay > 0) {
    components.push({ opt: rule.copayOpt, monthly: roundCents(copay / months) });
    assumptions.push(
      months === 1
        ? `${formatCents(copay)} copay per 30-day supply`
        : `${formatCents(copay)} copay per 90-day supply, shown as ${formatCents(roundCents(copay / months))} a month`,
    );
  }
  const rate = rule.coinsuranceRate ?? 0;
  if (NO_CHARGE_OPTS.has(rule.coinsuranceOpt ?? '')) {
    components.push({ opt: rule.coinsuranceOpt, monthly: 0 });
  } else if (rate > 0) {
    components.push({ opt: rule.coinsuranceOpt, monthly: price ? roundCents(rate * price.pricePer30Days) : null });
    if (price) {
      assumptions.push(`${percent(rate)} coinsurance on ${priceText}`);
      priceUsed = true;
    } else {
      assumptions.push(`${percent(rate)} coinsurance`, NO_PRICE_ASSUMPTION);
    }
  }

  // With nothing to pay stated, the options alone say whether a deductible comes first.
  const deductibleApplies = components.length
    ? components.some((c) => AFTER_DEDUCTIBLE_OPTS.has(c.opt ?? ''))
    : AFTER_DEDUCTIBLE_OPTS.has(rule.copayOpt ?? '') || AFTER_DEDUCTIBLE_OPTS.has(rule.coinsuranceOpt ?? '');
  const afterDeductible = components.some((c) => c.monthly === null) ? null : roundCents(components.reduce((sum, c) => sum + (c.monthly ?? 0), 0));

  if (afterDeductible === 0) assumptions.push(deductibleApplies ? 'no charge once the deductible is met' : 'no charge at this pharmacy type');
  if (components.some((c) => c.opt === 'BEFORE-DEDUCTIBLE' && c.monthly !== 0)) {
    assumptions.push('the deductible does not apply: this cost sharing starts with the first fill');
  }

  let high = afterDeductible;
  if (deductibleApplies) {
    assumptions.push(AFTER_DEDUCTIBLE_ASSUMPTION);
    if (price) {
      high = afterDeductible === null ? null : Math.max(afterDeductible, price.pricePer30Days);
      if (!priceUsed) assumptions.push(`full price taken as ${priceText}`);
      priceUsed = true;
    } else {
      high = null;
      if (!assumptions.includes(NO_PRICE_ASSUMPTION)) assumptions.push(NO_PRICE_ASSUMPTION);
    }
  }

  return {
    pharmacyType: rule.pharmacyType,
    monthlyLow: afterDeductible,
    monthlyHigh: high,
    assumptions,
    priceUsed: priceUsed && price ? price.pricePer30Days : null,
    priceSource: priceUsed && price ? price.source : null,
    priceAsOf: priceUsed && price ? price.asOf : null,
  };
}

/** One estimate per pharmacy type of the drug's tier. */
export function estimateMonthlyCosts(rules: readonly CostSharingRule[], price: DrugPrice | null): MonthlyCostEstimateModel[] {
  return rules.map((rule) => estimateMonthlyCost(rule, price));
}
