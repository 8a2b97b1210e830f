import { Injectable } from '@nestjs/common';
import { Database, Reader } from '../database/database';
import { versionParameters } from '../database/version-pruning';
import { PlansService, PublishedPlanWithSources } from '../plans/plans.service';
import { PublishedVersions } from '../plans/published-versions';
import { ACCEPTING, NOT_ACCEPTING } from '../qhp/vocabulary';
import { AnswerOutcome } from '../quality/models/answer-outcome';
import { ProvenanceModel, ProvenanceRecordType } from '../quality/models/provenance.model';
import { NetworkCheckModel, NetworkStatus, NetworkUnknownReason, ProviderListingModel, ProviderModel, ProviderPlanNetworkModel } from './models/provider.model';
import { ProviderListingsRepository } from './provider-listings.repository';

type PublishedPlan = PublishedPlanWithSources;

interface MembershipRow {
  npi: string;
  planId: string;
  networkTier: string;
  years: number[];
  versionId: number;
  recordNo: number;
}

/** True when `year` is within `years`; an empty list (files without `years`) means "not stated". */
export function coversYear(years: number[], year: number | null | undefined): boolean {
  return year == null || years.length === 0 || years.includes(year);
}

/** Provenance of a provider listing: the record in the issuer's provider files. */
export function listingProvenance(listing: ProviderListingModel): ProvenanceModel {
  return {
    issuerId: listing.issuerId,
    datasetVersionId: listing.versionId,
    recordType: ProvenanceRecordType.PROVIDER_LISTING,
    sourceFile: listing.sourceFile,
    lastUpdatedOn: listing.lastUpdatedOn,
  };
}

/** Provenance of an answer that rests on the plan record (an absence, or a year / directory not reported). */
function planProvenance(plan: PublishedPlan): ProvenanceModel {
  return {
    issuerId: plan.issuerId,
    datasetVersionId: plan.versionId,
    recordType: ProvenanceRecordType.PLAN,
    sourceFile: plan.sourceFile,
    lastUpdatedOn: plan.lastUpdatedOn,
  };
}

export function acceptingNewPatients(accepting: string | null): boolean | null {
  if (accepting === ACCEPTING) return true;
  if (accepting === NOT_ACCEPTING) return false;
  return null;
}

/** Answers "is my doctor in this plan's network?" for every NPI × plan pair. */
@Injectable()
export class NetworkService {
  constructor(
    private readonly db: Database,
    private readonly listings: ProviderListingsRepository,
    private readonly plans: PlansService,
    private readonly versions: PublishedVersions,
  ) {}

  async checkNetwork(npis: string[], planIds: string[], year?: number | null): Promise<NetworkCheckModel[]> {
    const uniqueNpis = [...new Set(npis)];
    const uniquePlans = [...new Set(planIds)];
    // One round trip (the batch), in the published versions only, so PostgreSQL reads just their
    // partitions (see versionParameters); PublishedVersions checks they were still the published ones.
    const [plans, memberships, listings] = await this.versions.consistently((snapshot, batch) =>
      Promise.all([
        this.plans.findPublishedPlansWithSources(uniquePlans, batch),
        this.findMemberships(uniqueNpis, uniquePlans, snapshot.ofPlans(uniquePlans), batch),
        this.listings.findPublishedByNpis(uniqueNpis, snapshot.ids, batch),
      ]),
    );

    const planById = new Map(plans.map((plan) => [plan.planId, plan]));
    const listingsByNpi = new Map<string, ProviderListingModel[]>();
    for (const listing of listings) {
      listingsByNpi.set(listing.npi!, [...(listingsByNpi.get(listing.npi!) ?? []), listing]);
    }

    const answers: NetworkCheckModel[] = [];
    for (const npi of uniqueNpis) {
      for (const planId of uniquePlans) {
        const plan = planById.get(planId) ?? null;
        const inPlan = memberships.filter((m) => m.npi === npi && m.planId === planId && coversYear(m.years, year));
        answers.push(this.answer(npi, planId, year ?? null, plan, inPlan, listingsByNpi.get(npi) ?? []));
      }
    }
    return answers;
  }

  private answer(
    npi: string,
    planId: string,
    year: number | null,
    plan: PublishedPlan | null,
    inPlan: MembershipRow[],
    listings: ProviderListingModel[],
  ): NetworkCheckModel {
    const base = {
      npi,
      planId,
      year,
      plan,
      networkTiers: [],
      accepting: null,
      acceptingNewPatients: null,
      addresses: [],
      provider: listings[0] ?? null,
      provenance: plan ? planProvenance(plan) : null,
    };
    const unknown = (reason: NetworkUnknownReason, message: string): NetworkCheckModel => ({
      ...base,
      status: NetworkStatus.UNKNOWN,
      outcome: AnswerOutcome.NOT_REPORTED,
      reason,
      message,
    });
    const yearText = year ? ` for ${year}` : '';

    if (!plan) return unknown(NetworkUnknownReason.PLAN_NOT_LOADED, `Plan ${planId} is not loaded: no issuer has published it.`);
    if (!coversYear(plan.years, year)) {
      return unknown(NetworkUnknownReason.YEAR_NOT_REPORTED, `Plan ${planId} is loaded for ${plan.years.join(', ')}, not for ${year}.`);
    }
    if (!plan.hasProviderFiles) {
      return unknown(NetworkUnknownReason.NETWORK_NOT_REPORTED, `Issuer ${plan.issuerId} has not published a provider directory for plan ${planId}.`);
    }
    if (inPlan.length) {
      // The listing(s) in the plan's own issuer directory say where and whether the provider sees patients.
      const own = listings.filter((l) => inPlan.some((m) => m.versionId === l.versionId && m.recordNo === l.recordNo));
      const listing = own[0] ?? listings[0] ?? null;
      const tiers = [...new Set(inPlan.map((m) => m.networkTier))];
      return {
        ...base,
        status: NetworkStatus.IN_NETWORK,
        outcome: AnswerOutcome.COVERED,
        provenance: own[0] ? listingProvenance(own[0]) : base.provenance,
        reason: null,
        message: `${listing?.displayName ?? `NPI ${npi}`} is in network for ${plan.marketingName}${yearText} (${tiers.join(', ')} tier).`,
        networkTiers: tiers,
        accepting: listing?.accepting ?? null,
        acceptingNewPatients: acceptingNewPatients(listing?.accepting ?? null),
        addresses: own.flatMap((l) => l.addresses),
        provider: listing,
      };
    }
    // From here on the plan's directory is loaded for this year and omits the provider: NOT_COVERED.
    if (!listings.length) {
      return {
        ...unknown(NetworkUnknownReason.PROVIDER_NOT_FOUND, `NPI ${npi} is not listed in any loaded provider directory.`),
        outcome: AnswerOutcome.NOT_COVERED,
      };
    }
    // The plan's own issuer may list the provider for other plans: that listing is the record read.
    const ownIssuerListing = listings.find((l) => l.versionId === plan.versionId);
    return {
      ...base,
      status: NetworkStatus.OUT_OF_NETWORK,
      outcome: AnswerOutcome.NOT_COVERED,
      provenance: ownIssuerListing ? listingProvenance(ownIssuerListing) : base.provenance,
      reason: null,
      message: `${listings[0].displayName} is not in the network of ${plan.marketingName}${yearText}.`,
    };
  }

  /**
   * Memberships of these NPIs in these plans, in the plans' published versions: the NPIs' listings
   * (provider_npi_idx), then their entries for these plans (network_membership's primary key).
   */
  private async findMemberships(npis: string[], planIds: string[], versions: number[], reader: Reader): Promise<MembershipRow[]> {
    if (!npis.length || !versions.length) return [];
    const version = versionParameters(versions, 3);
    return reader.read(
      `SELECT p.npi, m.plan_id AS "planId", m.network_tier AS "networkTier", m.years,
              m.version_id AS "versionId", m.record_no AS "recordNo"
         FROM provider p
         JOIN network_membership m ON m.version_id = p.version_id AND m.record_no = p.record_no
        WHERE p.npi = ANY($1::char(10)[]) AND ${version.in('p.version_id')}
          AND m.plan_id = ANY($2::char(14)[]) AND ${version.in('m.version_id')}`,
      [npis, planIds, ...version.params],
    );
  }

  /** A provider by NPI with every published listing and the plan networks that include it. */
  async findProvider(npi: string): Promise<ProviderModel | null> {
    // In the published versions only, like checkNetwork.
    const [listings, plans] = await this.versions.consistently((snapshot, batch) => {
      const version = versionParameters(snapshot.ids, 2);
      return Promise.all([
        this.listings.findPublishedByNpis([npi], snapshot.ids, batch),
        batch.read<ProviderPlanNetworkModel[]>(
          `SELECT m.plan_id AS "planId", m.network_tier AS "networkTier", m.years
             FROM provider p
             JOIN network_membership m ON m.version_id = p.version_id AND m.record_no = p.record_no
            WHERE p.npi = $1 AND ${version.in('p.version_id')} AND ${version.in('m.version_id')}
            ORDER BY m.plan_id, m.network_tier`,
          [npi, ...version.params],
        ),
      ]);
    });
    if (!listings.length) return null;
    const [freshest] = listings;
    return {
      npi,
      type: freshest.type,
      displayName: freshest.displayName,
      specialties: [...new Set(listings.flatMap((l) => l.specialties))],
      listings,
      plans,
    };
  }
}
