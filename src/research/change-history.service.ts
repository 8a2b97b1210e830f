import { Injectable } from '@nestjs/common';
import { Database, RESEARCH_QUERY } from '../database/database';
import { issuerIdOfPlan } from '../common/identifiers';
import { decodeCursor, pageSize, toConnection } from '../common/pagination';
import { DrugTierModel } from '../plans/models/plan.model';
import { PlansService } from '../plans/plans.service';
import { tierCostSummary } from '../qhp/cost-sharing-text';
import { BuiltQuery, SqlParams } from '../search/sql-params';
import { userInputError } from '../search/user-input-error';
import {
  ComparedVersionModel,
  FormularyChangeKind,
  FormularyChangesModel,
  NetworkChangeKind,
  NetworkChangesModel,
  TierCostSharingChangeModel,
} from './change-history.model';

export interface VersionRange {
  sinceVersionId?: number | null;
  since?: Date | null;
  untilVersionId?: number | null;
}

interface LoadedVersion extends ComparedVersionModel {
  hasProviderFiles: boolean;
  hasFormularyFiles: boolean;
}

export interface ResolvedRange {
  planId: string;
  issuerId: string;
  from: LoadedVersion;
  to: LoadedVersion;
  note: string | null;
}

interface NetworkChangeRow {
  npi: string;
  change: NetworkChangeKind;
  network_tiers: string[];
  display_name: string | null;
}

interface FormularyChangeRow {
  rxnorm_id: string;
  drug_name: string | null;
  added: boolean;
  removed: boolean;
  tier_changed: boolean;
  cost_sharing_changed: boolean;
  restrictions_changed: boolean;
  drug_tier_before: string | null;
  drug_tier_after: string | null;
  prior_authorization_before: boolean | null;
  prior_authorization_after: boolean | null;
  step_therapy_before: boolean | null;
  step_therapy_after: boolean | null;
  quantity_limit_before: boolean | null;
  quantity_limit_after: boolean | null;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** What changed in one tier's cost sharing, per pharmacy type, between two loads. */
export function diffTierCostSharing(before: DrugTierModel[], after: DrugTierModel[]): TierCostSharingChangeModel[] {
  const rules = (tiers: DrugTierModel[]) =>
    new Map(tiers.flatMap((tier) => tier.costSharing.map((rule) => [`${tier.drugTier}\u0000${rule.pharmacyType}`, rule] as const)));
  const [was, is] = [rules(before), rules(after)];
  const terms = (rule: DrugTierModel['costSharing'][number] | undefined) =>
    rule ? JSON.stringify([rule.copayAmount, rule.copayOpt, rule.coinsuranceRate, rule.coinsuranceOpt]) : null;
  const changes: TierCostSharingChangeModel[] = [];
  for (const key of [...new Set([...was.keys(), ...is.keys()])].sort()) {
    if (terms(was.get(key)) === terms(is.get(key))) continue;
    const [drugTier, pharmacyType] = key.split('\u0000');
    changes.push({ drugTier, pharmacyType, before: was.get(key)?.description ?? null, after: is.get(key)?.description ?? null });
  }
  return changes;
}

/** Journalists' change history: what a plan's network and formulary gained and lost between two loads. */
/** The part of a change report that says which two versions were compared. */
function describeRange(planId: string, range: ResolvedRange) {
  return { planId, issuerId: range.issuerId, fromVersion: range.from, toVersion: range.to, note: range.note };
}

@Injectable()
export class ChangeHistoryService {
  constructor(
    private readonly db: Database,
    private readonly plans: PlansService,
  ) {}

  /**
   * The two versions of the plan's issuer to compare: `to` is untilVersionId or the published one; `from` is
   * sinceVersionId, or the version published at or just before `since`, or else the one published before `to`.
   */
  async resolveRange(planId: string, range: VersionRange, needs: 'provider' | 'formulary'): Promise<ResolvedRange> {
    if (range.sinceVersionId != null && range.since) throw userInputError('Pass sinceVersionId or since, not both', 'since');
    const issuerId = issuerIdOfPlan(planId);
    const [issuer] = await this.db.search(`SELECT current_version_id AS "currentVersionId" FROM issuer WHERE issuer_id = $1`, [issuerId]);
    const versions: LoadedVersion[] = await this.db.search(
      `SELECT id AS "versionId", status, published_at AS "publishedAt",
              has_provider_files AS "hasProviderFiles", has_formulary_files AS "hasFormularyFiles"
         FROM dataset_version
        WHERE issuer_id = $1 AND published_at IS NOT NULL AND status IN ('published', 'superseded')
        ORDER BY published_at, id`,
      [issuerId],
    );
    if (!issuer?.currentVersionId || !versions.length) throw userInputError(`Issuer ${issuerId} of plan ${planId} has no published data`, 'planId');
    const listed = versions.map((v) => `${v.versionId} (${day(v.publishedAt)})`).join(', ');
    const find = (versionId: number, field: string) => {
      const version = versions.find((v) => v.versionId === versionId);
      if (!version) throw userInputError(`Version ${versionId} is not a published version of issuer ${issuerId}; its versions: ${listed}`, field);
      return version;
    };

    const to = find(range.untilVersionId ?? issuer.currentVersionId, 'untilVersionId');
    let from: LoadedVersion;
    let note: string | null = null;
    if (range.sinceVersionId != null) {
      from = find(range.sinceVersionId, 'sinceVersionId');
    } else if (range.since) {
      const since = range.since;
      const atOrBefore = versions.filter((v) => v.publishedAt.getTime() <= since.getTime());
      from = atOrBefore[atOrBefore.length - 1] ?? versions[0];
      if (!atOrBefore.length) note = `No version was published by ${since.toISOString()}; comparing from the first one, published ${day(from.publishedAt)}.`;
    } else {
      const earlier = versions.filter((v) => v.publishedAt.getTime() < to.publishedAt.getTime());
      if (!earlier.length)
        throw userInputError(`Issuer ${issuerId} has no version published before version ${to.versionId}; its versions: ${listed}`, 'sinceVersionId');
      from = earlier[earlier.length - 1];
    }
    if (from.publishedAt.getTime() > to.publishedAt.getTime()) {
      throw userInputError(
        `Version ${from.versionId} was published after version ${to.versionId}: compare an earlier version to a later one`,
        'sinceVersionId',
      );
    }
    for (const version of [from, to]) {
      const reported = needs === 'provider' ? version.hasProviderFiles : version.hasFormularyFiles;
      if (!reported) {
        throw userInputError(
          `Version ${version.versionId} of issuer ${issuerId} has no ${needs === 'provider' ? 'provider directory' : 'formulary'} to compare`,
          'sinceVersionId',
        );
      }
    }
    return { planId, issuerId, from, to, note };
  }

  /** NPIs in the plan's network in one version and not the other (network_membership_plan_idx for each side). */
  private networkChangesCte(range: ResolvedRange, params: SqlParams): string {
    const [plan, from, to] = [params.add(range.planId, 'char(14)'), params.add(range.from.versionId, 'bigint'), params.add(range.to.versionId, 'bigint')];
    const side = (version: string) => `
        SELECT npi, array_agg(DISTINCT network_tier ORDER BY network_tier) AS tiers
          FROM network_membership
         WHERE plan_id = ${plan} AND version_id = ${version} AND npi IS NOT NULL
         GROUP BY npi`;
    return `
      WITH before AS (${side(from)}),
           after AS (${side(to)}),
           changes AS (
             SELECT coalesce(a.npi, b.npi) AS npi,
                    CASE WHEN b.npi IS NULL THEN '${NetworkChangeKind.ADDED}' ELSE '${NetworkChangeKind.DROPPED}' END AS change,
                    coalesce(a.tiers, b.tiers) AS network_tiers,
                    CASE WHEN b.npi IS NULL THEN ${to} ELSE ${from} END AS listed_in_version
               FROM before b FULL JOIN after a ON a.npi = b.npi
              WHERE a.npi IS NULL OR b.npi IS NULL)`;
  }

  /** The changes in NPI order, with the name listed in the version that has the provider; limit null = all (CSV). */
  buildNetworkChangesQuery(range: ResolvedRange, change: NetworkChangeKind | null, limit: number | null, afterNpi: string | null): BuiltQuery {
    const params = new SqlParams();
    const cte = this.networkChangesCte(range, params);
    const conditions = [change ? `c.change = ${params.add(change, 'text')}` : null, afterNpi ? `c.npi > ${params.add(afterNpi, 'char(10)')}` : null].filter(
      Boolean,
    );
    const sql = `${cte}
      SELECT c.npi, c.change, c.network_tiers,
             (SELECT p.display_name FROM provider p
               WHERE p.npi = c.npi AND p.version_id = c.listed_in_version ORDER BY p.record_no LIMIT 1) AS display_name
        FROM changes c
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY c.npi
       ${limit === null ? '' : `LIMIT ${params.add(limit, 'int')}`}`;
    return { sql, params: params.values };
  }

  async networkChanges(
    planId: string,
    range: VersionRange,
    change: NetworkChangeKind | null,
    first?: number | null,
    after?: string | null,
  ): Promise<NetworkChangesModel> {
    const limit = pageSize(first);
    const resolved = await this.resolveRange(planId, range, 'provider');
    const page = this.buildNetworkChangesQuery(resolved, change, limit + 1, decodeCursor<string>(after));
    const countParams = new SqlParams();
    const countSql = `${this.networkChangesCte(resolved, countParams)} SELECT change, count(*)::int AS providers FROM changes GROUP BY change`;
    const [rows, counts] = await Promise.all([
      this.db.search(page.sql, page.params, RESEARCH_QUERY) as Promise<NetworkChangeRow[]>,
      this.db.search(countSql, countParams.values, RESEARCH_QUERY) as Promise<Array<{ change: string; providers: number }>>,
    ]);
    const count = (kind: NetworkChangeKind) => counts.find((c) => c.change === kind)?.providers ?? 0;
    return {
      ...describeRange(planId, resolved),
      added: count(NetworkChangeKind.ADDED),
      dropped: count(NetworkChangeKind.DROPPED),
      changes: toConnection(
        rows.map((row) => ({ npi: row.npi, displayName: row.display_name, change: row.change, networkTiers: row.network_tiers })),
        limit,
        (row) => row.npi,
      ),
    };
  }

  /**
   * Formulary entries of both versions side by side on RXCUI (primary key prefix (version_id, plan_id) each),
   * with a fingerprint of each tier's cost sharing so a changed copay shows on every drug of that tier.
   */
  private formularyChangesCte(range: ResolvedRange, params: SqlParams): string {
    const [plan, from, to] = [params.add(range.planId, 'char(14)'), params.add(range.from.versionId, 'bigint'), params.add(range.to.versionId, 'bigint')];
    const side = (version: string) => `
        SELECT f.rxnorm_id, f.drug_tier, f.prior_authorization, f.step_therapy, f.quantity_limit, tc.fingerprint
          FROM formulary_entry f
          LEFT JOIN tier_costs tc ON tc.version_id = f.version_id AND tc.drug_tier = f.drug_tier
         WHERE f.version_id = ${version} AND f.plan_id = ${plan}`;
    return `
      WITH tier_costs AS (
             SELECT version_id, drug_tier,
                    string_agg(ROW(pharmacy_type, copay_amount, copay_opt, coinsurance_rate, coinsurance_opt)::text, ';' ORDER BY pharmacy_type) AS fingerprint
               FROM tier_cost_sharing
              WHERE plan_id = ${plan} AND version_id IN (${from}, ${to})
              GROUP BY version_id, drug_tier),
           before AS (${side(from)}),
           after AS (${side(to)}),
           changes AS (
             SELECT coalesce(a.rxnorm_id, b.rxnorm_id) AS rxnorm_id,
                    b.rxnorm_id IS NULL AS added,
                    a.rxnorm_id IS NULL AS removed,
                    coalesce(a.drug_tier <> b.drug_tier, false) AS tier_changed,
                    coalesce(a.fingerprint IS DISTINCT FROM b.fingerprint AND a.rxnorm_id = b.rxnorm_id, false) AS cost_sharing_changed,
                    coalesce((a.prior_authorization, a.step_therapy, a.quantity_limit) IS DISTINCT FROM (b.prior_authorization, b.step_therapy, b.quantity_limit)
                             AND a.rxnorm_id = b.rxnorm_id, false) AS restrictions_changed,
                    b.drug_tier AS drug_tier_before, a.drug_tier AS drug_tier_after,
                    b.prior_authorization AS prior_authorization_before, a.prior_authorization AS prior_authorization_after,
                    b.step_therapy AS step_therapy_before, a.step_therapy AS step_therapy_after,
                    b.quantity_limit AS quantity_limit_before, a.quantity_limit AS quantity_limit_after
               FROM before b FULL JOIN after a ON a.rxnorm_id = b.rxnorm_id)`;
  }

  buildFormularyChangesQuery(range: ResolvedRange, limit: number | null, afterRxcui: string | null): BuiltQuery {
    const params = new SqlParams();
    const cte = this.formularyChangesCte(range, params);
    const sql = `${cte}
      SELECT c.rxnorm_id, coalesce(da.drug_name, db.drug_name) AS drug_name,
             c.added, c.removed, c.tier_changed, c.cost_sharing_changed, c.restrictions_changed,
             c.drug_tier_before, c.drug_tier_after, c.prior_authorization_before, c.prior_authorization_after,
             c.step_therapy_before, c.step_therapy_after, c.quantity_limit_before, c.quantity_limit_after
        FROM changes c
        LEFT JOIN drug da ON da.version_id = ${params.add(range.to.versionId, 'bigint')} AND da.rxnorm_id = c.rxnorm_id
        LEFT JOIN drug db ON db.version_id = ${params.add(range.from.versionId, 'bigint')} AND db.rxnorm_id = c.rxnorm_id
       WHERE (c.added OR c.removed OR c.tier_changed OR c.cost_sharing_changed OR c.restrictions_changed)
             ${afterRxcui ? `AND c.rxnorm_id > ${params.add(afterRxcui, 'text')}` : ''}
       ORDER BY c.rxnorm_id
       ${limit === null ? '' : `LIMIT ${params.add(limit, 'int')}`}`;
    return { sql, params: params.values };
  }

  async formularyChanges(planId: string, range: VersionRange, first?: number | null, after?: string | null): Promise<FormularyChangesModel> {
    const limit = pageSize(first);
    const resolved = await this.resolveRange(planId, range, 'formulary');
    const page = this.buildFormularyChangesQuery(resolved, limit + 1, decodeCursor<string>(after));
    const countParams = new SqlParams();
    const countSql = `${this.formularyChangesCte(resolved, countParams)}
      SELECT count(*) FILTER (WHERE added)::int AS added, count(*) FILTER (WHERE removed)::int AS removed,
             count(*) FILTER (WHERE tier_changed)::int AS "tierChanged",
             count(*) FILTER (WHERE cost_sharing_changed)::int AS "costSharingChanged",
             count(*) FILTER (WHERE restrictions_changed)::int AS "restrictionsChanged"
        FROM changes`;
    const fromKey = { versionId: resolved.from.versionId, planId };
    const toKey = { versionId: resolved.to.versionId, planId };
    const [rows, [counts], tiers] = await Promise.all([
      this.db.search(page.sql, page.params, RESEARCH_QUERY) as Promise<FormularyChangeRow[]>,
      this.db.search(countSql, countParams.values, RESEARCH_QUERY),
      this.plans.findDrugTiers([fromKey, toKey]),
    ]);
    const tiersBefore = tiers.get(`${fromKey.versionId}:${planId}`) ?? [];
    const tiersAfter = tiers.get(`${toKey.versionId}:${planId}`) ?? [];
    const kinds = (row: FormularyChangeRow): FormularyChangeKind[] =>
      [
        row.added && FormularyChangeKind.ADDED,
        row.removed && FormularyChangeKind.REMOVED,
        row.tier_changed && FormularyChangeKind.TIER_CHANGED,
        row.cost_sharing_changed && FormularyChangeKind.COST_SHARING_CHANGED,
        row.restrictions_changed && FormularyChangeKind.RESTRICTIONS_CHANGED,
      ].filter((kind): kind is FormularyChangeKind => !!kind);
    return {
      ...describeRange(planId, resolved),
      ...counts,
      tierCostSharingChanges: diffTierCostSharing(tiersBefore, tiersAfter),
      changes: toConnection(
        rows.map((row) => ({
          rxnormId: row.rxnorm_id,
          drugName: row.drug_name,
          changes: kinds(row),
          drugTierBefore: row.drug_tier_before,
          drugTierAfter: row.drug_tier_after,
          costBefore: tierCostSummary(tiersBefore, row.drug_tier_before),
          costAfter: tierCostSummary(tiersAfter, row.drug_tier_after),
          priorAuthorizationBefore: row.prior_authorization_before,
          priorAuthorizationAfter: row.prior_authorization_after,
          stepTherapyBefore: row.step_therapy_before,
          stepTherapyAfter: row.step_therapy_after,
          quantityLimitBefore: row.quantity_limit_before,
          quantityLimitAfter: row.quantity_limit_after,
        })),
        limit,
        (row) => row.rxnormId,
      ),
    };
  }
}
