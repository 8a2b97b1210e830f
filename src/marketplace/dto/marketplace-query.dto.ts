import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, TransformFnParams } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsNpi, IsPlanId, IsRxcui } from '../../common/validators';
import { MAX_GRID_SIDE } from '../../providers/providers.args';

/**
 * A list parameter as the Marketplace takes it: comma-separated (`planids=A,B`), repeated
 * (`planids=A&planids=B`) or both. Empty items are dropped.
 */
export function toList({ value }: TransformFnParams): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value])
    .flatMap((item) => String(item).split(','))
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `year=2026` as a number; anything else is left for @IsInt to refuse. */
function toYear({ value }: TransformFnParams): unknown {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
}

/** `details=true|1|false|0`; anything else is left for @IsBoolean to refuse. */
function toFlag({ value }: TransformFnParams): unknown {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

export const PROVIDER_TYPES = ['Individual', 'Facility', 'Group'] as const;
export type MarketplaceProviderType = (typeof PROVIDER_TYPES)[number];

/** `type=facility,Individual` as the Marketplace's capitalised values. */
function toProviderTypes(params: TransformFnParams): string[] | undefined {
  return toList(params)?.map((type) => PROVIDER_TYPES.find((known) => known.toLowerCase() === type.toLowerCase()) ?? type);
}

const LIST_NOTE = 'comma-separated, or the parameter repeated';

/** Parameters every Marketplace call accepts. */
export class MarketplaceBaseQuery {
  @ApiPropertyOptional({
    description: 'API key. Counted against the per-key rate limit, like an `X-API-Key` header; requests without one are limited per address.',
    example: 'your-key',
  })
  @IsOptional()
  @IsString()
  apikey?: string;
}

export class YearQuery extends MarketplaceBaseQuery {
  @ApiPropertyOptional({ description: "4-digit plan year; omitted: any year the issuers' files state", example: 2026, type: Number })
  @Transform(toYear)
  @IsOptional()
  @IsInt({ message: 'year must be a 4-digit year' })
  @Min(2014)
  @Max(2100)
  year?: number;
}

export class DetailsQuery extends YearQuery {
  @ApiPropertyOptional({
    description:
      'true: add a `details` object to each answer with what the QHP files say beyond the Marketplace fields ' +
      '(tier, restrictions, cost sharing in plain language, network tiers, provenance). Marketplace fields are unchanged.',
    type: Boolean,
    example: true,
  })
  @Transform(toFlag)
  @IsOptional()
  @IsBoolean({ message: 'details must be true or false' })
  details?: boolean;
}

/** The `planids` list of the coverage calls: required, 1 to MAX_GRID_SIDE HIOS plan ids. */
function PlanIdsParameter(example: string): (target: object, propertyName: string) => void {
  const decorators = [
    ApiProperty({ description: `14-character HIOS plan ids, ${LIST_NOTE}; at most ${MAX_GRID_SIDE}`, example, type: String }),
    Transform(toList),
    IsDefined({ message: 'planids is required: HIOS plan ids, comma-separated' }),
    ArrayMinSize(1, { message: 'planids needs at least one plan id' }),
    ArrayMaxSize(MAX_GRID_SIDE, { message: `planids takes at most ${MAX_GRID_SIDE} plan ids` }),
    IsPlanId(),
  ];
  return (target, propertyName) => decorators.forEach((decorate) => decorate(target, propertyName));
}

export class ProvidersCoveredQuery extends DetailsQuery {
  @ApiProperty({ description: `NPIs (10 digits), ${LIST_NOTE}; at most ${MAX_GRID_SIDE}`, example: '1483666727,1023265162', type: String })
  @Transform(toList)
  @IsDefined({ message: 'providerids is required: NPIs, comma-separated' })
  @ArrayMinSize(1, { message: 'providerids needs at least one NPI' })
  @ArrayMaxSize(MAX_GRID_SIDE, { message: `providerids takes at most ${MAX_GRID_SIDE} NPIs` })
  @IsNpi()
  providerids: string[];

  @PlanIdsParameter('10001OH0020001,10001OH0010001')
  planids: string[];
}

export class DrugsCoveredQuery extends DetailsQuery {
  @ApiProperty({ description: `RxCUIs, ${LIST_NOTE}; at most ${MAX_GRID_SIDE}`, example: '617318,617310', type: String })
  @Transform(toList)
  @IsDefined({ message: 'drugs is required: RxCUIs, comma-separated' })
  @ArrayMinSize(1, { message: 'drugs needs at least one RxCUI' })
  @ArrayMaxSize(MAX_GRID_SIDE, { message: `drugs takes at most ${MAX_GRID_SIDE} RxCUIs` })
  @IsRxcui()
  drugs: string[];

  @PlanIdsParameter('10001OH0010001,10001OH0020001')
  planids: string[];
}

/** Drug autocomplete and search: a name (typos tolerated) of at least 3 characters, or an RxCUI. */
export class DrugSearchQuery extends YearQuery {
  @ApiProperty({ description: 'Drug name (at least 3 characters, typos tolerated) or an RxCUI', example: 'lipitor' })
  @IsDefined({ message: 'q is required' })
  @IsString()
  @ValidateIf((query: DrugSearchQuery) => !/^[0-9]{1,10}$/.test(query.q?.trim() ?? ''))
  @MinLength(3, { message: 'q needs at least 3 characters of a drug name, or an RxCUI' })
  @MaxLength(100)
  q: string;
}

export class DrugPageQuery extends DrugSearchQuery {
  @ApiPropertyOptional({ description: 'Where the next page starts: the `next` link of the previous page carries it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

/** Where and what kind of provider: the ZIP and the types, shared by provider autocomplete and search. */
export class ProviderPlaceQuery extends MarketplaceBaseQuery {
  @ApiProperty({ description: '5-digit ZIP code: providers within 25 miles, nearest first', example: '43215' })
  @IsDefined({ message: 'zipcode is required' })
  @Matches(/^[0-9]{5}$/, { message: 'zipcode must be 5 digits' })
  zipcode: string;

  @ApiPropertyOptional({
    description: `Provider types (${PROVIDER_TYPES.join(', ')}), ${LIST_NOTE}; omitted: all`,
    example: 'Individual,Facility',
    type: String,
  })
  @Transform(toProviderTypes)
  @IsOptional()
  @IsIn(PROVIDER_TYPES, { each: true, message: `type must be ${PROVIDER_TYPES.join(', ')} (comma-separated)` })
  type?: MarketplaceProviderType[];
}

export class ProviderAutocompleteQuery extends ProviderPlaceQuery {
  @ApiProperty({ description: 'Provider or facility name, at least 3 characters (typos tolerated)', example: 'riverside' })
  @IsDefined({ message: 'q is required' })
  @IsString()
  @MinLength(3, { message: 'q needs at least 3 characters' })
  @MaxLength(100)
  q: string;
}

export class ProviderSearchQuery extends ProviderPlaceQuery {
  @ApiProperty({ description: 'Provider or facility name (typos tolerated)', example: 'john smith' })
  @IsDefined({ message: 'q is required' })
  @IsString()
  @MinLength(2, { message: 'q needs at least 2 characters' })
  @MaxLength(100)
  q: string;

  @ApiPropertyOptional({ description: 'A listed specialty, case-insensitive', example: 'Family Medicine' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  specialty?: string;

  @ApiPropertyOptional({ description: 'Only providers whose network memberships state this plan year (or state none)', example: 2026, type: Number })
  @Transform(toYear)
  @IsOptional()
  @IsInt({ message: 'year must be a 4-digit year' })
  @Min(2014)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'Where the next page starts: the `next` link of the previous page carries it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class CoverageSearchQuery extends MarketplaceBaseQuery {
  @ApiProperty({ description: 'Provider, facility or drug name, at least 3 characters', example: 'atorvastatin' })
  @IsDefined({ message: 'q is required' })
  @IsString()
  @MinLength(3, { message: 'q needs at least 3 characters' })
  @MaxLength(100)
  q: string;

  @ApiProperty({ description: '5-digit ZIP code: providers within 25 miles, nearest first', example: '43215' })
  @IsDefined({ message: 'zipcode is required' })
  @Matches(/^[0-9]{5}$/, { message: 'zipcode must be 5 digits' })
  zipcode: string;
}
