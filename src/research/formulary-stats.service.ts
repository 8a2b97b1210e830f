import { Injectable } from '@nestjs/common';
import { Database, RESEARCH_QUERY } from '../database/database';
import { decodeCursor, pageSize, toConnection } from '../common/pagination';
import { DrugCoverageService } from '../formulary/drug-coverage.service';
import { PlanModel } from '../plans/models/plan.model';
import { PlansService } from '../plans/plans.service';
import { tierCostSummary } from '../qhp/cost-sharing-text';
import { yearsCoverSql } from '../search/sql-fragments';
import { BuiltQuery, SqlParams } from '../search/sql-params';
import { userInputError } from '../search/user-input-error';
import {
  DrugCoverageStatsModel,
  FormularyComparisonModel,
  FormularyDifferenceKind,
  IssuerDrugCoverageModel,
  PriorAuthorizationRateModel,
  TierCountModel,
} from './formulary-stats.model';

interface CoverageRow {
  issuer_id: string;
  issuer_name: string;
  state: string;
  drug_tier: string | null;
  covered: boolean;
  plans: number;
  prior_authorization_plans: number;
}

interface DifferenceRow {
  rxnorm_id: string;
  drug_name: string | null;
  difference: FormularyDifferenceKind;
  plan_a_tier: string | null;
  plan_b_tier: string | null;
  plan_a_prior_authorization: boolean | null;
  plan_b_prior_authorization: boolean | null;
}

interface PriorAuthorizationRow {
  issuer_id: string;
  issuer_name: string;
  plans: number;
  formulary_entries: number;
  prior_authorization_entries: number;
  prior_authorization_rate: number;
  step_therapy_rate: number;
  quantity_limit_rate: number;
}

function share(part: number, whole: number): number {
  return whole ? Math.round((part / whole) * 10000) / 10000 : 0;
}

function addTierCounts(into: Map<string, number>, tier: string, plans: number): void {
  into.set(tier, (into.get(tier) ?? 0) + plans);
}

function tierList(counts: Map<string, number>): TierCountModel[] {
  return [...counts].map(([drugTier, plans]) => ({ drugTier, plans })).sort((a, b) => b.plans - a.plans || a.drugTier.localeCompare(b.drugTier));
}

/** Journalists' formulary questions: how widely a drug is covered, how two formularies differ, PA rates. */
@Injectable()
export class FormularyStatsService {
  constructor(
    private readonly db: Database,
    private readonly plans: PlansService,
    private readonly drugCoverage: DrugCoverageService,
  ) {}

  /**
   * Published plans with a formulary, per issuer × state × (covering tier | not covering). The left join
   * probes formulary_entry's primary key (version_id, plan_id, rxnorm_id) once per plan.
   */
  drugCoverageStatsQuery(rxnormId: string, year?: number | null): BuiltQuery {
    const params = new SqlParams();
    const drug = params.add(rxnormId, 'text');
    const y = year != null ? params.add(year, 'int') : null;
    const sql = `
      WITH formulary_plans AS (
        SELECT p.plan_id, p.version_id, p.issuer_id, p.state
          FROM plan p
          JOIN issuer i ON i.current_version_id = p.version_id
          JOIN dataset_version v ON v.id = p.version_id AND v.has_formulary_files
         ${y ? `WHERE ${yearsCoverSql('p.years', y)}` : ''}
      )
      SELECT fp.issuer_id, iss.name AS issuer_name, fp.state, f.drug_tier, f.plan_id IS NOT NULL AS covered,
             count(*)::int AS plans, count(*) FILTER (WHERE f.prior_authorization)::int AS prior_authorization_plans
        FROM formulary_plans fp
        JOIN issuer iss ON iss.issuer_id = fp.issuer_id
        LEFT JOIN formulary_entry f
          ON f.version_id = fp.version_id AND f.plan_id = fp.plan_id AND f.rxnorm_id = ${drug}
             ${y ? `AND ${yearsCoverSql('f.years', y)}` : ''}
       GROUP BY fp.issuer_id, iss.name, fp.state, f.drug_tier, f.plan_id IS NOT NULL
       ORDER BY fp.issuer_id, fp.state, covered DESC, f.drug_tier`;
    return { sql, params: params.values };
  }

  async drugCoverageStats(rxnormId: string, year?: number | null): Promise<DrugCoverageStatsModel> {
    const query = this.drugCoverageStatsQuery(rxnormId, year);
    const [rows, [drug]] = await Promise.all([
      this.db.search(query.sql, query.params, RESEARCH_QUERY) as Promise<CoverageRow[]>,
      this.drugCoverage.findDrugs([rxnormId]),
    ]);
    const byIssuer = new Map<string, IssuerDrugCoverageModel & { tierCounts: Map<string, number> }>();
    const allTiers = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.issuer_id}:${row.state}`;
      const group = byIssuer.get(key) ?? {
        issuerId: row.issuer_id,
        issuerName: row.issuer_name,
        state: row.state,
        plansWithFormulary: 0,
        plansCovering: 0,
        coverageShare: 0,
        priorAuthorizationPlans: 0,
        tiers: [],
        tierCounts: new Map<string, number>(),
      };
      byIssuer.set(key, group);
      group.plansWithFormulary += row.plans;
      if (row.covered && row.drug_tier) {
        group.plansCovering += row.plans;
        group.priorAuthorizationPlans += row.prior_authorization_plans;
        addTierCounts(group.tierCounts, row.drug_tier, row.plans);
        addTierCounts(allTiers, row.drug_tier, row.plans);
      }
    }
    const issuers = [...byIssuer.values()].map(({ tierCounts, ...group }) => ({
      ...group,
      coverageShare: share(group.plansCovering, group.plansWithFormulary),
      tiers: tierList(tierCounts),
    }));
    const total = (pick: (g: IssuerDrugCoverageModel) => number) => issuers.reduce((sum, g) => sum + pick(g), 0);
    return {
      rxnormId,
      drug: drug ?? null,
      plansWithFormulary: total((g) => g.plansWithFormulary),
      plansCovering: total((g) => g.plansCovering),
      coverageShare: share(
        total((g) => g.plansCovering),
        total((g) => g.plansWithFormulary),
      ),
      priorAuthorizationPlans: total((g) => g.priorAuthorizationPlans),
      tiers: tierList(allTiers),
      byIssuer: issuers,
    };
  }

  private async publishedPair(planA: string, planB: string): Promise<[PlanModel, PlanModel]> {
    const published = await this.plans.findPublishedPlans([planA, planB]);
    const find = (planId: string, field: string) => {
      const plan = published.find((p) => p.planId === planId);
      if (!plan) throw userInputError(`Plan ${planId} is not loaded: no issuer has published it`, field);
      return plan;
    };
    return [find(planA, 'planA'), find(planB, 'planB')];
  }

  /** Both published formularies side by side (full join on RXCUI), each read by primary key prefix (version_id, plan_id). */
  private differencesCte(a: PlanModel, b: PlanModel, params: SqlParams): string {
    const [versionA, planA, versionB, planB] = [
      params.add(a.versionId, 'bigint'),
      params.add(a.planId, 'char(14)'),
      params.add(b.versionId, 'bigint'),
      params.add(b.planId, 'char(14)'),
    ];
    return `
      WITH a AS (SELECT rxnorm_id, drug_tier, prior_authorization FROM formulary_entry WHERE version_id = ${versionA} AND plan_id = ${planA}),
           b AS (SELECT rxnorm_id, drug_tier, prior_authorization FROM formulary_entry WHERE version_id = ${versionB} AND plan_id = ${planB}),
           compared AS (
             SELECT coalesce(a.rxnorm_id, b.rxnorm_id) AS rxnorm_id,
                    CASE WHEN b.rxnorm_id IS NULL THEN '${FormularyDifferenceKind.ONLY_IN_A}'
                         WHEN a.rxnorm_id IS NULL THEN '${FormularyDifferenceKind.ONLY_IN_B}'
                         WHEN a.drug_tier <> b.drug_tier THEN '${FormularyDifferenceKind.TIER_DIFFERS}'
                         ELSE 'SAME' END AS difference,
                    a.drug_tier AS plan_a_tier, b.drug_tier AS plan_b_tier,
                    a.prior_authorization AS plan_a_prior_authorization, b.prior_authorization AS plan_b_prior_authorization
               FROM a FULL JOIN b ON a.rxnorm_id = b.rxnorm_id)`;
  }

  /** The differing drugs in RXCUI order; limit null = all of them (CSV export). */
  async formularyDifferencesQuery(planAId: string, planBId: string, limit: number | null, afterRxcui: string | null): Promise<BuiltQuery> {
    const [a, b] = await this.publishedPair(planAId, planBId);
    return this.buildDifferencesQuery(a, b, limit, afterRxcui);
  }

  private buildDifferencesQuery(a: PlanModel, b: PlanModel, limit: number | null, afterRxcui: string | null): BuiltQuery {
    const params = new SqlParams();
    const compared = this.differencesCte(a, b, params);
    const sql = `${compared}
      SELECT c.rxnorm_id, coalesce(da.drug_name, db.drug_name) AS drug_name, c.difference,
             c.plan_a_tier, c.plan_b_tier, c.plan_a_prior_authorization, c.plan_b_prior_authorization
        FROM compared c
        LEFT JOIN drug da ON da.version_id = ${params.add(a.versionId, 'bigint')} AND da.rxnorm_id = c.rxnorm_id
        LEFT JOIN drug db ON db.version_id = ${params.add(b.versionId, 'bigint')} AND db.rxnorm_id = c.rxnorm_id
       WHERE c.difference <> 'SAME' ${afterRxcui ? `AND c.rxnorm_id > ${params.add(afterRxcui, 'text')}` : ''}
       ORDER BY c.rxnorm_id
       ${limit === null ? '' : `LIMIT ${params.add(limit, 'int')}`}`;
    return { sql, params: params.values };
  }

  async compareFormularies(planAId: string, planBId: string, first?: number | null, after?: string | null): Promise<FormularyComparisonModel> {
    const limit = pageSize(first);
    const [a, b] = await this.publishedPair(planAId, planBId);
    const page = this.buildDifferencesQuery(a, b, limit + 1, decodeCursor<string>(after));
    const countParams = new SqlParams();
    const countSql = `${this.differencesCte(a, b, countParams)} SELECT difference, count(*)::int AS drugs FROM compared GROUP BY difference`;
    const [rows, counts, tiers] = await Promise.all([
      this.db.search(page.sql, page.params, RESEARCH_QUERY) as Promise<DifferenceRow[]>,
      this.db.search(countSql, countParams.values, RESEARCH_QUERY) as Promise<Array<{ difference: string; drugs: number }>>,
      this.plans.findDrugTiers([a, b]),
    ]);
    const count = (kind: string) => counts.find((c) => c.difference === kind)?.drugs ?? 0;
    const tiersA = tiers.get(`${a.versionId}:${a.planId}`);
    const tiersB = tiers.get(`${b.versionId}:${b.planId}`);
    const differences = toConnection(
      rows.map((row) => ({
        rxnormId: row.rxnorm_id,
        drugName: row.drug_name,
        difference: row.difference,
        planATier: row.plan_a_tier,
        planBTier: row.plan_b_tier,
        planACost: tierCostSummary(tiersA, row.plan_a_tier),
        planBCost: tierCostSummary(tiersB, row.plan_b_tier),
        planAPriorAuthorization: row.plan_a_prior_authorization,
        planBPriorAuthorization: row.plan_b_prior_authorization,
      })),
      limit,
      (difference) => difference.rxnormId,
    );
    return {
      planA: a,
      planB: b,
      inBoth: count('SAME') + count(FormularyDifferenceKind.TIER_DIFFERS),
      onlyInA: count(FormularyDifferenceKind.ONLY_IN_A),
      onlyInB: count(FormularyDifferenceKind.ONLY_IN_B),
      tierDifferences: count(FormularyDifferenceKind.TIER_DIFFERS),
      differences,
    };
  }

  /** Per issuer with published plans in the state: the share of drug × plan entries flagged for PA, ST and QL. */
  priorAuthorizationRatesQuery(state: string): BuiltQuery {
    const params = new SqlParams();
    const sql = `
      SELECT p.issuer_id, i.name AS issuer_name, count(DISTINCT p.plan_id)::int AS plans,
             count(*)::int AS formulary_entries,
             count(*) FILTER (WHERE f.prior_authorization)::int AS prior_authorization_entries,
             round(avg(f.prior_authorization::int), 4) AS prior_authorization_rate,
             round(avg(f.step_therapy::int), 4) AS step_therapy_rate,
             round(avg(f.quantity_limit::int), 4) AS quantity_limit_rate
        FROM plan p
        JOIN issuer i ON i.current_version_id = p.version_id
        JOIN formulary_entry f ON f.version_id = p.version_id AND f.plan_id = p.plan_id
       WHERE p.state = ${params.add(state, 'char(2)')}
       GROUP BY p.issuer_id, i.name
       ORDER BY prior_authorization_rate DESC, p.issuer_id`;
    return { sql, params: params.values };
  }

  async priorAuthorizationRates(state: string): Promise<PriorAuthorizationRateModel[]> {
    const query = this.priorAuthorizationRatesQuery(state);
    const rows: PriorAuthorizationRow[] = await this.db.search(query.sql, query.params, RESEARCH_QUERY);
    return rows.map((row) => ({
      issuerId: row.issuer_id,
      issuerName: row.issuer_name,
      plans: row.plans,
      formularyEntries: row.formulary_entries,
      priorAuthorizationEntries: row.prior_authorization_entries,
      priorAuthorizationRate: row.prior_authorization_rate,
      stepTherapyRate: row.step_therapy_rate,
      quantityLimitRate: row.quantity_limit_rate,
    }));
  }
}
