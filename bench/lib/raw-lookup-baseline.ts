/**
 * The baseline both query benchmarks measure the API against: each of the two questions as ONE raw SQL
 * query behind a bare Node http handler (no framework, no validation, no limits), on a pg pool.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { ShopperLookup } from './shopper-queries';

/** One NPI × its plans: in network where it is listed, with tiers and whether it takes new patients. */
export const NETWORK_SQL = `
  SELECT q.plan_id AS "planId", p.marketing_name AS "marketingName",
         COALESCE((SELECT array_agg(DISTINCT m.network_tier)
                     FROM provider mp JOIN issuer mi ON mi.current_version_id = mp.version_id
                     JOIN network_membership m ON m.version_id = mp.version_id AND m.record_no = mp.record_no
                    WHERE mp.npi = $1 AND m.plan_id = q.plan_id), '{}') AS "networkTiers",
         (SELECT pr.accepting FROM provider pr JOIN issuer pi ON pi.current_version_id = pr.version_id
           WHERE pr.npi = $1 ORDER BY pr.last_updated_on DESC NULLS LAST LIMIT 1) AS accepting
    FROM unnest($2::char(14)[]) AS q(plan_id)
    LEFT JOIN (plan p JOIN issuer i ON i.current_version_id = p.version_id) ON p.plan_id = q.plan_id`;

/** One RXCUI × plans: tier, restrictions and the 30-day retail cost sharing. */
export const DRUG_SQL = `
  SELECT q.plan_id AS "planId", f.drug_tier AS "drugTier", f.prior_authorization AS "priorAuthorization",
         c.copay_amount AS "copayAmount", c.copay_opt AS "copayOpt", c.coinsurance_rate AS "coinsuranceRate", c.coinsurance_opt AS "coinsuranceOpt"
    FROM unnest($2::char(14)[]) AS q(plan_id)
    LEFT JOIN (formulary_entry f JOIN issuer i ON i.current_version_id = f.version_id)
           ON f.plan_id = q.plan_id AND f.rxnorm_id = $1
    LEFT JOIN tier_cost_sharing c
           ON c.version_id = f.version_id AND c.plan_id = f.plan_id AND c.drug_tier = f.drug_tier AND c.pharmacy_type = '1-MONTH-IN-RETAIL'`;

/** The server (not listening yet) answering a POSTed Lookup with the rows of its query. */
export function rawLookupServer(databaseUrl: string, poolSize: number): { server: Server; pool: Pool } {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const lookup = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ShopperLookup;
        const { rows } = await pool.query(lookup.kind === 'network' ? NETWORK_SQL : DRUG_SQL, [lookup.id, lookup.planIds]);
        const body = JSON.stringify({ data: rows });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: String(error) }));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  return { server, pool };
}
