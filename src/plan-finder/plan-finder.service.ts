import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { CoverageStatus } from '../formulary/models/drug.model';
import { DrugCoverageService } from '../formulary/drug-coverage.service';
import { PlanModel } from '../plans/models/plan.model';
import { PlansService } from '../plans/plans.service';
import { NetworkStatus } from '../providers/models/provider.model';
import { NetworkService } from '../providers/network.service';
import { estimateMonthlyDrugCost } from '../search/monthly-drug-cost';
import { userInputError } from '../search/user-input-error';
import { zipCentroid } from '../search/zip-centroids';
import { stateOfCountyFips } from './county-fips';
import { FindPlansArgs, MAX_CANDIDATE_PLANS } from './find-plans.args';
import { FoundPlanModel, PlanSearchModel } from './find-plans.model';

const DEFAULT_FIRST = 20;

/**
 * Plans for a shopper who knows their doctors and drugs but not plan ids: the published plans of a state
 * and year (optionally of some metal levels or one issuer), each checked with the same network and drug
 * answers as networkCoverage and drugCoverage, ranked by how many of the doctors and drugs they cover and
 * then by the estimated monthly drug cost.
 */
@Injectable()
export class PlanFinderService {
  constructor(
    private readonly db: Database,
    private readonly plans: PlansService,
    private readonly network: NetworkService,
    private readonly drugCoverage: DrugCoverageService,
  ) {}

  async findPlans(args: FindPlansArgs): Promise<PlanSearchModel> {
    const state = this.stateOf(args);
    const npis = [...new Set(args.npis ?? [])];
    const rxnormIds = [...new Set(args.rxnormIds ?? [])];
    const candidates = await this.candidatePlanIds(state, args);
    if (candidates.length > MAX_CANDIDATE_PLANS) {
      throw userInputError(
        `More than ${MAX_CANDIDATE_PLANS} published plans in ${state} for ${args.year}: narrow the search with metalLevels or issuerId`,
        'state',
      );
    }
    const [published, doctors, drugs] = await Promise.all([
      this.plans.findPublishedPlans(candidates),
      npis.length && candidates.length ? this.network.checkNetwork(npis, candidates, args.year) : [],
      rxnormIds.length && candidates.length ? this.drugCoverage.checkDrugs(rxnormIds, candidates, args.year) : [],
    ]);
    const planById = new Map(published.map((plan) => [plan.planId, plan]));

    const found = candidates
      .filter((planId) => planById.has(planId))
      .map((planId): Omit<FoundPlanModel, 'rank'> => {
        const planDoctors = doctors.filter((d) => d.planId === planId);
        const planDrugs = drugs.filter((d) => d.planId === planId);
        const inNetwork = new Set(planDoctors.filter((d) => d.status === NetworkStatus.IN_NETWORK).map((d) => d.npi));
        const covered = new Set(planDrugs.filter((d) => d.status === CoverageStatus.COVERED).map((d) => d.rxnormId));
        const cost = estimateMonthlyDrugCost(planDrugs);
        return {
          planId,
          plan: planById.get(planId) as PlanModel,
          coversAll: inNetwork.size === npis.length && covered.size === rxnormIds.length,
          doctorsInNetwork: inNetwork.size,
          doctorsUnknown: planDoctors.filter((d) => d.status === NetworkStatus.UNKNOWN).length,
          doctorsTotal: npis.length,
          npisNotInNetwork: npis.filter((npi) => !inNetwork.has(npi)),
          drugsCovered: covered.size,
          drugsTotal: rxnormIds.length,
          rxnormIdsNotCovered: rxnormIds.filter((rxcui) => !covered.has(rxcui)),
          estimatedMonthlyDrugCost: cost.estimatedMonthlyDrugCost,
          monthlyCopayTotal: cost.monthlyCopayTotal,
          costNotes: cost.costNotes,
        };
      })
      .sort(compareFound);

    let rank = 0;
    let previous: Omit<FoundPlanModel, 'rank'> | null = null;
    const ranked = found.map((plan, index): FoundPlanModel => {
      // Plans that tie on every ranking criterion share a rank (1, 1, 3).
      if (!previous || compareFound(previous, plan) !== 0 || previous.monthlyCopayTotal !== plan.monthlyCopayTotal) rank = index + 1;
      previous = plan;
      return { rank, ...plan };
    });
    const coveringAll = ranked.filter((plan) => plan.coversAll);
    const notes = [
      `${ranked.length} published ${ranked.length === 1 ? 'plan' : 'plans'} in ${state} for ${args.year}` +
        `${args.metalLevels?.length ? ` (${args.metalLevels.join(', ')})` : ''}${args.issuerId ? ` of issuer ${args.issuerId}` : ''}; ` +
        `${coveringAll.length} cover every chosen doctor and drug.`,
    ];
    if (args.zip || args.countyFips) {
      notes.push("Carriers' QHP files do not state service areas: every plan of the state is listed; check that the plan is sold in your county.");
    }
    return {
      state,
      plansConsidered: ranked.length,
      plansCoveringAll: coveringAll.length,
      plans: (args.coveringAll ? coveringAll : ranked).slice(0, args.first ?? DEFAULT_FIRST),
      note: notes.join(' '),
    };
  }

  /** The state searched: given, or that of the ZIP or county, which must agree with each other. */
  private stateOf(args: FindPlansArgs): string {
    let state = args.state ?? null;
    if (args.zip != null) {
      const zipState = zipCentroid(args.zip, 'zip').state;
      if (state && zipState !== state) throw userInputError(`ZIP code ${args.zip} is in ${zipState}, not ${state}`, 'zip');
      state = zipState;
    }
    if (args.countyFips != null) {
      const countyState = stateOfCountyFips(args.countyFips);
      if (!countyState) throw userInputError(`Unknown county FIPS code ${args.countyFips}: its first two digits name no state`, 'countyFips');
      if (state && countyState !== state) throw userInputError(`County ${args.countyFips} is in ${countyState}, not ${state}`, 'countyFips');
      state = countyState;
    }
    if (!state) throw userInputError('Give a state, a zip or a countyFips to say where the plans are sold', 'state');
    return state;
  }

  /** Published plans of the state and year (and metal levels, issuer), in plan id order; one more than the cap tells it was passed. */
  private async candidatePlanIds(state: string, args: FindPlansArgs): Promise<string[]> {
    const rows: Array<{ planId: string }> = await this.db.read(
      `SELECT p.plan_id AS "planId"
         FROM plan p JOIN issuer i ON i.current_version_id = p.version_id
        WHERE p.state = $1
          AND $2::int = ANY(p.years)
          AND ($3::text[] IS NULL OR lower(p.metal_level) = ANY($3::text[]))
          AND ($4::text IS NULL OR p.issuer_id = $4)
        ORDER BY p.plan_id
        LIMIT $5`,
      [state, args.year, args.metalLevels?.length ? args.metalLevels.map((m) => m.toLowerCase()) : null, args.issuerId ?? null, MAX_CANDIDATE_PLANS + 1],
    );
    return rows.map((row) => row.planId);
  }
}

/** Best first: more doctors in network and drugs covered, then a known and lower monthly estimate, then plan id. */
function compareFound(a: Omit<FoundPlanModel, 'rank'>, b: Omit<FoundPlanModel, 'rank'>): number {
  if (a.coversAll !== b.coversAll) return a.coversAll ? -1 : 1;
  const covered = b.doctorsInNetwork + b.drugsCovered - (a.doctorsInNetwork + a.drugsCovered);
  if (covered) return covered;
  const aCost = a.estimatedMonthlyDrugCost ?? Number.POSITIVE_INFINITY;
  const bCost = b.estimatedMonthlyDrugCost ?? Number.POSITIVE_INFINITY;
  if (aCost !== bCost) return aCost - bCost;
  return a.monthlyCopayTotal - b.monthlyCopayTotal;
}
