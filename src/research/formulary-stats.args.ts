import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsPlanId, IsRxcui, IsStateCode } from '../common/validators';

@ArgsType()
export class DrugCoverageStatsArgs {
  @Field({ description: 'RxNorm id (RXCUI)' })
  @IsRxcui()
  rxnormId: string;

  @Field(() => Int, { nullable: true, description: 'Only plans and entries stated for this year (or stating none)' })
  @IsOptional() @IsInt() @Min(2014) @Max(2100)
  year?: number | null;
}

@ArgsType()
export class CompareFormulariesArgs {
  @Field() @IsPlanId() planA: string;
  @Field() @IsPlanId() planB: string;

  @Field(() => Int, { nullable: true, description: 'Page size, at most 100' })
  @IsOptional() @IsInt()
  first?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional() @IsString()
  after?: string | null;
}

@ArgsType()
export class PriorAuthorizationRatesArgs {
  @Field({ description: '2-letter state' })
  @IsStateCode()
  state: string;
}
