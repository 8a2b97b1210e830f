import { ArgsType, Field } from '@nestjs/graphql';
import { IsIssuerId, IsPlanId } from '../common/validators';

@ArgsType()
export class IssuerDataQualityArgs {
  @Field({ description: '5-digit HIOS issuer id' })
  @IsIssuerId()
  issuerId: string;
}

@ArgsType()
export class PlanDataQualityArgs {
  @Field({ description: '14-character HIOS plan id' })
  @IsPlanId()
  planId: string;
}
