import { ArgsType, Field, InputType, PickType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsPlanId } from '../common/validators';
import { BreadthGroupBy } from '../research/network-breadth.model';
import { ProviderSearchFilter } from '../search/provider-search.args';

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

/** The provider search's own filter fields that apply within one network (same meaning, same checks). */
@InputType('NetworkProviderFilter', { description: "Narrows a network's providers; every field is optional" })
export class NetworkProviderFilter extends PickType(
  ProviderSearchFilter,
  ['name', 'specialty', 'type', 'zip', 'radiusMiles', 'acceptingNewPatients'] as const,
  InputType,
) {}

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
  @Field(() => BreadthGroupBy, { description: 'SPECIALTY, STATE, ZIP3 (3-digit ZIP of a listed address) or COUNTY (its 5-digit FIPS code)' })
  @IsEnum(BreadthGroupBy)
  groupBy: BreadthGroupBy;
}
