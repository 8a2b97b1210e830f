import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, ConnectionType } from '../common/pagination';

@ObjectType('ComparedVersion', { description: 'A loaded dataset version of the issuer, one side of a comparison' })
export class ComparedVersionModel {
  @Field(() => Int, { description: 'Dataset version id' }) versionId: number;
  @Field({ description: 'published (current) or superseded' }) status: string;
  @Field(() => Date, { description: 'When the version was published' }) publishedAt: Date;
}

export enum NetworkChangeKind {
  ADDED = 'ADDED',
  DROPPED = 'DROPPED',
}
registerEnumType(NetworkChangeKind, {
  name: 'NetworkChangeKind',
  description: "How a provider's network membership changed between two versions",
  valuesMap: {
    ADDED: { description: 'In network in the later version, not in the earlier one' },
    DROPPED: { description: 'In network in the earlier version, not in the later one' },
  },
});

@ObjectType('NetworkChange', { description: "A provider (by NPI) added to or dropped from the plan's network" })
export class NetworkChangeModel {
  @Field({ description: 'National Provider Identifier' }) npi: string;
  @Field(() => String, { nullable: true, description: 'As listed in the version that has the provider in network' }) displayName: string | null;
  @Field(() => NetworkChangeKind, { description: 'Added or dropped' }) change: NetworkChangeKind;
  @Field(() => [String], { description: 'Network tiers in the version that has the provider in network' }) networkTiers: string[];
}

export const NetworkChangeConnection = ConnectionType(NetworkChangeModel, 'NetworkChange', { noun: 'network change' });

@ObjectType('NetworkChanges', { description: "Changes to one plan's network between two loaded versions of its issuer" })
export class NetworkChangesModel {
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field({ description: "5-digit HIOS issuer id of the plan's carrier" }) issuerId: string;
  @Field(() => ComparedVersionModel, { description: 'The earlier version compared' }) fromVersion: ComparedVersionModel;
  @Field(() => ComparedVersionModel, { description: 'The later version compared' }) toVersion: ComparedVersionModel;
  @Field(() => String, { nullable: true, description: 'How the versions were chosen, when not exactly as asked' }) note: string | null;
  @Field(() => Int, { description: 'Providers (distinct NPIs) added to the network, whatever the change filter' }) added: number;
  @Field(() => Int, { description: 'Providers (distinct NPIs) dropped from the network, whatever the change filter' }) dropped: number;
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
registerEnumType(FormularyChangeKind, {
  name: 'FormularyChangeKind',
  description: "How a drug's coverage changed between two versions (a drug can have several)",
  valuesMap: {
    ADDED: { description: 'On the formulary in the later version only' },
    REMOVED: { description: 'On the formulary in the earlier version only' },
    TIER_CHANGED: { description: 'Covered in both, at different tiers' },
    COST_SHARING_CHANGED: { description: "The cost sharing of the drug's tier (any pharmacy type) changed" },
    RESTRICTIONS_CHANGED: { description: 'Prior authorization, step therapy or quantity limit changed' },
  },
});

@ObjectType('FormularyChange', { description: 'A drug whose coverage by the plan changed between the versions' })
export class FormularyChangeModel {
  @Field({ description: 'RxNorm concept id (RXCUI)' }) rxnormId: string;
  @Field(() => String, { nullable: true, description: 'Drug name as listed; null when neither version names it' }) drugName: string | null;
  @Field(() => [FormularyChangeKind], { description: 'Every way its coverage changed' }) changes: FormularyChangeKind[];
  @Field(() => String, { nullable: true, description: 'Tier in the earlier version; null when not covered then' }) drugTierBefore: string | null;
  @Field(() => String, { nullable: true, description: 'Tier in the later version; null when not covered now' }) drugTierAfter: string | null;
  @Field(() => String, { nullable: true, description: '30-day in-network retail cost in words, before' }) costBefore: string | null;
  @Field(() => String, { nullable: true, description: '30-day in-network retail cost in words, after; null when not covered or not stated' })
  costAfter: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Prior authorization required before; null when not covered then' })
  priorAuthorizationBefore: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Prior authorization required after; null when not covered now' })
  priorAuthorizationAfter: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Step therapy required before; null when not covered then' }) stepTherapyBefore: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Step therapy required after; null when not covered now' }) stepTherapyAfter: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Quantity limit before; null when not covered then' }) quantityLimitBefore: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Quantity limit after; null when not covered now' }) quantityLimitAfter: boolean | null;
}

export const FormularyChangeConnection = ConnectionType(FormularyChangeModel, 'FormularyChange', { noun: 'formulary change' });

@ObjectType('TierCostSharingChange', { description: 'A change to what a drug tier costs at one pharmacy type' })
export class TierCostSharingChangeModel {
  @Field({ description: 'Tier name, e.g. GENERIC' }) drugTier: string;
  @Field({ description: '1-MONTH-IN-RETAIL, 3-MONTH-IN-MAIL, ...' }) pharmacyType: string;
  @Field(() => String, { nullable: true, description: 'null: not stated in the earlier version' }) before: string | null;
  @Field(() => String, { nullable: true, description: 'null: not stated in the later version' }) after: string | null;
}

@ObjectType('FormularyChanges', { description: "Changes to one plan's formulary between two loaded versions of its issuer" })
export class FormularyChangesModel {
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field({ description: "5-digit HIOS issuer id of the plan's carrier" }) issuerId: string;
  @Field(() => ComparedVersionModel, { description: 'The earlier version compared' }) fromVersion: ComparedVersionModel;
  @Field(() => ComparedVersionModel, { description: 'The later version compared' }) toVersion: ComparedVersionModel;
  @Field(() => String, { nullable: true, description: 'How the versions were chosen, when not exactly as asked' }) note: string | null;
  @Field(() => Int, { description: 'Drugs added to the formulary' }) added: number;
  @Field(() => Int, { description: 'Drugs removed from the formulary' }) removed: number;
  @Field(() => Int, { description: 'Drugs covered in both versions at different tiers' }) tierChanged: number;
  @Field(() => Int, { description: "Drugs whose tier's cost sharing changed" }) costSharingChanged: number;
  @Field(() => Int, { description: 'Drugs whose prior authorization, step therapy or quantity limit changed' }) restrictionsChanged: number;
  @Field(() => [TierCostSharingChangeModel], { description: "Every change to the plan's tier costs, per tier and pharmacy type" })
  tierCostSharingChanges: TierCostSharingChangeModel[];
  @Field(() => FormularyChangeConnection, { description: 'In RXCUI order' }) changes: Connection<FormularyChangeModel>;
}
