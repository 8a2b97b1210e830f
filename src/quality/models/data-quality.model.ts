import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';

/** What the issuer's published directory looks like: shared by the issuer and per-plan views. */
@ObjectType({ isAbstract: true })
export abstract class ListingQualityModel {
  @Field({ description: '5-digit HIOS issuer id' }) issuerId: string;
  @Field(() => Int, { description: 'Published dataset version these figures describe' }) datasetVersionId: number;
  @Field(() => GraphQLISODateTime, { description: 'When that version was published (or started loading)' }) lastLoadedAt: Date;
  @Field(() => Int, { description: 'Days since lastLoadedAt' }) daysSinceLoad: number;

  @Field(() => Int, { description: "Records (plans, providers, drugs) accepted at load, from the version's validation report" })
  recordsLoaded: number;
  @Field(() => Int, {
    description: 'Records (plans, providers, drugs) rejected at load. Counted per load, not per plan: plan views repeat the issuer figure',
  })
  recordsRejected: number;
  @Field(() => Float, { nullable: true, description: 'recordsRejected / (recordsLoaded + recordsRejected), 0 to 1' })
  rejectedShare: number | null;
  @Field(() => Int, { description: 'Entries left out of kept records: addresses, network memberships, drug tiers, cost sharing, formulary entries' })
  entriesRejected: number;

  @Field(() => Int, { description: 'Published provider listings (for a plan: listings in its network)' }) listings: number;
  @Field(() => Int, { description: 'Listings none of whose addresses has a phone number' }) listingsWithoutPhone: number;
  @Field(() => Float, { nullable: true, description: 'listingsWithoutPhone / listings' }) shareWithoutPhone: number | null;
  @Field(() => Int, { description: 'INDIVIDUAL listings (the only type the format gives an accepting status)' })
  individualListings: number;
  @Field(() => Int, { description: 'INDIVIDUAL listings with no accepting status' }) listingsWithoutAcceptingStatus: number;
  @Field(() => Float, { nullable: true, description: 'listingsWithoutAcceptingStatus / individualListings' })
  shareWithoutAcceptingStatus: number | null;
  @Field(() => Int, { description: 'Listings with no last_updated_on' }) listingsWithoutLastUpdatedOn: number;
  @Field(() => String, { nullable: true, description: "Median of the listings' last_updated_on (YYYY-MM-DD)" })
  medianLastUpdatedOn: string | null;
  @Field(() => String, { nullable: true, description: 'Oldest last_updated_on among the listings' }) oldestLastUpdatedOn: string | null;
  @Field(() => Int, { nullable: true, description: 'Age in days of medianLastUpdatedOn' }) medianAgeDays: number | null;
  @Field(() => Int, { nullable: true, description: 'Age in days of oldestLastUpdatedOn' }) oldestAgeDays: number | null;
  @Field(() => GraphQLISODateTime, { description: 'When these figures were computed (once per published version)' })
  computedAt: Date;
}

@ObjectType('IssuerDataQuality', { description: "Freshness and completeness of an issuer's published data" })
export class IssuerDataQualityModel extends ListingQualityModel {}

@ObjectType('PlanDataQuality', { description: "Freshness and completeness of one plan's published directory" })
export class PlanDataQualityModel extends ListingQualityModel {
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field(() => String, { nullable: true, description: "The plan record's last_updated_on (YYYY-MM-DD); null when not given" }) planLastUpdatedOn: string | null;
  @Field(() => Int, { nullable: true, description: 'Age in days of planLastUpdatedOn' }) planAgeDays: number | null;
}
