import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsNpi, IsPlanId } from '../common/validators';

/** A doctors × plans grid has at most this many rows and columns. */
export const MAX_GRID_SIDE = 50;

@ArgsType()
export class NetworkCoverageArgs {
  @Field(() => [String], { description: 'NPIs (10 digits), at most 50' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsNpi()
  npis: string[];

  @Field(() => [String], { description: '14-character HIOS plan ids, at most 50' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsPlanId()
  planIds: string[];

  @Field(() => Int, { nullable: true, description: 'Plan year; omitted: any year the data states' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number;
}

@ArgsType()
export class ProviderArgs {
  @Field({ description: '10-digit NPI' })
  @IsNpi()
  npi: string;
}
