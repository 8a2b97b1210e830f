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
  @Field(() => String, { nullable: true, description: "Only this carrier's plans (5-digit HIOS issuer id)" }) @IsOptional() @IsIssuerId() issuerId?: string;
  @Field(() => String, { nullable: true, description: 'Only plans sold in this state (2-letter code, e.g. OH)' }) @IsOptional() @IsStateCode() state?: string;
  @Field(() => Int, { nullable: true, description: 'Only plans published for this plan year' }) @IsOptional() @IsInt() @Min(2014) @Max(2100) year?: number;
  @Field(() => String, { nullable: true, description: 'Only plans of this metal level: Bronze, Silver, Gold, Platinum or Catastrophic (case-insensitive)' })
  @IsOptional()
  @IsString()
  metalLevel?: string;
}
