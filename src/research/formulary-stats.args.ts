import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsPlanId, IsRxcui, IsStateCode } from '../common/validators';

@ArgsType()
export class DrugCoverageStatsArgs {
  @Field({ description: 'RxNorm id (RXCUI)' })
  @IsRxcui()
  rxnormId: string;

  @Field(() => Int, { nullable: true, description: 'Only plans and entries stated for this year (or stating none)' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number | null;
}

@ArgsType()
export class CompareFormulariesArgs extends PageArgs {
  @Field({ description: 'First plan (14-character HIOS plan id)' }) @IsPlanId() planA: string;
  @Field({ description: 'Second plan (14-character HIOS plan id)' }) @IsPlanId() planB: string;
}

@ArgsType()
export class PriorAuthorizationRatesArgs {
  @Field({ description: '2-letter state' })
  @IsStateCode()
  state: string;
}
