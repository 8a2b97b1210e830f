import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsRxcui, IsStateCode } from '../common/validators';

@ArgsType()
export class SearchDrugsArgs extends PageArgs {
  @Field({ description: 'Start of a brand or generic name (typos tolerated), or an RXCUI (digits)' })
  @IsString()
  @MaxLength(100)
  query: string;
}

@ArgsType()
export class PlansCoveringArgs extends PageArgs {
  @Field({ description: 'RxNorm id (RXCUI)' })
  @IsRxcui()
  rxnormId: string;

  @Field(() => String, { nullable: true, description: '2-letter state of the plans' })
  @IsOptional()
  @IsStateCode()
  state?: string | null;

  @Field(() => Int, { nullable: true, description: 'Plan year' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number | null;
}
