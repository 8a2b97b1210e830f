import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsNpi, IsPlanId, IsRxcui, IsStateCode } from '../common/validators';
import { MAX_GRID_SIDE } from '../providers/providers.args';

@ArgsType()
export class ComparePlansArgs {
  @Field(() => [String], { defaultValue: [], description: `NPIs of the doctors to check, at most ${MAX_GRID_SIDE}` })
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsNpi()
  npis: string[];

  @Field(() => [String], { defaultValue: [], description: `RXCUIs of the drugs to price, at most ${MAX_GRID_SIDE}` })
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsRxcui()
  rxnormIds: string[];

  @Field(() => [String], { nullable: true, description: `Plans to compare, at most ${MAX_GRID_SIDE}; or give state and year` })
  @IsOptional()
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsPlanId()
  planIds?: string[] | null;

  @Field(() => String, { nullable: true, description: `With year: every published plan of the state (at most ${MAX_GRID_SIDE})` })
  @IsOptional()
  @IsStateCode()
  state?: string | null;

  @Field(() => Int, { nullable: true, description: 'Plan year; also filters the network and formulary answers' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number | null;
}
