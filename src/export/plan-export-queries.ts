import { PlanModel } from '../plans/models/plan.model';
import { ProviderType, RETAIL_30_DAY } from '../qhp/vocabulary';
import { BuiltQuery, SqlParams } from '../search/sql-params';

/** The plan's in-network listings (record numbers), read through network_membership_plan_idx. */
function networkListings(plan: PlanModel, params: SqlParams): string {
  return `SELECT DISTINCT record_no FROM network_membership
           WHERE plan_id = ${params.add(plan.planId, 'char(14)')} AND version_id = ${params.add(plan.versionId, 'bigint')}`;
}

/**
 * One row per in-network listing and address (a listing without addresses still gets one row). Lists and
 * booleans stay arrays and booleans here: the export writes every CSV cell by one convention (csv-values).
 */
export function networkCsvQuery(plan: PlanModel): BuiltQuery {
  const params = new SqlParams();
  const planId = params.add(plan.planId, 'char(14)');
  const version = params.add(plan.versionId, 'bigint');
  const sql = `
    SELECT p.npi, p.type, p.display_name AS name, p.prefix, p.first_name, p.middle_name, p.last_name, p.suffix, p.facility_name,
           p.specialties, p.facility_types, p.accepting, p.gender, p.languages,
           m.network_tiers, m.years,
           a.address, a.address_2, a.city, a.state, a.zip, a.phone, a.latitude, a.longitude,
           p.last_updated_on, ${version} AS version_id, p.record_no
      FROM (SELECT mm.record_no,
                   array_agg(DISTINCT mm.network_tier) AS network_tiers,
                   array_agg(DISTINCT year) AS years
              FROM network_membership mm
              LEFT JOIN LATERAL unnest(mm.years) AS year ON true
             WHERE mm.plan_id = ${planId} AND mm.version_id = ${version}
             GROUP BY mm.record_no) m
      JOIN provider p ON p.version_id = ${version} AND p.record_no = m.record_no
      LEFT JOIN provider_address a ON a.version_id = p.version_id AND a.record_no = p.record_no
     ORDER BY p.record_no, a.address_no`;
  return { sql, params: params.values };
}

/** The plan's network in the QHP providers.json shape, one provider object (with only this plan) per row. */
export function networkJsonQuery(plan: PlanModel): BuiltQuery {
  const params = new SqlParams();
  const listings = networkListings(plan, params);
  const planId = params.add(plan.planId, 'char(14)');
  const planIdType = params.add(plan.planIdType, 'text');
  const sql = `
    SELECT json_strip_nulls(json_build_object(
             'npi', p.npi,
             'type', p.type,
             'name', CASE WHEN p.type = '${ProviderType.INDIVIDUAL}' THEN json_build_object(
                       'prefix', p.prefix, 'first', p.first_name, 'middle', p.middle_name, 'last', p.last_name, 'suffix', p.suffix) END,
             'facility_name', CASE WHEN p.type = '${ProviderType.FACILITY}' THEN p.facility_name END,
             'group_name', CASE WHEN p.type = '${ProviderType.GROUP}' THEN p.facility_name END,
             'facility_type', CASE WHEN p.type <> '${ProviderType.INDIVIDUAL}' THEN to_json(p.facility_types) END,
             'addresses', (SELECT json_agg(json_build_object(
                             'address', a.address, 'address_2', a.address_2, 'city', a.city, 'state', a.state, 'zip', a.zip,
                             'phone', a.phone) ORDER BY a.address_no)
                             FROM provider_address a WHERE a.version_id = p.version_id AND a.record_no = p.record_no),
             'specialty', CASE WHEN p.type <> '${ProviderType.FACILITY}' THEN to_json(p.specialties) END,
             'accepting', p.accepting,
             'gender', p.gender,
             'languages', CASE WHEN cardinality(p.languages) > 0 THEN to_json(p.languages) END,
             'plans', (SELECT json_agg(json_build_object(
                         'plan_id_type', ${planIdType}, 'plan_id', m.plan_id, 'network_tier', m.network_tier,
                         'years', CASE WHEN cardinality(m.years) > 0 THEN to_json(m.years) END) ORDER BY m.network_tier)
                         FROM network_membership m
                        WHERE m.version_id = p.version_id AND m.record_no = p.record_no AND m.plan_id = ${planId}),
             'last_updated_on', p.last_updated_on)) AS doc
      FROM (${listings}) l
      JOIN provider p ON p.version_id = ${params.add(plan.versionId, 'bigint')} AND p.record_no = l.record_no
     ORDER BY p.record_no`;
  return { sql, params: params.values };
}

/** One row per covered drug with its restrictions and the tier's 30-day in-network retail cost sharing. */
export function formularyCsvQuery(plan: PlanModel): BuiltQuery {
  const params = new SqlParams();
  const sql = `
    SELECT f.rxnorm_id, d.drug_name, f.drug_tier, f.prior_authorization, f.step_therapy, f.quantity_limit,
           f.years,
           c.copay_amount AS retail_30_day_copay_amount, c.copay_opt AS retail_30_day_copay_opt,
           c.coinsurance_rate AS retail_30_day_coinsurance_rate, c.coinsurance_opt AS retail_30_day_coinsurance_opt
      FROM formulary_entry f
      LEFT JOIN drug d ON d.version_id = f.version_id AND d.rxnorm_id = f.rxnorm_id
      LEFT JOIN tier_cost_sharing c
        ON c.version_id = f.version_id AND c.plan_id = f.plan_id AND c.drug_tier = f.drug_tier
       AND c.pharmacy_type = ${params.add(RETAIL_30_DAY, 'text')}
     WHERE f.version_id = ${params.add(plan.versionId, 'bigint')} AND f.plan_id = ${params.add(plan.planId, 'char(14)')}
     ORDER BY f.rxnorm_id`;
  return { sql, params: params.values };
}

/** The plan's formulary in the QHP drugs.json shape, one drug object (with only this plan) per row. */
export function formularyJsonQuery(plan: PlanModel): BuiltQuery {
  const params = new SqlParams();
  const sql = `
    SELECT json_strip_nulls(json_build_object(
             'rxnorm_id', f.rxnorm_id,
             'drug_name', d.drug_name,
             'plans', json_build_array(json_build_object(
                        'plan_id_type', ${params.add(plan.planIdType, 'text')}, 'plan_id', f.plan_id, 'drug_tier', f.drug_tier,
                        'prior_authorization', f.prior_authorization, 'step_therapy', f.step_therapy,
                        'quantity_limit', f.quantity_limit,
                        'years', CASE WHEN cardinality(f.years) > 0 THEN to_json(f.years) END)))) AS doc
      FROM formulary_entry f
      LEFT JOIN drug d ON d.version_id = f.version_id AND d.rxnorm_id = f.rxnorm_id
     WHERE f.version_id = ${params.add(plan.versionId, 'bigint')} AND f.plan_id = ${params.add(plan.planId, 'char(14)')}
     ORDER BY f.rxnorm_id`;
  return { sql, params: params.values };
}
