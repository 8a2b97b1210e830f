import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsIssuerId, IsPlanId, IsStateCode } from '../common/validators';

@ArgsType()
export class PlanArgs {
  @Field({ description: '14-character HIOS plan id' })
  @IsPlanId()
  planId: string;
}

@ArgsType()
export class PlansArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsIssuerId() issuerId?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsStateCode() state?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(2014) @Max(2100) year?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() metalLevel?: string;
}
