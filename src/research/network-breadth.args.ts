import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsPlanId, IsStateCode } from '../common/validators';
import { MAX_GRID_SIDE } from '../providers/providers.args';
import { BreadthGroupBy, SortDirection } from './network-breadth.model';

@ArgsType()
export class NetworkBreadthArgs {
  @Field(() => [String], { nullable: true, description: `Plans to measure, at most ${MAX_GRID_SIDE}; or give state and year` })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsPlanId()
  planIds?: string[] | null;

  @Field(() => String, { nullable: true, description: `With year: every published plan of the state (at most ${MAX_GRID_SIDE})` })
  @IsOptional()
  @IsStateCode()
  state?: string | null;

  @Field(() => Int, { nullable: true, description: 'Plan year: only memberships stated for it (or stating none)' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number | null;

  @Field(() => String, { nullable: true, description: 'Count only providers with this specialty (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  specialty?: string | null;

  @Field(() => BreadthGroupBy, { nullable: true, description: 'Also break the counts down by state, 3-digit ZIP or specialty' })
  @IsOptional()
  @IsEnum(BreadthGroupBy)
  groupBy?: BreadthGroupBy | null;
}

@ArgsType()
export class RankPlansByBreadthArgs {
  @Field({ description: '2-letter state' })
  @IsStateCode()
  state: string;

  @Field(() => String, { nullable: true, description: 'e.g. Psychiatry (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  specialty?: string | null;

  @Field(() => Int, { nullable: true, description: 'Plan year: only plans and memberships stated for it (or stating none)' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number | null;

  @Field(() => SortDirection, { nullable: true, description: 'ASC (default): fewest providers first' })
  @IsOptional()
  @IsEnum(SortDirection)
  order?: SortDirection | null;

  @Field(() => Int, { nullable: true, description: 'How many plans, at most 100' })
  @IsOptional()
  @IsInt()
  first?: number | null;
}
