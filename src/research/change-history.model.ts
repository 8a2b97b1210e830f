import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, ConnectionType } from '../common/pagination';

@ObjectType('ComparedVersion', { description: 'A loaded dataset version of the issuer, one side of a comparison' })
export class ComparedVersionModel {
  @Field(() => Int) versionId: number;
  @Field({ description: 'published (current) or superseded' }) status: string;
  @Field(() => Date) publishedAt: Date;
}

export enum NetworkChangeKind {
  ADDED = 'ADDED',
  DROPPED = 'DROPPED',
}
registerEnumType(NetworkChangeKind, { name: 'NetworkChangeKind' });

@ObjectType('NetworkChange', { description: "A provider (by NPI) added to or dropped from the plan's network" })
export class NetworkChangeModel {
  @Field() npi: string;
  @Field(() => String, { nullable: true, description: 'As listed in the version that has the provider in network' }) displayName: string | null;
  @Field(() => NetworkChangeKind) change: NetworkChangeKind;
  @Field(() => [String], { description: 'Network tiers in the version that has the provider in network' }) networkTiers: string[];
}

export const NetworkChangeConnection = ConnectionType(NetworkChangeModel, 'NetworkChange');

@ObjectType('NetworkChanges', { description: "Changes to one plan's network between two loaded versions of its issuer" })
export class NetworkChangesModel {
  @Field() planId: string;
  @Field() issuerId: string;
  @Field(() => ComparedVersionModel) fromVersion: ComparedVersionModel;
  @Field(() => ComparedVersionModel) toVersion: ComparedVersionModel;
  @Field(() => String, { nullable: true, description: 'How the versions were chosen, when not exactly as asked' }) note: string | null;
  @Field(() => Int) added: number;
  @Field(() => Int) dropped: number;
  @Field(() => NetworkChangeConnection, { description: 'In NPI order' }) changes: Connection<NetworkChangeModel>;
}

export enum FormularyChangeKind {
  ADDED = 'ADDED',
  REMOVED = 'REMOVED',
  TIER_CHANGED = 'TIER_CHANGED',
  /** The cost sharing of the drug's tier (any pharmacy type) changed. */
  COST_SHARING_CHANGED = 'COST_SHARING_CHANGED',
  /** Prior authorization, step therapy or quantity limit changed. */
  RESTRICTIONS_CHANGED = 'RESTRICTIONS_CHANGED',
}
registerEnumType(FormularyChangeKind, { name: 'FormularyChangeKind' });

@ObjectType('FormularyChange', { description: 'A drug whose coverage by the plan changed between the versions' })
export class FormularyChangeModel {
  @Field() rxnormId: string;
  @Field(() => String, { nullable: true }) drugName: string | null;
  @Field(() => [FormularyChangeKind]) changes: FormularyChangeKind[];
  @Field(() => String, { nullable: true }) drugTierBefore: string | null;
  @Field(() => String, { nullable: true }) drugTierAfter: string | null;
  @Field(() => String, { nullable: true, description: '30-day in-network retail cost in words, before' }) costBefore: string | null;
  @Field(() => String, { nullable: true }) costAfter: string | null;
  @Field(() => Boolean, { nullable: true }) priorAuthorizationBefore: boolean | null;
  @Field(() => Boolean, { nullable: true }) priorAuthorizationAfter: boolean | null;
  @Field(() => Boolean, { nullable: true }) stepTherapyBefore: boolean | null;
  @Field(() => Boolean, { nullable: true }) stepTherapyAfter: boolean | null;
  @Field(() => Boolean, { nullable: true }) quantityLimitBefore: boolean | null;
  @Field(() => Boolean, { nullable: true }) quantityLimitAfter: boolean | null;
}

export const FormularyChangeConnection = ConnectionType(FormularyChangeModel, 'FormularyChange');

@ObjectType('TierCostSharingChange', { description: 'A change to what a drug tier costs at one pharmacy type' })
export class TierCostSharingChangeModel {
  @Field() drugTier: string;
  @Field() pharmacyType: string;
  @Field(() => String, { nullable: true, description: 'null: not stated in the earlier version' }) before: string | null;
  @Field(() => String, { nullable: true, description: 'null: not stated in the later version' }) after: string | null;
}

@ObjectType('FormularyChanges', { description: "Changes to one plan's formulary between two loaded versions of its issuer" })
export class FormularyChangesModel {
  @Field() planId: string;
  @Field() issuerId: string;
  @Field(() => ComparedVersionModel) fromVersion: ComparedVersionModel;
  @Field(() => ComparedVersionModel) toVersion: ComparedVersionModel;
  @Field(() => String, { nullable: true }) note: string | null;
  @Field(() => Int) added: number;
  @Field(() => Int) removed: number;
  @Field(() => Int) tierChanged: number;
  @Field(() => Int) costSharingChanged: number;
  @Field(() => Int) restrictionsChanged: number;
  @Field(() => [TierCostSharingChangeModel]) tierCostSharingChanges: TierCostSharingChangeModel[];
  @Field(() => FormularyChangeConnection, { description: 'In RXCUI order' }) changes: Connection<FormularyChangeModel>;
}
