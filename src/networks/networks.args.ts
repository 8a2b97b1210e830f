import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsNumber, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsPlanId } from '../common/validators';
import { BreadthGroupBy } from '../research/network-breadth.model';
import { ProviderKind } from '../search/provider-search.model';

@ArgsType()
export class NetworkArgs {
  @Field({ description: 'A network id, as Plan.networks or networks(issuerId) return it' })
  @IsString()
  @MaxLength(200)
  id: string;
}

@ArgsType()
export class IssuerNetworksArgs {
  @Field({ description: '5-digit HIOS issuer id' })
  @Matches(/^[0-9]{5}$/, { message: 'issuerId must be a 5-digit HIOS issuer id' })
  issuerId: string;
}

@ArgsType()
export class PlansSharingNetworkArgs {
  @Field({ description: '14-character HIOS plan id' })
  @IsPlanId()
  planId: string;
}

@InputType('NetworkProviderFilter', { description: "Narrows a network's providers; every field is optional" })
export class NetworkProviderFilter {
  @Field(() => String, { nullable: true, description: 'Person or facility name; typo-tolerant' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'A listed specialty, case-insensitive, e.g. Psychiatry' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  specialty?: string | null;

  @Field(() => ProviderKind, { nullable: true, description: 'INDIVIDUAL, FACILITY or GROUP' })
  @IsOptional()
  @IsEnum(ProviderKind)
  type?: ProviderKind | null;

  @Field(() => String, { nullable: true, description: '5-digit ZIP: providers within radiusMiles of its centroid, nearest first' })
  @IsOptional()
  @IsString()
  zip?: string | null;

  @Field(() => Number, { nullable: true, description: 'Search radius around zip in miles, at most 100 (default 25)' })
  @IsOptional()
  @IsNumber()
  radiusMiles?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'true: accepting new patients; false: not accepting' })
  @IsOptional()
  @IsBoolean()
  acceptingNewPatients?: boolean | null;
}

@ArgsType()
export class NetworkProvidersArgs extends PageArgs {
  @Field(() => NetworkProviderFilter, { nullable: true, description: "Optional narrowing of the network's providers" })
  @IsOptional()
  @ValidateNested()
  @Type(() => NetworkProviderFilter)
  filter?: NetworkProviderFilter | null;
}

@ArgsType()
export class NetworkSizeArgs {
  @Field(() => BreadthGroupBy, { description: 'SPECIALTY, STATE or ZIP3 (3-digit ZIP of a listed address)' })
  @IsEnum(BreadthGroupBy)
  groupBy: BreadthGroupBy;
}
