import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsRxcui, IsStateCode } from '../common/validators';

@ArgsType()
export class SearchDrugsArgs {
  @Field({ description: 'Start of a brand or generic name (typos tolerated), or an RXCUI (digits)' })
  @IsString() @MaxLength(100)
  query: string;

  @Field(() => Int, { nullable: true, description: 'Page size, at most 100' })
  @IsOptional() @IsInt()
  first?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional() @IsString()
  after?: string | null;
}

@ArgsType()
export class PlansCoveringArgs {
  @Field({ description: 'RxNorm id (RXCUI)' })
  @IsRxcui()
  rxnormId: string;

  @Field(() => String, { nullable: true, description: '2-letter state of the plans' })
  @IsOptional() @IsStateCode()
  state?: string | null;

  @Field(() => Int, { nullable: true, description: 'Plan year' })
  @IsOptional() @IsInt() @Min(2014) @Max(2100)
  year?: number | null;

  @Field(() => Int, { nullable: true, description: 'Page size, at most 100' })
  @IsOptional() @IsInt()
  first?: number | null;

  @Field(() => String, { nullable: true })
  @IsOptional() @IsString()
  after?: string | null;
}
