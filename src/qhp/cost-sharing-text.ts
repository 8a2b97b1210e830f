import { formatDollars, formatPercent } from '../common/money';
import { RETAIL_30_DAY } from './vocabulary';

export interface CostSharingRule {
  pharmacyType: string;
  copayAmount: number | null;
  copayOpt: string | null;
  coinsuranceRate: number | null;
  coinsuranceOpt: string | null;
}

/** "30-day retail", "90-day mail order, out-of-network pharmacy". */
export function describePharmacyType(pharmacyType: string): string {
  const [months, , network, channel] = pharmacyType.split('-');
  const days = months === '3' ? '90-day' : '30-day';
  const where = channel === 'MAIL' ? 'mail order' : 'retail';
  return `${days} ${where}${network === 'OUT' ? ', out-of-network pharmacy' : ''}`;
}

function deductibleClause(opt: string | null): string {
  if (opt === 'AFTER-DEDUCTIBLE') return ' after deductible';
  if (opt === 'BEFORE-DEDUCTIBLE') return ' before deductible';
  return '';
}

function copayPart(rule: CostSharingRule): string | null {
  if (rule.copayOpt === 'NO-CHARGE') return null;
  if (rule.copayOpt === 'NO-CHARGE-AFTER-DEDUCTIBLE') return 'no charge after deductible';
  if (!rule.copayAmount) return null;
  return `${formatDollars(rule.copayAmount)} copay${deductibleClause(rule.copayOpt)}`;
}

function coinsurancePart(rule: CostSharingRule): string | null {
  if (rule.coinsuranceOpt === 'NO-CHARGE') return null;
  if (rule.coinsuranceOpt === 'NO-CHARGE-AFTER-DEDUCTIBLE') return 'no charge after deductible';
  if (!rule.coinsuranceRate) return null;
  return `${formatPercent(rule.coinsuranceRate)} coinsurance${deductibleClause(rule.coinsuranceOpt)}`;
}

/**
 * What the member pays, as a shopper reads it:
 * "$10 copay after deductible, 30-day retail", "20% coinsurance before deductible, 30-day retail",
 * "No charge, 90-day mail order". A $0 copay next to a coinsurance is not mentioned.
 */
export function describeCostSharing(rule: CostSharingRule): string {
  const parts = [...new Set([copayPart(rule), coinsurancePart(rule)].filter((p): p is string => p !== null))];
  const what = parts.length ? parts.join(' plus ') : 'no charge';
  return `${what[0].toUpperCase()}${what.slice(1)}, ${describePharmacyType(rule.pharmacyType)}`;
}

/** The cost-sharing line shoppers see first: 30-day in-network retail, else the first one stated. */
export function summaryCostSharing<T extends { pharmacyType: string }>(costSharing: readonly T[]): T | undefined {
  return costSharing.find((c) => c.pharmacyType === RETAIL_30_DAY) ?? costSharing[0];
}

/** A described cost-sharing line, as the answers carry it. */
interface DescribedCostSharing {
  pharmacyType: string;
  description: string;
}

/**
 * A tier's cost in words (drugCoverage's costSummary for a drug on that tier): the summary line of the
 * tier's cost sharing, or null when the drug has no tier or the tier states no cost sharing.
 */
export function tierCostSummary(
  tiers: readonly { drugTier: string; costSharing: readonly DescribedCostSharing[] }[] | undefined,
  drugTier: string | null,
): string | null {
  if (!drugTier) return null;
  return summaryCostSharing(tiers?.find((t) => t.drugTier === drugTier)?.costSharing ?? [])?.description ?? null;
}
