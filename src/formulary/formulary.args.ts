import { ArgsType, Field, Int } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsPlanId, IsRxcui } from '../common/validators';
import { MAX_GRID_SIDE } from '../providers/providers.args';

@ArgsType()
export class DrugCoverageArgs {
  @Field(() => [String], { description: 'RxNorm ids (RXCUI), at most 50' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsRxcui()
  rxnormIds: string[];

  @Field(() => [String], { description: '14-character HIOS plan ids, at most 50' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_GRID_SIDE)
  @IsPlanId()
  planIds: string[];

  @Field(() => Int, { nullable: true, description: 'Plan year; when omitted, any year the plan is loaded for' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number;
}

@ArgsType()
export class DrugArgs {
  @Field({ description: 'RxNorm id (RXCUI)' })
  @IsRxcui()
  rxnormId: string;
}
