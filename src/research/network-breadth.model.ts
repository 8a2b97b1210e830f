import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PlanModel } from '../plans/models/plan.model';

export enum BreadthGroupBy {
  /** State of the provider's listed address. */
  STATE = 'STATE',
  /** First 3 digits of the listed address ZIP (the USPS sectional center). */
  ZIP3 = 'ZIP3',
  /** County of the listed address's ZIP code (5-digit FIPS code). */
  COUNTY = 'COUNTY',
  SPECIALTY = 'SPECIALTY',
}
registerEnumType(BreadthGroupBy, {
  name: 'BreadthGroupBy',
  description: 'How network breadth is broken down',
  valuesMap: {
    STATE: { description: "State of the provider's listed address" },
    ZIP3: { description: 'First 3 digits of the listed address ZIP (the USPS sectional center)' },
    COUNTY: {
      description:
        "County of the listed address's ZIP code, by its 5-digit FIPS code (a ZIP code crossing a county line counts in the county holding most of it)",
    },
    SPECIALTY: { description: 'Specialty as listed (lower-cased)' },
  },
});

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Order of a ranking',
  valuesMap: {
    ASC: { description: 'Smallest first' },
    DESC: { description: 'Largest first' },
  },
});

@ObjectType('NetworkBreadthGroup', { description: 'Distinct in-network NPIs in one area or specialty' })
export class NetworkBreadthGroupModel {
  @Field({ description: 'State, 3-digit ZIP, 5-digit county FIPS code or specialty (lower-cased, as specialties are matched)' }) key: string;
  @Field(() => String, { nullable: true, description: "The group's name when its key is a code: 'Cook, IL' for county 17031" }) name: string | null;
  @Field(() => Int, { description: 'Distinct NPIs (matching the specialty filter, if any)' }) providers: number;
  @Field(() => Int, { description: 'Distinct hospital NPIs' }) hospitals: number;
}

@ObjectType('NetworkBreadth', { description: "How broad a plan's provider network is" })
export class NetworkBreadthModel {
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field(() => PlanModel, { nullable: true, description: 'null when no issuer has published the plan' }) plan: PlanModel | null;
  @Field({ description: "false when the plan's issuer published no provider directory: the counts are then unknown, not zero" })
  networkReported: boolean;
  @Field(() => Int, { description: 'Distinct in-network NPIs (matching the specialty filter, if any)' }) providers: number;
  @Field(() => Int, { description: "Distinct in-network NPIs of hospitals (a facility type naming 'Hospital')" }) hospitals: number;
  @Field(() => [NetworkBreadthGroupModel], { description: 'Per groupBy key; an NPI listed in two areas counts in both' })
  groups: NetworkBreadthGroupModel[];
}

@ObjectType('PlanBreadthRank', { description: 'A plan ranked by the number of in-network providers' })
export class PlanBreadthRankModel {
  @Field(() => Int, { description: '1 = fewest (ASC) or most (DESC); ties share a rank' }) rank: number;
  @Field({ description: '14-character HIOS plan id' }) planId: string;
  @Field(() => PlanModel, { description: 'The plan' }) plan: PlanModel;
  @Field(() => Int, { description: 'Distinct in-network NPIs (matching the specialty, if given)' }) providers: number;
}
