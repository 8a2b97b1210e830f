/** The two questions as the benchmarks ask them (the fields a plan-shopping site shows). */
export const NETWORK_QUERY = `query Network($npis: [String!]!, $planIds: [String!]!) {
  networkCoverage(npis: $npis, planIds: $planIds) { npi planId status networkTiers acceptingNewPatients message }
}`;
export const DRUG_QUERY = `query Drug($rxnormIds: [String!]!, $planIds: [String!]!) {
  drugCoverage(rxnormIds: $rxnormIds, planIds: $planIds) { rxnormId planId status drugTier priorAuthorization costSummary message }
}`;
