import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, ConnectionType } from '../common/pagination';
import { DrugModel } from '../formulary/models/drug.model';
import { PlanModel } from '../plans/models/plan.model';

@ObjectType('TierCount', { description: 'How many plans cover a drug at one tier' })
export class TierCountModel {
  @Field({ description: 'Tier name, e.g. GENERIC' }) drugTier: string;
  @Field(() => Int, { description: 'Published plans covering the drug at this tier' }) plans: number;
}

@ObjectType('IssuerDrugCoverage', { description: "One issuer's plans in one state, for one drug" })
export class IssuerDrugCoverageModel {
  @Field({ description: '5-digit HIOS issuer id' }) issuerId: string;
  @Field({ description: "The carrier's name" }) issuerName: string;
  @Field({ description: 'Two-letter state code' }) state: string;
  @Field(() => Int, { description: 'Published plans whose issuer published a formulary' }) plansWithFormulary: number;
  @Field(() => Int, { description: 'Of those, plans whose formulary lists the drug' }) plansCovering: number;
  @Field(() => Float, { description: 'plansCovering / plansWithFormulary (0 when there are none)' }) coverageShare: number;
  @Field(() => Int, { description: 'Covering plans that require prior authorization for it' }) priorAuthorizationPlans: number;
  @Field(() => [TierCountModel], { description: 'Covering plans per drug tier' }) tiers: TierCountModel[];
}

@ObjectType('DrugCoverageStats', { description: 'How widely published formularies cover a drug, and at which tiers' })
export class DrugCoverageStatsModel {
  @Field({ description: 'RxNorm concept id (RXCUI) asked about' }) rxnormId: string;
  @Field(() => DrugModel, { nullable: true, description: 'The drug; null when no published formulary lists the RXCUI' }) drug: DrugModel | null;
  @Field(() => Int, { description: 'Published plans (of the year, if given) whose issuer published a formulary' }) plansWithFormulary: number;
  @Field(() => Int, { description: 'Of those, plans whose formulary lists the drug' }) plansCovering: number;
  @Field(() => Float, { description: 'plansCovering / plansWithFormulary, 0 to 1 (0 when there are none)' }) coverageShare: number;
  @Field(() => Int, { description: 'Covering plans that require prior authorization for it' }) priorAuthorizationPlans: number;
  @Field(() => [TierCountModel], { description: 'Covering plans per drug tier' }) tiers: TierCountModel[];
  @Field(() => [IssuerDrugCoverageModel], { description: 'The same figures per issuer and state' }) byIssuer: IssuerDrugCoverageModel[];
}

export enum FormularyDifferenceKind {
  ONLY_IN_A = 'ONLY_IN_A',
  ONLY_IN_B = 'ONLY_IN_B',
  TIER_DIFFERS = 'TIER_DIFFERS',
}
registerEnumType(FormularyDifferenceKind, {
  name: 'FormularyDifferenceKind',
  description: 'How two formularies differ on one drug',
  valuesMap: {
    ONLY_IN_A: { description: 'Plan A covers the drug, plan B does not' },
    ONLY_IN_B: { description: 'Plan B covers the drug, plan A does not' },
    TIER_DIFFERS: { description: 'Both cover it, at differently named tiers' },
  },
});

@ObjectType('FormularyDifference', { description: 'A drug one plan covers and the other not, or covers at another tier' })
export class FormularyDifferenceModel {
  @Field({ description: 'RxNorm concept id (RXCUI)' }) rxnormId: string;
  @Field(() => String, { nullable: true, description: 'Drug name as listed; null when not named' }) drugName: string | null;
  @Field(() => FormularyDifferenceKind, { description: 'How the plans differ on it' }) difference: FormularyDifferenceKind;
  @Field(() => String, { nullable: true, description: "Plan A's tier for it; null when plan A does not cover it" }) planATier: string | null;
  @Field(() => String, { nullable: true, description: "Plan B's tier for it; null when plan B does not cover it" }) planBTier: string | null;
  @Field(() => String, { nullable: true, description: "Plan A's 30-day in-network retail cost for the tier, in words" }) planACost: string | null;
  @Field(() => String, { nullable: true, description: "Plan B's 30-day in-network retail cost for the tier, in words" }) planBCost: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Plan A requires prior authorization; null when plan A does not cover it' })
  planAPriorAuthorization: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Plan B requires prior authorization; null when plan B does not cover it' })
  planBPriorAuthorization: boolean | null;
}

export const FormularyDifferenceConnection = ConnectionType(FormularyDifferenceModel, 'FormularyDifference', { noun: 'formulary difference' });

@ObjectType('FormularyComparison', { description: "Two plans' formularies side by side, drug by drug" })
export class FormularyComparisonModel {
  @Field(() => PlanModel, { description: 'The first plan compared' }) planA: PlanModel;
  @Field(() => PlanModel, { description: 'The second plan compared' }) planB: PlanModel;
  @Field(() => Int, { description: 'Drugs both plans cover' }) inBoth: number;
  @Field(() => Int, { description: 'Drugs only plan A covers' }) onlyInA: number;
  @Field(() => Int, { description: 'Drugs only plan B covers' }) onlyInB: number;
  @Field(() => Int, { description: 'Drugs both cover at differently named tiers' }) tierDifferences: number;
  @Field(() => FormularyDifferenceConnection, { description: 'The differences, in RXCUI order' }) differences: Connection<FormularyDifferenceModel>;
}

@ObjectType('PriorAuthorizationRate', { description: "An issuer's share of formulary entries (drug × plan) needing prior authorization" })
export class PriorAuthorizationRateModel {
  @Field({ description: '5-digit HIOS issuer id' }) issuerId: string;
  @Field({ description: "The carrier's name" }) issuerName: string;
  @Field(() => Int, { description: 'Its published plans in the state that have a formulary' }) plans: number;
  @Field(() => Int, { description: 'Drug × plan entries in its published formularies' }) formularyEntries: number;
  @Field(() => Int, { description: 'Entries requiring prior authorization' }) priorAuthorizationEntries: number;
  @Field(() => Float, { description: 'priorAuthorizationEntries / formularyEntries, 0 to 1' }) priorAuthorizationRate: number;
  @Field(() => Float, { description: 'Share of entries requiring step therapy, 0 to 1' }) stepTherapyRate: number;
  @Field(() => Float, { description: 'Share of entries with a quantity limit, 0 to 1' }) quantityLimitRate: number;
}
