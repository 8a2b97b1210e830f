import { Pool } from 'pg';

/** The two questions as the benchmarks ask them (the fields a plan-shopping site shows). */
export const NETWORK_QUERY = `query Network($npis: [String!]!, $planIds: [String!]!) {
  networkCoverage(npis: $npis, planIds: $planIds) { npi planId status networkTiers acceptingNewPatients message }
}`;
export const DRUG_QUERY = `query Drug($rxnormIds: [String!]!, $planIds: [String!]!) {
  drugCoverage(rxnormIds: $rxnormIds, planIds: $planIds) { rxnormId planId status drugTier priorAuthorization costSummary message }
}`;

/** One doctor or drug with up to three of the published plans listing it (a lookup a shopper makes). */
export interface ShopperLookup {
  kind: 'network' | 'drug';
  id: string;
  planIds: string[];
}

/** `count` published NPIs and `count` published drugs at random, each with up to three of its plans. */
export async function sampleShopperLookups(databaseUrl: string, count = 500): Promise<ShopperLookup[]> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const npis = (
      await pool.query(
        `SELECT p.npi, array_agg(DISTINCT m.plan_id) AS plans
           FROM provider p JOIN issuer i ON i.current_version_id = p.version_id
           JOIN network_membership m ON m.version_id = p.version_id AND m.record_no = p.record_no
          WHERE p.npi IS NOT NULL GROUP BY p.npi ORDER BY random() LIMIT $1`,
        [count],
      )
    ).rows as Array<{ npi: string; plans: string[] }>;
    const drugs = (
      await pool.query(
        `SELECT f.rxnorm_id, array_agg(DISTINCT f.plan_id) AS plans
           FROM formulary_entry f JOIN issuer i ON i.current_version_id = f.version_id
          GROUP BY f.rxnorm_id ORDER BY random() LIMIT $1`,
        [count],
      )
    ).rows as Array<{ rxnorm_id: string; plans: string[] }>;
    if (!npis.length || !drugs.length) throw new Error('the database holds no published providers or drugs (run bench:query with --pg-dir first)');
    const plans = (list: string[]) => list.slice(0, 3).map((p) => p.trim());
    return [
      ...npis.map((n): ShopperLookup => ({ kind: 'network', id: n.npi.trim(), planIds: plans(n.plans) })),
      ...drugs.map((d): ShopperLookup => ({ kind: 'drug', id: d.rxnorm_id, planIds: plans(d.plans) })),
    ];
  } finally {
    await pool.end();
  }
}

/** A lookup as the API's GraphQL POST body. */
export function shopperQueryBody(lookup: ShopperLookup): string {
  return lookup.kind === 'network'
    ? JSON.stringify({ operationName: 'Network', query: NETWORK_QUERY, variables: { npis: [lookup.id], planIds: lookup.planIds } })
    : JSON.stringify({ operationName: 'Drug', query: DRUG_QUERY, variables: { rxnormIds: [lookup.id], planIds: lookup.planIds } });
}
