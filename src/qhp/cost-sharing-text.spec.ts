import { CostSharingRule, describeCostSharing, describePharmacyType, summaryCostSharing, tierCostSummary } from './cost-sharing-text';

const rule = (overrides: Partial<CostSharingRule>): CostSharingRule => ({
  pharmacyType: '1-MONTH-IN-RETAIL',
  copayAmount: null,
  copayOpt: null,
  coinsuranceRate: null,
  coinsuranceOpt: null,
  ...overrides,
});

describe('cost-sharing text', () => {
  it('names the pharmacy type as a shopper reads it', () => {
    expect(describePharmacyType('1-MONTH-IN-RETAIL')).toBe('30-day retail');
    expect(describePharmacyType('3-MONTH-IN-MAIL')).toBe('90-day mail order');
    expect(describePharmacyType('3-MONTH-OUT-MAIL')).toBe('90-day mail order, out-of-network pharmacy');
  });

  it.each<[Partial<CostSharingRule>, string]>([
    [{ copayAmount: 10, copayOpt: 'AFTER-DEDUCTIBLE' }, '$10 copay after deductible, 30-day retail'],
    [{ copayAmount: 12.5, copayOpt: 'BEFORE-DEDUCTIBLE' }, '$12.50 copay before deductible, 30-day retail'],
    [{ coinsuranceRate: 0.2, coinsuranceOpt: 'BEFORE-DEDUCTIBLE' }, '20% coinsurance before deductible, 30-day retail'],
    [{ copayAmount: 0, copayOpt: 'NO-CHARGE', coinsuranceRate: 0.4, coinsuranceOpt: 'AFTER-DEDUCTIBLE' }, '40% coinsurance after deductible, 30-day retail'],
    [{ copayAmount: 5, copayOpt: null, coinsuranceRate: 0.1, coinsuranceOpt: null }, '$5 copay plus 10% coinsurance, 30-day retail'],
    [{ copayOpt: 'NO-CHARGE-AFTER-DEDUCTIBLE', coinsuranceOpt: 'NO-CHARGE-AFTER-DEDUCTIBLE' }, 'No charge after deductible, 30-day retail'],
    [
      { copayAmount: 0, copayOpt: 'NO-CHARGE', coinsuranceRate: 0, coinsuranceOpt: 'NO-CHARGE', pharmacyType: '3-MONTH-IN-MAIL' },
      'No charge, 90-day mail order',
    ],
  ])('describes %j as "%s"', (overrides, text) => {
    expect(describeCostSharing(rule(overrides))).toBe(text);
  });
});

describe('cost summary (one rule for drugCoverage, generic equivalents and the research reports)', () => {
  const retail = { pharmacyType: '1-MONTH-IN-RETAIL', description: '$10 copay, 30-day retail' };
  const mail = { pharmacyType: '3-MONTH-IN-MAIL', description: '$25 copay, 90-day mail order' };
  const outOfNetwork = { pharmacyType: '1-MONTH-OUT-RETAIL', description: '50% coinsurance, 30-day retail, out-of-network pharmacy' };

  it('leads with the 30-day in-network retail line wherever it is listed', () => {
    expect(summaryCostSharing([mail, outOfNetwork, retail])).toBe(retail);
  });

  it('falls back to the first line stated, and to nothing when none is', () => {
    expect(summaryCostSharing([outOfNetwork, mail])).toBe(outOfNetwork);
    expect(summaryCostSharing([])).toBeUndefined();
  });

  it("gives a tier's summary text by tier name, null without a tier or cost sharing", () => {
    const tiers = [
      { drugTier: 'GENERIC', costSharing: [mail, retail] },
      { drugTier: 'SPECIALTY', costSharing: [] },
    ];
    expect(tierCostSummary(tiers, 'GENERIC')).toBe(retail.description);
    expect(tierCostSummary(tiers, 'SPECIALTY')).toBeNull();
    expect(tierCostSummary(tiers, 'PREFERRED-BRAND')).toBeNull();
    expect(tierCostSummary(tiers, null)).toBeNull();
    expect(tierCostSummary(undefined, 'GENERIC')).toBeNull();
  });
});
