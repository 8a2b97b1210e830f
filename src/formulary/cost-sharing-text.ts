import { formatDollars, formatPercent } from '../common/money';

export interface CostSharingRule {
  pharmacyType: string;
  copayAmount: number | null;
  copayOpt: string | null;
  coinsuranceRate: number | null;
  coinsuranceOpt: string | null;
}

export const PHARMACY_TYPES = [
  '1-MONTH-IN-RETAIL', '1-MONTH-OUT-RETAIL', '1-MONTH-IN-MAIL', '1-MONTH-OUT-MAIL',
  '3-MONTH-IN-RETAIL', '3-MONTH-OUT-RETAIL', '3-MONTH-IN-MAIL', '3-MONTH-OUT-MAIL',
] as const;

export const COST_SHARING_OPTS = ['AFTER-DEDUCTIBLE', 'BEFORE-DEDUCTIBLE', 'NO-CHARGE', 'NO-CHARGE-AFTER-DEDUCTIBLE'] as const;

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
