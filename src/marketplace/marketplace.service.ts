import { Injectable } from '@nestjs/common';
import { npiProblem, planIdProblem, rxcuiProblem } from '../common/identifiers';
import { Connection } from '../common/pagination';
import { DatasetVersionsService } from '../datasets/dataset-versions.service';
import { DrugCoverageService } from '../formulary/drug-coverage.service';
import { GenericEquivalentsService } from '../formulary/generic-equivalents.service';
import { CoverageStatus, DrugCoverageModel, DrugModel } from '../formulary/models/drug.model';
import { CostSharingModel, PlanModel } from '../plans/models/plan.model';
import { PlansService } from '../plans/plans.service';
import { DrugReferenceService, DrugIngredientRow } from '../pricing/drug-reference.service';
import { GenericCoveredModel } from '../pricing/models/generic-covered.model';
import { NetworkCheckModel, ProviderAddressModel, ProviderListingModel } from '../providers/models/provider.model';
import { NetworkService } from '../providers/network.service';
import { AnswerOutcome } from '../quality/models/answer-outcome';
import { ProvenanceModel } from '../quality/models/provenance.model';
import { DrugSearchService } from '../search/drug-search.service';
import { ProviderKind, ProviderSearchResultModel } from '../search/provider-search.model';
import { ProviderSearchService } from '../search/provider-search.service';
import { MarketplaceProviderType } from './dto/marketplace-query.dto';
import {
  AddressDto,
  CostSharingDto,
  CoverageSearchResponseDto,
  CoverageStatsDto,
  DetailedAddressDto,
  DrugCoverageDto,
  DrugCoverageResponseDto,
  DrugDto,
  MarketplaceAccepting,
  MarketplaceCoverage,
  NearbyProviderDto,
  PlanDto,
  PlanResponseDto,
  ProvenanceDto,
  ProviderCoverageDto,
  ProviderCoverageResponseDto,
  ProviderDto,
  ProviderResponseDto,
} from './dto/marketplace-response.dto';
import { drugNotFound, invalidInput, planNotFound, providerNotFound } from './marketplace-errors';

/** Results per page of the Marketplace autocompletes (a typeahead shows a handful). */
export const AUTOCOMPLETE_SIZE = 10;
/** Results per page of the Marketplace searches. */
export const SEARCH_PAGE_SIZE = 20;

/** The shared answers' outcome in the Marketplace's words (GenericCovered is decided by the caller). */
export function marketplaceCoverage(outcome: AnswerOutcome): MarketplaceCoverage {
  switch (outcome) {
    case AnswerOutcome.COVERED:
      return 'Covered';
    case AnswerOutcome.NOT_COVERED:
      return 'NotCovered';
    default:
      return 'DataNotProvided';
  }
}

export function marketplaceAccepting(accepting: string | null | undefined): MarketplaceAccepting {
  return accepting === 'accepting' || accepting === 'not accepting' || accepting === 'accepting in some locations' ? accepting : 'unknown';
}

const PROVIDER_TYPE_NAMES: Record<string, MarketplaceProviderType> = {
  [ProviderKind.INDIVIDUAL]: 'Individual',
  [ProviderKind.FACILITY]: 'Facility',
  [ProviderKind.GROUP]: 'Group',
};
const PROVIDER_KINDS: Record<MarketplaceProviderType, ProviderKind> = {
  Individual: ProviderKind.INDIVIDUAL,
  Facility: ProviderKind.FACILITY,
  Group: ProviderKind.GROUP,
};

function address(a: ProviderAddressModel): AddressDto {
  return { street_1: a.address, ...(a.address2 ? { street_2: a.address2 } : {}), city: a.city, state: a.state, zipcode: a.zip };
}

function detailedAddress(a: ProviderAddressModel): DetailedAddressDto {
  return { ...address(a), phone: a.phone, latitude: a.latitude, longitude: a.longitude };
}

function provenance(p: ProvenanceModel | null): ProvenanceDto | null {
  if (!p) return null;
  return {
    issuer_id: p.issuerId,
    dataset_version_id: Number(p.datasetVersionId),
    record_type: p.recordType,
    source_file: p.sourceFile,
    last_updated_on: p.lastUpdatedOn,
  };
}

function costSharing(c: CostSharingModel): CostSharingDto {
  return {
    pharmacy_type: c.pharmacyType,
    copay_amount: c.copayAmount,
    copay_opt: c.copayOpt,
    coinsurance_rate: c.coinsuranceRate,
    coinsurance_opt: c.coinsuranceOpt,
    display_string: c.description,
  };
}

export function providerCoverage(answer: NetworkCheckModel, details: boolean): ProviderCoverageDto {
  const coverage = marketplaceCoverage(answer.outcome);
  const result: ProviderCoverageDto = {
    npi: answer.npi,
    plan_id: answer.planId,
    coverage,
    addresses: coverage === 'Covered' ? answer.addresses.map(address) : [],
    accepting: coverage === 'Covered' ? marketplaceAccepting(answer.accepting) : 'unknown',
  };
  if (details) {
    result.details = {
      status: answer.status,
      outcome: answer.outcome,
      reason: answer.reason,
      message: answer.message,
      network_tiers: answer.networkTiers,
      accepting_new_patients: answer.acceptingNewPatients,
      provider_name: answer.provider?.displayName ?? null,
      addresses: answer.addresses.map(detailedAddress),
      provenance: provenance(answer.provenance),
    };
  }
  return result;
}

export function drugCoverage(answer: DrugCoverageModel, generic: GenericCoveredModel | null, details: boolean): DrugCoverageDto {
  const coverage: MarketplaceCoverage = generic ? 'GenericCovered' : marketplaceCoverage(answer.outcome);
  const result: DrugCoverageDto = { rxcui: answer.rxnormId, plan_id: answer.planId, coverage };
  if (generic) result.generic_rxcui = generic.rxnormId;
  if (details) {
    result.details = {
      status: answer.status,
      outcome: answer.outcome,
      reason: answer.reason,
      message: answer.message,
      drug_name: answer.drug?.drugName ?? null,
      drug_tier: answer.drugTier,
      prior_authorization: answer.priorAuthorization,
      step_therapy: answer.stepTherapy,
      quantity_limit: answer.quantityLimit,
      mail_order: answer.mailOrder,
      cost_sharing: answer.costSharing.map(costSharing),
      cost_summary: answer.costSummary,
      generic: generic
        ? {
            rxcui: generic.rxnormId,
            name: generic.drugName,
            drug_tier: generic.drugTier,
            cost_summary: generic.costSummary,
            cost_sharing: generic.costSharing.map(costSharing),
          }
        : null,
      provenance: provenance(answer.provenance),
    };
  }
  return result;
}

export function drug(d: DrugModel, ingredient: DrugIngredientRow | undefined): DrugDto {
  return {
    id: d.rxnormId,
    name: ingredient?.drugName || d.drugName,
    rxcui: d.rxnormId,
    ...(ingredient?.strength ? { strength: ingredient.strength } : {}),
    full_name: d.drugName,
    ...(ingredient?.doseForm ? { rxnorm_dose_form: ingredient.doseForm } : {}),
  };
}

export function provider(listing: ProviderListingModel): ProviderDto {
  return {
    npi: listing.npi ?? '',
    name: listing.displayName,
    type: PROVIDER_TYPE_NAMES[listing.type] ?? listing.type,
    ...(listing.gender ? { gender: listing.gender } : {}),
    specialties: listing.specialties,
    languages: listing.languages,
    accepting: marketplaceAccepting(listing.accepting),
    facility_types: listing.facilityTypes,
  };
}

function nearbyProvider(result: ProviderSearchResultModel): NearbyProviderDto {
  const nearest = result.nearestAddress ?? result.listing.addresses[0] ?? null;
  return {
    provider: provider(result.listing),
    ...(nearest ? { address: address(nearest) } : {}),
    distance: result.distanceMiles == null ? 0 : Number(result.distanceMiles),
  };
}

/** One result per NPI (an NPI several issuers list appears once, at its first, best-ranked, listing). */
function onePerNpi(results: ProviderSearchResultModel[]): ProviderSearchResultModel[] {
  const seen = new Set<string>();
  return results.filter((r) => {
    const key = r.listing.npi ?? `${r.listing.versionId}:${r.listing.recordNo}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ProviderSearchRequest {
  q: string;
  zipcode: string;
  types?: MarketplaceProviderType[];
  specialty?: string;
  year?: number;
  cursor?: string;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  /** Cursor of the next page, when there is one. */
  nextCursor: string | null;
}

function pageOf<T, R>(connection: Connection<T>, map: (nodes: T[]) => R[]): Page<R> {
  return {
    items: map(connection.edges.map((edge) => edge.node)),
    nextCursor: connection.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null,
  };
}

/**
 * The Marketplace API's answers, computed by the same services as the GraphQL API (network, formulary,
 * generics, search, plans), then written in the Marketplace's shapes. No coverage rule lives here.
 */
@Injectable()
export class MarketplaceService {
  constructor(
    private readonly network: NetworkService,
    private readonly drugCoverage: DrugCoverageService,
    private readonly generics: GenericEquivalentsService,
    private readonly providerSearch: ProviderSearchService,
    private readonly drugSearch: DrugSearchService,
    private readonly plans: PlansService,
    private readonly reference: DrugReferenceService,
    private readonly datasets: DatasetVersionsService,
  ) {}

  async providersCovered(npis: string[], planIds: string[], year: number | undefined, details: boolean): Promise<ProviderCoverageResponseDto> {
    const answers = await this.network.checkNetwork(npis, planIds, year);
    return { coverage: answers.map((answer) => providerCoverage(answer, details)) };
  }

  /**
   * Drug answers, with GenericCovered where GraphQL's `genericCovered` finds a covered generic: the
   * brand NOT_COVERED on a loaded formulary and a generic equivalent (per the crosswalk) on it.
   */
  async drugsCovered(rxcuis: string[], planIds: string[], year: number | undefined, details: boolean): Promise<DrugCoverageResponseDto> {
    const answers = await this.drugCoverage.checkDrugs(rxcuis, planIds, year);
    const notCovered = answers.filter((a) => a.status === CoverageStatus.NOT_COVERED && a.plan);
    const generics = notCovered.length
      ? await this.generics.findCoveredGenerics(notCovered.map((a) => ({ rxnormId: a.rxnormId, planId: a.planId, versionId: a.plan!.versionId, year: a.year })))
      : [];
    const genericOf = new Map(notCovered.map((a, i) => [a, generics[i] ?? null]));
    return { coverage: answers.map((answer) => drugCoverage(answer, genericOf.get(answer) ?? null, details)) };
  }

  async searchDrugs(q: string, pageSize: number, cursor?: string): Promise<Page<DrugDto>> {
    const connection = await this.drugSearch.searchDrugs(q.trim(), pageSize, cursor ?? null);
    const nodes = connection.edges.map((edge) => edge.node);
    const ingredients = await this.ingredientsOf(nodes.map((d) => d.rxnormId));
    return pageOf(connection, (drugs) => drugs.map((d) => drug(d, ingredients.get(d.rxnormId))));
  }

  async findDrug(rxcui: string): Promise<{ drug: DrugDto }> {
    const problem = rxcuiProblem(rxcui);
    if (problem) throw invalidInput('drugs', `rxcui: ${problem}`);
    const [found] = await this.drugCoverage.findDrugs([rxcui]);
    if (!found) throw drugNotFound(`RxCUI ${rxcui} is on no published formulary`);
    const ingredients = await this.ingredientsOf([rxcui]);
    return { drug: drug(found, ingredients.get(rxcui)) };
  }

  async searchProviders(request: ProviderSearchRequest): Promise<Page<NearbyProviderDto>> {
    const types = request.types?.length ? [...new Set(request.types)].map((t) => PROVIDER_KINDS[t]) : null;
    const connection = await this.providerSearch.search(
      {
        name: request.q,
        zip: request.zipcode,
        specialty: request.specialty ?? null,
        year: request.year ?? null,
        types: types && types.length < Object.keys(PROVIDER_KINDS).length ? types : null,
      },
      null,
      request.pageSize,
      request.cursor ?? null,
    );
    return pageOf(connection, (results) => onePerNpi(results).map(nearbyProvider));
  }

  async findProvider(npi: string, details: boolean): Promise<ProviderResponseDto> {
    const problem = npiProblem(npi);
    if (problem) throw invalidInput('providers', `npi: ${problem}`);
    const found = await this.network.findProvider(npi);
    if (!found) throw providerNotFound(`NPI ${npi} is in no published provider directory`);
    const result: ProviderResponseDto = {
      provider: {
        ...provider(found.listings[0]),
        specialties: found.specialties,
      },
    };
    if (details) {
      result.details = { plans: found.plans.map((p) => ({ plan_id: p.planId, network_tier: p.networkTier, years: p.years })) };
    }
    return result;
  }

  async coverageSearch(q: string, zipcode: string): Promise<CoverageSearchResponseDto> {
    const [providers, drugs] = await Promise.all([this.searchProviders({ q, zipcode, pageSize: AUTOCOMPLETE_SIZE }), this.searchDrugs(q, AUTOCOMPLETE_SIZE)]);
    return { providers: providers.items, drugs: drugs.items };
  }

  async coverageStats(): Promise<CoverageStatsDto> {
    const totals = await this.datasets.publishedTotals();
    return {
      issuers: totals.issuers,
      drugs: totals.drugs,
      providers: totals.providers,
      providers_plans: totals.networkMemberships,
      drugs_plans: totals.formularyEntries,
      last_refreshed_at: totals.lastPublishedAt ? new Date(totals.lastPublishedAt).toISOString() : null,
    };
  }

  /** A published plan; 1006 when no issuer has published it (or not for `year`). */
  async plan(planId: string, year: number | undefined, details: boolean): Promise<PlanResponseDto> {
    const problem = planIdProblem(planId);
    if (problem) throw invalidInput('plans', `planid: ${problem}`);
    const [found] = await this.plans.findPublishedPlansWithSources([planId]);
    if (!found) throw planNotFound(`plan ${planId} is not loaded: no issuer has published it`);
    if (year != null && found.years.length && !found.years.includes(year)) {
      throw planNotFound(`plan ${planId} is published for ${found.years.join(', ')}, not for ${year}`);
    }
    const [issuers, tiers] = await Promise.all([
      this.plans.findIssuers([found.issuerId]),
      details ? this.plans.findDrugTiers([{ versionId: found.versionId, planId }]) : Promise.resolve(new Map()),
    ]);
    const issuer = issuers[0];
    const plan: PlanDto = {
      id: found.planId,
      name: found.marketingName,
      issuer: { id: found.issuerId, name: issuer?.name ?? found.issuerId, ...(issuer?.state ? { state: issuer.state } : {}) },
      ...(found.metalLevel ? { metal_level: found.metalLevel } : {}),
      state: found.state,
      ...urls(found),
    };
    if (details) {
      plan.details = {
        years: found.years,
        network_tiers: found.networkTiers,
        drug_tiers: (tiers.get(`${found.versionId}:${planId}`) ?? []).map((t: { drugTier: string; mailOrder: boolean; costSharing: CostSharingModel[] }) => ({
          drug_tier: t.drugTier,
          mail_order: t.mailOrder,
          cost_sharing: t.costSharing.map(costSharing),
        })),
        plan_contact: found.planContact,
        last_updated_on: found.lastUpdatedOn,
        provenance: {
          issuer_id: found.issuerId,
          dataset_version_id: Number(found.versionId),
          record_type: 'PLAN',
          source_file: found.sourceFile,
          last_updated_on: found.lastUpdatedOn,
        },
      };
    }
    return { plan };
  }

  private async ingredientsOf(rxcuis: string[]): Promise<Map<string, DrugIngredientRow>> {
    if (!rxcuis.length) return new Map();
    const rows = await this.reference.findIngredients(rxcuis);
    return new Map(rows.map((row) => [row.rxnormId, row]));
  }
}

function urls(plan: PlanModel): Pick<PlanDto, 'benefits_url' | 'brochure_url' | 'formulary_url'> {
  return {
    ...(plan.summaryUrl ? { benefits_url: plan.summaryUrl } : {}),
    ...(plan.marketingUrl ? { brochure_url: plan.marketingUrl } : {}),
    ...(plan.formularyUrl ? { formulary_url: plan.formularyUrl } : {}),
  };
}
