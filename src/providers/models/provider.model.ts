import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PlanModel } from '../../plans/models/plan.model';
import { ACCEPTING_WORDS, oneOf, PROVIDER_TYPES } from '../../qhp/vocabulary';
import { AnswerOutcome } from '../../quality/models/answer-outcome';
import { ProvenanceModel } from '../../quality/models/provenance.model';

@ObjectType('ProviderAddress')
export class ProviderAddressModel {
  @Field() address: string;
  @Field(() => String, { nullable: true }) address2: string | null;
  @Field() city: string;
  @Field() state: string;
  @Field() zip: string;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => Float, { nullable: true }) latitude: number | null;
  @Field(() => Float, { nullable: true }) longitude: number | null;
}

@ObjectType('ProviderName')
export class ProviderNameModel {
  @Field(() => String, { nullable: true }) prefix: string | null;
  @Field(() => String, { nullable: true }) first: string | null;
  @Field(() => String, { nullable: true }) middle: string | null;
  @Field(() => String, { nullable: true }) last: string | null;
  @Field(() => String, { nullable: true }) suffix: string | null;
}

@ObjectType('ProviderListing', { description: "One issuer's directory entry for a provider" })
export class ProviderListingModel {
  @Field(() => String, { nullable: true }) npi: string | null;
  @Field({ description: oneOf(PROVIDER_TYPES) }) type: string;
  @Field(() => ProviderNameModel, { nullable: true }) name: ProviderNameModel | null;
  @Field(() => String, { nullable: true, description: 'FACILITY: its facility_name' }) facilityName: string | null;
  @Field(() => String, { nullable: true, description: 'GROUP: its group_name' }) groupName: string | null;
  @Field({ description: 'Full name, facility name or group name' }) displayName: string;
  @Field(() => [String]) specialties: string[];
  @Field(() => [String]) facilityTypes: string[];
  @Field(() => String, { nullable: true, description: oneOf(ACCEPTING_WORDS) })
  accepting: string | null;
  @Field(() => String, { nullable: true }) gender: string | null;
  @Field(() => [String]) languages: string[];
  @Field(() => [ProviderAddressModel]) addresses: ProviderAddressModel[];
  @Field(() => String, { nullable: true }) lastUpdatedOn: string | null;
  @Field({ description: 'Issuer whose directory lists this entry' }) issuerId: string;
  @Field(() => Int) versionId: number;
  @Field(() => Int, { description: 'Position of the record in the loaded provider files' }) recordNo: number;
  @Field(() => String, { nullable: true }) sourceFile: string | null;
}

@ObjectType('ProviderPlanNetwork', { description: 'A plan whose network includes the provider' })
export class ProviderPlanNetworkModel {
  @Field() planId: string;
  @Field() networkTier: string;
  @Field(() => [Int]) years: number[];
  @Field(() => PlanModel, { nullable: true }) plan?: PlanModel | null;
}

@ObjectType('Provider', { description: 'A provider by NPI, as listed by every issuer that has published it' })
export class ProviderModel {
  @Field() npi: string;
  @Field() type: string;
  @Field() displayName: string;
  @Field(() => [String]) specialties: string[];
  @Field(() => [ProviderListingModel]) listings: ProviderListingModel[];
  @Field(() => [ProviderPlanNetworkModel]) plans: ProviderPlanNetworkModel[];
}

export enum NetworkStatus {
  IN_NETWORK = 'IN_NETWORK',
  OUT_OF_NETWORK = 'OUT_OF_NETWORK',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(NetworkStatus, { name: 'NetworkStatus' });

@ObjectType('NetworkCheck', { description: "Is this provider in this plan's network (for this year)?" })
export class NetworkCheckModel {
  @Field() npi: string;
  @Field() planId: string;
  @Field(() => Int, { nullable: true }) year: number | null;
  @Field(() => NetworkStatus) status: NetworkStatus;
  @Field(() => AnswerOutcome, {
    description:
      "COVERED (status IN_NETWORK); NOT_COVERED: the plan's directory is loaded for this year and omits the provider " +
      '(OUT_OF_NETWORK, or UNKNOWN with PROVIDER_NOT_FOUND); NOT_REPORTED: nothing loaded for this plan and year ' +
      '(UNKNOWN with PLAN_NOT_LOADED, YEAR_NOT_REPORTED or NETWORK_NOT_REPORTED)',
  })
  outcome: AnswerOutcome;
  @Field(() => String, {
    nullable: true,
    description: 'Why the answer is UNKNOWN: PLAN_NOT_LOADED, YEAR_NOT_REPORTED, NETWORK_NOT_REPORTED or PROVIDER_NOT_FOUND',
  })
  reason: string | null;
  @Field({ description: 'The answer in a sentence' }) message: string;
  @Field(() => [String], { description: 'Network tiers the provider is in for this plan' }) networkTiers: string[];
  @Field(() => String, { nullable: true }) accepting: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true: accepting; false: not accepting; null: some locations or not said' })
  acceptingNewPatients: boolean | null;
  @Field(() => [ProviderAddressModel], { description: "Where the plan's directory lists the provider" })
  addresses: ProviderAddressModel[];
  @Field(() => ProviderListingModel, { nullable: true }) provider: ProviderListingModel | null;
  @Field(() => PlanModel, { nullable: true }) plan: PlanModel | null;
  @Field(() => ProvenanceModel, {
    nullable: true,
    description:
      "The issuer file and load this answer was read from, with its freshness: the provider's listing in the plan's " +
      'issuer directory when there is one, else the plan record. Null only when the plan is not loaded.',
  })
  provenance: ProvenanceModel | null;
}
