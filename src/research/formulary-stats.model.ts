import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, ConnectionType } from '../common/pagination';
import { DrugModel } from '../formulary/models/drug.model';
import { PlanModel } from '../plans/models/plan.model';

@ObjectType('TierCount')
export class TierCountModel {
  @Field() drugTier: string;
  @Field(() => Int) plans: number;
}

@ObjectType('IssuerDrugCoverage', { description: "One issuer's plans in one state, for one drug" })
export class IssuerDrugCoverageModel {
  @Field() issuerId: string;
  @Field() issuerName: string;
  @Field() state: string;
  @Field(() => Int, { description: 'Published plans whose issuer published a formulary' }) plansWithFormulary: number;
  @Field(() => Int) plansCovering: number;
  @Field(() => Float, { description: 'plansCovering / plansWithFormulary (0 when there are none)' }) coverageShare: number;
  @Field(() => Int) priorAuthorizationPlans: number;
  @Field(() => [TierCountModel], { description: 'Covering plans per drug tier' }) tiers: TierCountModel[];
}

@ObjectType('DrugCoverageStats', { description: 'How widely published formularies cover a drug, and at which tiers' })
export class DrugCoverageStatsModel {
  @Field() rxnormId: string;
  @Field(() => DrugModel, { nullable: true }) drug: DrugModel | null;
  @Field(() => Int) plansWithFormulary: number;
  @Field(() => Int) plansCovering: number;
  @Field(() => Float) coverageShare: number;
  @Field(() => Int) priorAuthorizationPlans: number;
  @Field(() => [TierCountModel]) tiers: TierCountModel[];
  @Field(() => [IssuerDrugCoverageModel]) byIssuer: IssuerDrugCoverageModel[];
}

export enum FormularyDifferenceKind {
  ONLY_IN_A = 'ONLY_IN_A',
  ONLY_IN_B = 'ONLY_IN_B',
  TIER_DIFFERS = 'TIER_DIFFERS',
}
registerEnumType(FormularyDifferenceKind, { name: 'FormularyDifferenceKind' });

@ObjectType('FormularyDifference', { description: 'A drug one plan covers and the other not, or covers at another tier' })
export class FormularyDifferenceModel {
  @Field() rxnormId: string;
  @Field(() => String, { nullable: true }) drugName: string | null;
  @Field(() => FormularyDifferenceKind) difference: FormularyDifferenceKind;
  @Field(() => String, { nullable: true }) planATier: string | null;
  @Field(() => String, { nullable: true }) planBTier: string | null;
  @Field(() => String, { nullable: true, description: "Plan A's 30-day in-network retail cost for the tier, in words" }) planACost: string | null;
  @Field(() => String, { nullable: true }) planBCost: string | null;
  @Field(() => Boolean, { nullable: true }) planAPriorAuthorization: boolean | null;
  @Field(() => Boolean, { nullable: true }) planBPriorAuthorization: boolean | null;
}

export const FormularyDifferenceConnection = ConnectionType(FormularyDifferenceModel, 'FormularyDifference');

@ObjectType('FormularyComparison')
export class FormularyComparisonModel {
  @Field(() => PlanModel) planA: PlanModel;
  @Field(() => PlanModel) planB: PlanModel;
  @Field(() => Int, { description: 'Drugs both plans cover' }) inBoth: number;
  @Field(() => Int) onlyInA: number;
  @Field(() => Int) onlyInB: number;
  @Field(() => Int, { description: 'Drugs both cover at differently named tiers' }) tierDifferences: number;
  @Field(() => FormularyDifferenceConnection, { description: 'The differences, in RXCUI order' }) differences: Connection<FormularyDifferenceModel>;
}

@ObjectType('PriorAuthorizationRate', { description: "An issuer's share of formulary entries (drug × plan) needing prior authorization" })
export class PriorAuthorizationRateModel {
  @Field() issuerId: string;
  @Field() issuerName: string;
  @Field(() => Int) plans: number;
  @Field(() => Int, { description: 'Drug × plan entries in its published formularies' }) formularyEntries: number;
  @Field(() => Int) priorAuthorizationEntries: number;
  @Field(() => Float) priorAuthorizationRate: number;
  @Field(() => Float) stepTherapyRate: number;
  @Field(() => Float) quantityLimitRate: number;
}
