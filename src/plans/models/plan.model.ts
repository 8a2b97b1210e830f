import { Field, Int, ObjectType } from '@nestjs/graphql';
import { COST_SHARING_OPTS } from '../../qhp/vocabulary';

@ObjectType('Issuer', { description: 'A carrier, by its 5-digit HIOS issuer id' })
export class IssuerModel {
  @Field({ description: '5-digit HIOS issuer id, e.g. 10001' }) issuerId: string;
  @Field({ description: "The carrier's name, as loaded" }) name: string;
  @Field(() => String, { nullable: true, description: "Two-letter state code of the issuer's plans; null when not known" }) state: string | null;
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
  @Field(() => String, { nullable: true, description: `When the coinsurance applies: ${COST_SHARING_OPTS.join(', ')}; null when there is none` })
  coinsuranceOpt: string | null;
  @Field({ description: 'Plain-language line, e.g. "$10 copay after deductible, 30-day retail"' })
  description: string;
}

@ObjectType('DrugTier', { description: 'One `formulary` object of a plan' })
export class DrugTierModel {
  @Field({ description: 'Tier name as the plan defines it, e.g. GENERIC, PREFERRED-BRAND, SPECIALTY' }) drugTier: string;
  @Field({ description: 'true: drugs of this tier can be bought by mail order' }) mailOrder: boolean;
  @Field(() => [CostSharingModel], { description: 'What the member pays, per pharmacy type' }) costSharing: CostSharingModel[];
}

@ObjectType('Plan', { description: 'A marketplace health plan (QHP) as its issuer published it in plans.json' })
export class PlanModel {
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field({ description: 'Kind of plan id, as published: HIOS-PLAN-ID' }) planIdType: string;
  @Field({ description: '5-digit HIOS issuer id of the carrier offering the plan' }) issuerId: string;
  @Field({ description: 'Two-letter state code where the plan is sold' }) state: string;
  @Field({ description: "The plan's name as shoppers see it, e.g. Buckeye Mutual Gold PPO" }) marketingName: string;
  @Field(() => String, { nullable: true, description: 'Bronze, Silver, Gold, Platinum or Catastrophic, read from the marketing name' })
  metalLevel: string | null;
  @Field(() => String, { nullable: true, description: "URL of the plan's summary of benefits; null when not published" }) summaryUrl: string | null;
  @Field(() => String, { nullable: true, description: "URL of the plan's page on the issuer's site; null when not published" }) marketingUrl: string | null;
  @Field(() => String, { nullable: true, description: "URL of the plan's formulary (drug list); null when not published" }) formularyUrl: string | null;
  @Field(() => String, { nullable: true, description: 'Contact email for questions about the plan data; null when not published' })
  planContact: string | null;
  @Field(() => [Int], { description: 'Plan years the plan is published for' }) years: number[];
  @Field(() => [String], { description: 'network_tier values defined by the plan, e.g. PREFERRED' }) networkTiers: string[];
  @Field(() => String, { nullable: true, description: 'Date the issuer last updated the plan record (YYYY-MM-DD); null when not given' })
  lastUpdatedOn: string | null;
  @Field(() => Int, { description: 'Dataset version this plan was read from' }) versionId: number;
}
