import { ArgsType, Field, Float, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsPlanId } from '../common/validators';
import { ACCEPTING, GENDERS, NOT_ACCEPTING, oneOf } from '../qhp/vocabulary';
import { ProviderKind, ProviderSearchOrder } from './provider-search.model';

@InputType('ProviderSearchFilter', { description: 'At least one of name, zip, planId or specialty is required' })
export class ProviderSearchFilter {
  @Field(() => String, { nullable: true, description: 'Person or facility name; typo-tolerant ("jonh smth" finds John Smith)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'A listed specialty, case-insensitive, e.g. Psychiatry' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  specialty?: string | null;

  @Field(() => ProviderKind, { nullable: true, description: 'Only individuals, facilities or groups' })
  @IsOptional()
  @IsEnum(ProviderKind)
  type?: ProviderKind | null;

  @Field(() => String, { nullable: true, description: 'A listed facility type, case-insensitive, e.g. Hospital' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  facilityType?: string | null;

  @Field(() => String, { nullable: true, description: '5-digit ZIP: results within radiusMiles of its centroid, with distances' })
  @IsOptional()
  @IsString()
  zip?: string | null;

  @Field(() => Float, { nullable: true, description: 'Search radius around zip in miles, at most 100 (default 25)' })
  @IsOptional()
  @IsNumber()
  radiusMiles?: number | null;

  @Field(() => String, { nullable: true, description: 'A spoken language, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  language?: string | null;

  @Field(() => String, { nullable: true, description: oneOf(GENDERS) })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  gender?: string | null;

  @Field(() => Boolean, { nullable: true, description: `true: listed as "${ACCEPTING}"; false: "${NOT_ACCEPTING}"` })
  @IsOptional()
  @IsBoolean()
  acceptingNewPatients?: boolean | null;

  @Field(() => String, { nullable: true, description: "Only providers in this plan's network" })
  @IsOptional()
  @IsPlanId()
  planId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only network memberships stated for this plan year (or stating none)' })
  @IsOptional()
  @IsInt()
  @Min(2014)
  @Max(2100)
  year?: number | null;
}

@ArgsType()
export class SearchProvidersArgs extends PageArgs {
  @Field(() => ProviderSearchFilter, { description: 'What to look for' })
  @ValidateNested()
  @Type(() => ProviderSearchFilter)
  filter: ProviderSearchFilter;

  @Field(() => ProviderSearchOrder, { nullable: true, description: 'Result order; the default depends on the filter' })
  @IsOptional()
  @IsEnum(ProviderSearchOrder)
  orderBy?: ProviderSearchOrder | null;
}
