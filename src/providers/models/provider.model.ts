import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PlanModel } from '../../plans/models/plan.model';
import { ACCEPTING_WORDS, oneOf, PROVIDER_TYPES } from '../../qhp/vocabulary';
import { AnswerOutcome } from '../../quality/models/answer-outcome';
import { ProvenanceModel } from '../../quality/models/provenance.model';

@ObjectType('ProviderAddress', { description: 'A practice location as the issuer lists it' })
export class ProviderAddressModel {
  @Field({ description: 'Street address, first line' }) address: string;
  @Field(() => String, { nullable: true, description: 'Second address line (suite, floor); null when none' }) address2: string | null;
  @Field({ description: 'City' }) city: string;
  @Field({ description: 'Two-letter state code, e.g. OH' }) state: string;
  @Field({ description: 'Five-digit ZIP code' }) zip: string;
  @Field(() => String, { nullable: true, description: 'Phone number as published (digits only when the issuer gave digits); null when not listed' })
  phone: string | null;
  @Field(() => Float, { nullable: true, description: 'Latitude in decimal degrees (WGS 84); null when the address could not be placed' })
  latitude: number | null;
  @Field(() => Float, { nullable: true, description: 'Longitude in decimal degrees (WGS 84); null when the address could not be placed' })
  longitude: number | null;
}

@ObjectType('ProviderName', { description: "An individual provider's name in parts, as the issuer lists it" })
export class ProviderNameModel {
  @Field(() => String, { nullable: true, description: 'Title before the name, e.g. Dr.; null when not given' }) prefix: string | null;
  @Field(() => String, { nullable: true, description: 'First (given) name' }) first: string | null;
  @Field(() => String, { nullable: true, description: 'Middle name or initial; null when not given' }) middle: string | null;
  @Field(() => String, { nullable: true, description: 'Last (family) name' }) last: string | null;
  @Field(() => String, { nullable: true, description: 'Suffix or credential after the name, e.g. Jr., MD; null when not given' }) suffix: string | null;
}

@ObjectType('ProviderListing', { description: "One issuer's directory entry for a provider" })
export class ProviderListingModel {
  @Field(() => String, { nullable: true, description: 'National Provider Identifier (10 digits); null when the issuer listed the provider without one' })
  npi: string | null;
  @Field({ description: oneOf(PROVIDER_TYPES) }) type: string;
  @Field(() => ProviderNameModel, { nullable: true, description: 'Name in parts, for individual providers; null for facilities and groups' })
  name: ProviderNameModel | null;
  @Field(() => String, { nullable: true, description: "A FACILITY's name (the file's facility_name); null for individuals and groups" })
  facilityName: string | null;
  @Field(() => String, { nullable: true, description: "A GROUP practice's name (the file's group_name); null for individuals and facilities" })
  groupName: string | null;
  @Field({ description: 'Full name, facility name or group name' }) displayName: string;
  @Field(() => [String], { description: 'Specialties as the issuer words them, e.g. Family Medicine; empty for facilities' }) specialties: string[];
  @Field(() => [String], { description: 'Kinds of facility, e.g. General Acute Care Hospital; empty for individual providers' }) facilityTypes: string[];
  @Field(() => String, { nullable: true, description: `Whether the provider takes new patients: ${oneOf(ACCEPTING_WORDS)}; null when not said` })
  accepting: string | null;
  @Field(() => String, { nullable: true, description: 'Gender as published (Male, Female, Other); null when not given' }) gender: string | null;
  @Field(() => [String], { description: 'Languages spoken at the practice, as published; empty when not given' }) languages: string[];
  @Field(() => [ProviderAddressModel], { description: 'Practice locations; may be empty' }) addresses: ProviderAddressModel[];
  @Field(() => String, { nullable: true, description: 'Date the issuer last updated this entry (YYYY-MM-DD); null when not given' })
  lastUpdatedOn: string | null;
  @Field({ description: 'Issuer whose directory lists this entry' }) issuerId: string;
  @Field(() => Int, { description: 'Dataset version (one load of the issuer files) this entry comes from' }) versionId: number;
  @Field(() => Int, { description: 'Position of the record in the loaded provider files' }) recordNo: number;
  @Field(() => String, { nullable: true, description: 'Name of the issuer file the entry was read from; null when not recorded' })
  sourceFile: string | null;
}

@ObjectType('ProviderPlanNetwork', { description: 'A plan whose network includes the provider' })
export class ProviderPlanNetworkModel {
  @Field({ description: '14-character HIOS plan id, e.g. 10001OH0020001' }) planId: string;
  @Field({ description: 'Network tier the provider is in for this plan, e.g. PREFERRED' }) networkTier: string;
  @Field(() => [Int], { description: 'Plan years the listing applies to' }) years: number[];
  @Field(() => PlanModel, { nullable: true, description: 'The plan; null when its record is not loaded' }) plan?: PlanModel | null;
}

@ObjectType('Provider', { description: 'A provider by NPI, as listed by every issuer that has published it' })
export class ProviderModel {
  @Field({ description: 'National Provider Identifier (10 digits)' }) npi: string;
  @Field({ description: oneOf(PROVIDER_TYPES) }) type: string;
  @Field({ description: 'Full name, or facility name' }) displayName: string;
  @Field(() => [String], { description: 'Specialties across all listings, without repeats' }) specialties: string[];
  @Field(() => [ProviderListingModel], { description: "Each issuer directory's entry for this NPI" }) listings: ProviderListingModel[];
  @Field(() => [ProviderPlanNetworkModel], { description: 'Plans whose published networks include the provider' }) plans: ProviderPlanNetworkModel[];
}

export enum NetworkStatus {
  IN_NETWORK = 'IN_NETWORK',
  OUT_OF_NETWORK = 'OUT_OF_NETWORK',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(NetworkStatus, {
  name: 'NetworkStatus',
  description: "Whether a provider is in a plan's network",
  valuesMap: {
    IN_NETWORK: { description: "The plan's published directory lists the provider in its network" },
    OUT_OF_NETWORK: { description: "The plan's directory is loaded for this year and does not list the provider" },
    UNKNOWN: { description: 'The data cannot say: see reason' },
  },
});

/** Why a network answer is UNKNOWN. */
export enum NetworkUnknownReason {
  PLAN_NOT_LOADED = 'PLAN_NOT_LOADED',
  YEAR_NOT_REPORTED = 'YEAR_NOT_REPORTED',
  NETWORK_NOT_REPORTED = 'NETWORK_NOT_REPORTED',
  PROVIDER_NOT_FOUND = 'PROVIDER_NOT_FOUND',
}
registerEnumType(NetworkUnknownReason, {
  name: 'NetworkUnknownReason',
  description: 'Why a network answer is UNKNOWN',
  valuesMap: {
    PLAN_NOT_LOADED: { description: 'No issuer has published this plan id' },
    YEAR_NOT_REPORTED: { description: 'The plan is loaded, but not for the year asked' },
    NETWORK_NOT_REPORTED: { description: "The plan's issuer has not published a provider directory for it" },
    PROVIDER_NOT_FOUND: { description: 'No loaded provider directory lists this NPI' },
  },
});

@ObjectType('NetworkCheck', { description: "Is this provider in this plan's network (for this year)?" })
export class NetworkCheckModel {
  @Field({ description: 'National Provider Identifier asked about' }) npi: string;
  @Field({ description: '14-character HIOS plan id asked about' }) planId: string;
  @Field(() => Int, { nullable: true, description: 'Plan year asked about; null when none was given (any loaded year)' }) year: number | null;
  @Field(() => NetworkStatus, { description: 'In network, out of network, or unknown' }) status: NetworkStatus;
  @Field(() => AnswerOutcome, {
    description:
      "COVERED (status IN_NETWORK); NOT_COVERED: the plan's directory is loaded for this year and omits the provider " +
      '(OUT_OF_NETWORK, or UNKNOWN with PROVIDER_NOT_FOUND); NOT_REPORTED: nothing loaded for this plan and year ' +
      '(UNKNOWN with PLAN_NOT_LOADED, YEAR_NOT_REPORTED or NETWORK_NOT_REPORTED)',
  })
  outcome: AnswerOutcome;
  @Field(() => NetworkUnknownReason, { nullable: true, description: 'Why the answer is UNKNOWN; null when status is IN_NETWORK or OUT_OF_NETWORK' })
  reason: NetworkUnknownReason | null;
  @Field({ description: 'The answer in a sentence' }) message: string;
  @Field(() => [String], { description: 'Network tiers the provider is in for this plan' }) networkTiers: string[];
  @Field(() => String, {
    nullable: true,
    description: `Whether the provider takes new patients: ${oneOf(ACCEPTING_WORDS)}; null when not said or not in network`,
  })
  accepting: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: accepting; false: not accepting; null: some locations or not said' })
  acceptingNewPatients: boolean | null;
  @Field(() => [ProviderAddressModel], { description: "Where the plan's directory lists the provider" })
  addresses: ProviderAddressModel[];
  @Field(() => ProviderListingModel, {
    nullable: true,
    description: "The provider's directory entry (the plan issuer's when it has one); null when no directory lists the NPI",
  })
  provider: ProviderListingModel | null;
  @Field(() => PlanModel, { nullable: true, description: 'The plan; null when it is not loaded' }) plan: PlanModel | null;
  @Field(() => ProvenanceModel, {
    nullable: true,
    description:
      "The issuer file and load this answer was read from, with its freshness: the provider's listing in the plan's " +
      'issuer directory when there is one, else the plan record. Null only when the plan is not loaded.',
  })
  provenance: ProvenanceModel | null;
}
