import { Injectable } from '@nestjs/common';
import { Database, Reader } from '../database/database';
import { versionParameters } from '../database/version-pruning';
import { decodeCursor, pageSize, toConnection } from '../common/pagination';
import { describeCostSharing } from '../qhp/cost-sharing-text';
import { CostSharingModel, DrugTierModel, IssuerModel, PlanModel } from './models/plan.model';

export interface PlanFilter {
  issuerId?: string | null;
  state?: string | null;
  year?: number | null;
  metalLevel?: string | null;
}

const PLAN_COLUMNS = `
  p.plan_id AS "planId", p.plan_id_type AS "planIdType", p.issuer_id AS "issuerId", p.state,
  p.marketing_name AS "marketingName", p.metal_level AS "metalLevel", p.summary_url AS "summaryUrl",
  p.marketing_url AS "marketingUrl", p.formulary_url AS "formularyUrl", p.plan_contact AS "planContact",
  p.years, p.network_tiers AS "networkTiers", p.last_updated_on AS "lastUpdatedOn", p.version_id AS "versionId"`;

/** A published plan with what its dataset version holds, for telling "not covered" from "not reported". */
export interface PublishedPlanWithSources extends PlanModel {
  hasProviderFiles: boolean;
  hasFormularyFiles: boolean;
  sourceFile: string | null;
}

/** Plans as published: every read goes through issuer.current_version_id. */
@Injectable()
export class PlansService {
  constructor(private readonly db: Database) {}

  /** Published plans among `planIds`, in no particular order; unknown ids are simply absent. */
  async findPublishedPlans(planIds: readonly string[]): Promise<PlanModel[]> {
    if (!planIds.length) return [];
    return this.db.read(
      `SELECT ${PLAN_COLUMNS}
         FROM plan p JOIN issuer i ON i.current_version_id = p.version_id
        WHERE p.plan_id = ANY($1::char(14)[])`,
      [planIds],
    );
  }

  /** Like findPublishedPlans, plus whether the version loaded provider and drug files, and the plan's file. */
  async findPublishedPlansWithSources(planIds: readonly string[], reader: Reader = this.db): Promise<PublishedPlanWithSources[]> {
    if (!planIds.length) return [];
    return reader.read(
      `SELECT ${PLAN_COLUMNS}, v.has_provider_files AS "hasProviderFiles",
              v.has_formulary_files AS "hasFormularyFiles", p.source_file AS "sourceFile"
         FROM plan p
         JOIN issuer i ON i.current_version_id = p.version_id
         JOIN dataset_version v ON v.id = p.version_id
        WHERE p.plan_id = ANY($1::char(14)[])`,
      [planIds],
    );
  }

  async findPlan(planId: string): Promise<PlanModel | null> {
    const [plan] = await this.findPublishedPlans([planId]);
    return plan ?? null;
  }

  async listPlans(filter: PlanFilter, first?: number | null, after?: string | null) {
    const limit = pageSize(first);
    const afterPlanId = decodeCursor<string>(after);
    const rows: PlanModel[] = await this.db.read(
      `SELECT ${PLAN_COLUMNS}
         FROM plan p JOIN issuer i ON i.current_version_id = p.version_id
        WHERE ($1::text IS NULL OR p.issuer_id = $1)
          AND ($2::text IS NULL OR p.state = $2)
          AND ($3::int IS NULL OR $3 = ANY(p.years))
          AND ($4::text IS NULL OR lower(p.metal_level) = lower($4))
          AND ($5::text IS NULL OR p.plan_id > $5)
        ORDER BY p.plan_id
        LIMIT $6`,
      [filter.issuerId ?? null, filter.state ?? null, filter.year ?? null, filter.metalLevel ?? null, afterPlanId, limit + 1],
    );
    return toConnection(rows, limit, (plan) => plan.planId);
  }

  async findIssuers(issuerIds: readonly string[]): Promise<IssuerModel[]> {
    return this.db.read(
      `SELECT issuer_id AS "issuerId", name, state, current_version_id AS "currentVersionId"
         FROM issuer WHERE issuer_id = ANY($1::char(5)[])`,
      [issuerIds],
    );
  }

  /** Drug tiers with their cost sharing for (version, plan) pairs, keyed "version:plan". */
  async findDrugTiers(keys: ReadonlyArray<{ versionId: number; planId: string }>): Promise<Map<string, DrugTierModel[]>> {
    if (!keys.length) return new Map();
    return this.readDrugTiers(
      `JOIN unnest($1::bigint[], $2::char(14)[]) AS k(version_id, plan_id) ON k.version_id = t.version_id AND k.plan_id = t.plan_id`,
      'TRUE',
      [keys.map((k) => k.versionId), keys.map((k) => k.planId)],
    );
  }

  /**
   * The tiers that formulary entries of these drugs in these plans' published versions are on, keyed
   * "version:plan" (each tier once, however many of the drugs are on it).
   */
  async findPublishedTiersOfDrugs(
    rxcuis: readonly string[],
    planIds: readonly string[],
    versions: readonly number[],
    reader: Reader = this.db,
  ): Promise<Map<string, DrugTierModel[]>> {
    if (!rxcuis.length || !versions.length) return new Map();
    const version = versionParameters(versions, 3);
    return this.readDrugTiers(
      '',
      `t.plan_id = ANY($2::char(14)[]) AND ${version.in('t.version_id')}
          AND EXISTS (SELECT 1 FROM formulary_entry f
                       WHERE f.version_id = t.version_id AND f.plan_id = t.plan_id AND f.drug_tier = t.drug_tier
                         AND f.rxnorm_id = ANY($1::text[]) AND ${version.in('f.version_id')})`,
      [rxcuis, planIds, ...version.params],
      reader,
    );
  }

  /** Tiers `t` (plan_drug_tier) selected by `joins` and `where`, with their cost sharing, keyed "version:plan". */
  private async readDrugTiers(joins: string, where: string, parameters: unknown[], reader: Reader = this.db): Promise<Map<string, DrugTierModel[]>> {
    const rows: Array<{ versionId: number; planId: string; drugTier: string; mailOrder: boolean; costSharing: Omit<CostSharingModel, 'description'>[] }> =
      await reader.read(
        `SELECT t.version_id AS "versionId", t.plan_id AS "planId", t.drug_tier AS "drugTier", t.mail_order AS "mailOrder",
                COALESCE(json_agg(json_build_object(
                  'pharmacyType', c.pharmacy_type, 'copayAmount', c.copay_amount, 'copayOpt', c.copay_opt,
                  'coinsuranceRate', c.coinsurance_rate, 'coinsuranceOpt', c.coinsurance_opt)
                  ORDER BY c.pharmacy_type) FILTER (WHERE c.pharmacy_type IS NOT NULL), '[]') AS "costSharing"
           FROM plan_drug_tier t
           ${joins}
           LEFT JOIN tier_cost_sharing c
             ON c.version_id = t.version_id AND c.plan_id = t.plan_id AND c.drug_tier = t.drug_tier
          WHERE ${where}
          GROUP BY t.version_id, t.plan_id, t.drug_tier, t.mail_order
          ORDER BY t.plan_id, t.drug_tier`,
        parameters,
      );
    const result = new Map<string, DrugTierModel[]>();
    for (const row of rows) {
      const key = `${row.versionId}:${row.planId}`;
      const tier: DrugTierModel = {
        drugTier: row.drugTier,
        mailOrder: row.mailOrder,
        costSharing: row.costSharing.map((c) => ({ ...c, description: describeCostSharing(c) })),
      };
      result.set(key, [...(result.get(key) ?? []), tier]);
    }
    return result;
  }
}
