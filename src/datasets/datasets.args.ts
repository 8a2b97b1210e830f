import { ArgsType, Field, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { IsIssuerId } from '../common/validators';

@ArgsType()
export class IssuerArgs {
  @Field({ description: '5-digit HIOS issuer id' })
  @IsIssuerId()
  issuerId: string;
}

@ArgsType()
export class DatasetVersionsArgs extends IssuerArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100' }) @IsOptional() @IsInt() first?: number;
  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' }) @IsOptional() @IsString() after?: string;
}
