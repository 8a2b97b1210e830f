import { Field, Int, ObjectType } from '@nestjs/graphql';
import { COST_SHARING_OPTS } from '../../qhp/vocabulary';

@ObjectType('Issuer', { description: 'A carrier, by its 5-digit HIOS issuer id' })
export class IssuerModel {
  @Field() issuerId: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) state: string | null;
  @Field(() => Int, { nullable: true, description: 'Published dataset version that answers are read from' })
  currentVersionId: number | null;
}

@ObjectType('CostSharing', { description: 'One `cost_sharing` entry of a drug tier: what the member pays at one pharmacy type' })
export class CostSharingModel {
  @Field({ description: '1-MONTH-IN-RETAIL, 3-MONTH-IN-MAIL, ... (IN/OUT = in or out of network pharmacy)' })
  pharmacyType: string;
  @Field(() => Number, { nullable: true, description: 'Dollars' }) copayAmount: number | null;
  @Field(() => String, { nullable: true, description: COST_SHARING_OPTS.join(', ') })
  copayOpt: string | null;
  @Field(() => Number, { nullable: true, description: '0.0 to 1.0' }) coinsuranceRate: number | null;
  @Field(() => String, { nullable: true }) coinsuranceOpt: string | null;
  @Field({ description: 'Plain-language line, e.g. "$10 copay after deductible, 30-day retail"' })
  description: string;
}

@ObjectType('DrugTier', { description: 'One `formulary` object of a plan' })
export class DrugTierModel {
  @Field() drugTier: string;
  @Field() mailOrder: boolean;
  @Field(() => [CostSharingModel]) costSharing: CostSharingModel[];
}

@ObjectType('Plan')
export class PlanModel {
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field() planIdType: string;
  @Field() issuerId: string;
  @Field() state: string;
  @Field() marketingName: string;
  @Field(() => String, { nullable: true, description: 'Bronze, Silver, Gold, Platinum or Catastrophic, read from the marketing name' })
  metalLevel: string | null;
  @Field(() => String, { nullable: true }) summaryUrl: string | null;
  @Field(() => String, { nullable: true }) marketingUrl: string | null;
  @Field(() => String, { nullable: true }) formularyUrl: string | null;
  @Field(() => String, { nullable: true }) planContact: string | null;
  @Field(() => [Int]) years: number[];
  @Field(() => [String], { description: 'network_tier values defined by the plan, e.g. PREFERRED' }) networkTiers: string[];
  @Field(() => String, { nullable: true }) lastUpdatedOn: string | null;
  @Field(() => Int, { description: 'Dataset version this plan was read from' }) versionId: number;
}
