import { ArgsType, Field, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsInt, IsOptional, Min } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsPlanId } from '../common/validators';
import { NetworkChangeKind } from './change-history.model';

@ArgsType()
export class ChangeHistoryArgs extends PageArgs {
  @Field({ description: '14-character HIOS plan id' })
  @IsPlanId()
  planId: string;

  @Field(() => Int, { nullable: true, description: 'Compare from this version of the issuer' })
  @IsOptional()
  @IsInt()
  @Min(1)
  sinceVersionId?: number | null;

  @Field(() => Date, { nullable: true, description: 'Compare from the version published at or just before this time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Compare to this version (default: the published one)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  untilVersionId?: number | null;
}

@ArgsType()
export class NetworkChangesArgs extends ChangeHistoryArgs {
  @Field(() => NetworkChangeKind, { nullable: true, description: 'Only additions or only drops' })
  @IsOptional()
  @IsEnum(NetworkChangeKind)
  change?: NetworkChangeKind | null;
}
