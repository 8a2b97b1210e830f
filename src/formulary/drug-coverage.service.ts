import { Injectable } from '@nestjs/common';
import { Database, Reader } from '../database/database';
import { versionParameters } from '../database/version-pruning';
import { DrugTierModel } from '../plans/models/plan.model';
import { PlansService, PublishedPlanWithSources } from '../plans/plans.service';
import { PublishedVersions } from '../plans/published-versions';
import { coversYear } from '../providers/network.service';
import { summaryCostSharing } from '../qhp/cost-sharing-text';
import { restrictionWords } from '../qhp/vocabulary';
import { AnswerOutcome } from '../quality/models/answer-outcome';
import { ProvenanceModel, ProvenanceRecordType } from '../quality/models/provenance.model';
import { CoverageStatus, DrugCoverageModel, DrugCoverageReason, DrugModel } from './models/drug.model';

type PublishedPlan = PublishedPlanWithSources;

interface EntryRow {
  planId: string;
  rxnormId: string;
  drugTier: string;
  priorAuthorization: boolean;
  stepTherapy: boolean;
  quantityLimit: boolean;
  years: number[];
  /** The drugs file that listed this drug in the plan's version. */
  drugSourceFile: string | null;
  versionId: number;
}

/**
 * Where a drug answer comes from: the drug's record when the formulary lists it, otherwise the plan
 * record (whose formulary omits the drug, or whose year / formulary is not reported). Drug records have
 * no date in the QHP format, so lastUpdatedOn is the plan's: it defines the tiers and cost sharing.
 */
function drugProvenance(plan: PublishedPlan, entry: EntryRow | null): ProvenanceModel {
  return {
    issuerId: plan.issuerId,
    datasetVersionId: plan.versionId,
    recordType: entry ? ProvenanceRecordType.DRUG : ProvenanceRecordType.PLAN,
    sourceFile: entry ? entry.drugSourceFile : plan.sourceFile,
    lastUpdatedOn: plan.lastUpdatedOn,
  };
}

/** Answers "what does my drug cost on this plan?" for every RXCUI × plan pair. */
@Injectable()
export class DrugCoverageService {
  constructor(
    private readonly db: Database,
    private readonly plans: PlansService,
    private readonly versions: PublishedVersions,
  ) {}

  async checkDrugs(rxcuis: string[], planIds: string[], year?: number | null): Promise<DrugCoverageModel[]> {
    const uniqueDrugs = [...new Set(rxcuis)];
    const uniquePlans = [...new Set(planIds)];
    // One round trip (the batch), in the published versions only, so PostgreSQL reads just their
    // partitions (see versionParameters); PublishedVersions checks they were still the published ones.
    const [plans, entries, drugs, tiers] = await this.versions.consistently((snapshot, batch) => {
      const planVersions = snapshot.ofPlans(uniquePlans);
      return Promise.all([
        this.plans.findPublishedPlansWithSources(uniquePlans, batch),
        this.findEntries(uniqueDrugs, uniquePlans, planVersions, batch),
        this.findDrugs(uniqueDrugs, snapshot.ids, batch),
        this.plans.findPublishedTiersOfDrugs(uniqueDrugs, uniquePlans, planVersions, batch),
      ]);
    });
    const planById = new Map(plans.map((p) => [p.planId, p]));
    const drugById = new Map(drugs.map((d) => [d.rxnormId, d]));

    const answers: DrugCoverageModel[] = [];
    for (const rxnormId of uniqueDrugs) {
      for (const planId of uniquePlans) {
        const plan = planById.get(planId) ?? null;
        const entry = entries.find((e) => e.rxnormId === rxnormId && e.planId === planId && coversYear(e.years, year));
        const planTiers = entry ? (tiers.get(`${entry.versionId}:${planId}`) ?? []) : [];
        answers.push(this.answer(rxnormId, planId, year ?? null, plan, entry ?? null, drugById.get(rxnormId) ?? null, planTiers));
      }
    }
    return answers;
  }

  private answer(
    rxnormId: string,
    planId: string,
    year: number | null,
    plan: PublishedPlan | null,
    entry: EntryRow | null,
    drug: DrugModel | null,
    planTiers: DrugTierModel[],
  ): DrugCoverageModel {
    const drugName = drug?.drugName ?? `RXCUI ${rxnormId}`;
    const base = {
      rxnormId,
      planId,
      year,
      plan,
      drug,
      drugTier: null,
      priorAuthorization: null,
      stepTherapy: null,
      quantityLimit: null,
      mailOrder: null,
      costSharing: [],
      costSummary: null,
      provenance: plan ? drugProvenance(plan, null) : null,
    };
    // Every UNKNOWN means nothing is loaded for this plan and year: "not reported", never "not covered".
    const unknown = (reason: DrugCoverageReason, message: string): DrugCoverageModel => ({
      ...base,
      status: CoverageStatus.UNKNOWN,
      outcome: AnswerOutcome.NOT_REPORTED,
      reason,
      message,
    });

    if (!plan) return unknown(DrugCoverageReason.PLAN_NOT_LOADED, `Plan ${planId} is not loaded: no issuer has published it.`);
    if (!coversYear(plan.years, year)) {
      return unknown(DrugCoverageReason.YEAR_NOT_REPORTED, `Plan ${planId} is loaded for ${plan.years.join(', ')}, not for ${year}.`);
    }
    if (!plan.hasFormularyFiles) {
      return unknown(DrugCoverageReason.FORMULARY_NOT_REPORTED, `Issuer ${plan.issuerId} has not published a formulary for plan ${planId}.`);
    }
    if (!entry) {
      return {
        ...base,
        status: CoverageStatus.NOT_COVERED,
        outcome: AnswerOutcome.NOT_COVERED,
        reason: DrugCoverageReason.NOT_ON_FORMULARY,
        message: `${drugName} is not on the formulary of ${plan.marketingName}.`,
      };
    }
    const tier = planTiers.find((t) => t.drugTier === entry.drugTier) ?? null;
    const costSharing = tier?.costSharing ?? [];
    const summaryRule = summaryCostSharing(costSharing);
    const restrictions = restrictionWords(entry);
    return {
      ...base,
      status: CoverageStatus.COVERED,
      outcome: AnswerOutcome.COVERED,
      provenance: drugProvenance(plan, entry),
      reason: null,
      message:
        `${drugName} is covered by ${plan.marketingName} at the ${entry.drugTier} tier` +
        (summaryRule ? `: ${summaryRule.description}` : '') +
        (restrictions.length ? `; requires ${restrictions.join(', ')}` : '') +
        '.',
      drugTier: entry.drugTier,
      priorAuthorization: entry.priorAuthorization,
      stepTherapy: entry.stepTherapy,
      quantityLimit: entry.quantityLimit,
      mailOrder: tier?.mailOrder ?? null,
      costSharing,
      costSummary: summaryRule?.description ?? null,
    };
  }

  /** Formulary entries of these drugs in these plans, in the plans' published versions. */
  private async findEntries(rxcuis: string[], planIds: string[], versions: number[], reader: Reader): Promise<EntryRow[]> {
    if (!rxcuis.length || !versions.length) return [];
    const version = versionParameters(versions, 3);
    return reader.read(
      `SELECT f.plan_id AS "planId", f.rxnorm_id AS "rxnormId", f.drug_tier AS "drugTier",
              f.prior_authorization AS "priorAuthorization", f.step_therapy AS "stepTherapy",
              f.quantity_limit AS "quantityLimit", f.years, d.source_file AS "drugSourceFile", f.version_id AS "versionId"
         FROM formulary_entry f
         LEFT JOIN drug d ON d.version_id = f.version_id AND d.rxnorm_id = f.rxnorm_id AND ${version.in('d.version_id')}
        WHERE f.rxnorm_id = ANY($1::text[]) AND f.plan_id = ANY($2::char(14)[]) AND ${version.in('f.version_id')}`,
      [rxcuis, planIds, ...version.params],
    );
  }

  /**
   * Drug names across published formularies; issuers sometimes name one RXCUI differently. With the
   * published versions (a PublishedVersions snapshot), only their partitions are read.
   */
  async findDrugs(rxcuis: readonly string[], publishedVersions?: readonly number[], reader: Reader = this.db): Promise<DrugModel[]> {
    if (!rxcuis.length) return [];
    const published = publishedVersions ? versionParameters(publishedVersions, 2) : null;
    const rows: Array<{ rxnormId: string; names: string[] }> = await reader.read(
      `SELECT d.rxnorm_id AS "rxnormId", array_agg(DISTINCT d.drug_name ORDER BY d.drug_name) AS names
         FROM drug d ${published ? '' : 'JOIN issuer i ON i.current_version_id = d.version_id'}
        WHERE d.rxnorm_id = ANY($1::text[]) ${published ? `AND ${published.in('d.version_id')}` : ''}
        GROUP BY d.rxnorm_id`,
      [rxcuis, ...(published?.params ?? [])],
    );
    return rows.map((row) => ({ rxnormId: row.rxnormId, drugName: row.names[0], otherNames: row.names.slice(1) }));
  }
}
