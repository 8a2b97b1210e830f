import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROVIDER_TYPES } from './marketplace-query.dto';

/**
 * The Marketplace API's shapes, field for field (snake_case, its enum values). Fields the loaded QHP files
 * cannot fill are left out rather than invented; what this API adds lives under `details` only.
 */

export const COVERAGE_VALUES = ['Covered', 'NotCovered', 'DataNotProvided', 'GenericCovered'] as const;
export type MarketplaceCoverage = (typeof COVERAGE_VALUES)[number];

export const ACCEPTING_VALUES = ['accepting', 'not accepting', 'accepting in some locations', 'unknown'] as const;
export type MarketplaceAccepting = (typeof ACCEPTING_VALUES)[number];

export const METAL_LEVELS = ['Catastrophic', 'Bronze', 'Silver', 'Gold', 'Platinum'] as const;

export class MarketplaceErrorDto {
  @ApiProperty({ description: 'Marketplace API error code', example: '1003', enum: ['1000', '1003', '1006', '1012', '1013', '1014', 'OVER_RATE_LIMIT'] })
  code: string;
  @ApiProperty({ description: 'HTTP status, as a string', example: '400' })
  status: string;
  @ApiProperty({ description: 'What kind of error', example: 'invalid providers/covered request' })
  message: string;
  @ApiProperty({ description: 'The specific problem, naming the parameter', example: 'providerids[0]: NPI "123" must be exactly 10 digits' })
  error: string;
}

export class AddressDto {
  @ApiProperty({ example: '100 Main St' }) street_1: string;
  @ApiPropertyOptional({ example: 'Suite 200' }) street_2?: string;
  @ApiProperty({ example: 'Columbus' }) city: string;
  @ApiProperty({ example: 'OH' }) state: string;
  @ApiProperty({ example: '43215' }) zipcode: string;
}

export class ProvenanceDto {
  @ApiProperty({ description: 'Issuer whose published files answered', example: '10001' }) issuer_id: string;
  @ApiProperty({ description: 'Published dataset version (load) read' }) dataset_version_id: number;
  @ApiProperty({ description: 'The record the answer rests on', enum: ['PROVIDER_LISTING', 'DRUG', 'PLAN'] }) record_type: string;
  @ApiProperty({ nullable: true, type: String, description: 'File the record came from' }) source_file: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The record's last_updated_on (YYYY-MM-DD)" }) last_updated_on: string | null;
}

export class DetailedAddressDto extends AddressDto {
  @ApiPropertyOptional({ nullable: true, type: String }) phone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) latitude?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) longitude?: number | null;
}

export class ProviderCoverageDetailsDto {
  @ApiProperty({ enum: ['IN_NETWORK', 'OUT_OF_NETWORK', 'UNKNOWN'], description: "GraphQL's networkCoverage status" }) status: string;
  @ApiProperty({ enum: ['COVERED', 'NOT_COVERED', 'NOT_REPORTED'], description: "GraphQL's networkCoverage outcome" }) outcome: string;
  @ApiProperty({ nullable: true, type: String, description: 'PLAN_NOT_LOADED, YEAR_NOT_REPORTED, NETWORK_NOT_REPORTED or PROVIDER_NOT_FOUND' })
  reason: string | null;
  @ApiProperty({ description: 'The answer in a sentence' }) message: string;
  @ApiProperty({ type: [String], description: 'Network tiers the provider is in for this plan, e.g. PREFERRED' }) network_tiers: string[];
  @ApiProperty({ nullable: true, type: Boolean, description: 'true: accepting; false: not accepting; null: some locations or not said' })
  accepting_new_patients: boolean | null;
  @ApiProperty({ nullable: true, type: String, description: 'Name as the directory lists it' }) provider_name: string | null;
  @ApiProperty({ type: [DetailedAddressDto], description: 'Where the plan covers the provider, with phone and coordinates' })
  addresses: DetailedAddressDto[];
  @ApiProperty({ nullable: true, type: ProvenanceDto }) provenance: ProvenanceDto | null;
}

export class ProviderCoverageDto {
  @ApiProperty({ example: '1483666727' }) npi: string;
  @ApiProperty({ example: '10001OH0020001' }) plan_id: string;
  @ApiProperty({ enum: COVERAGE_VALUES.filter((c) => c !== 'GenericCovered') }) coverage: MarketplaceCoverage;
  @ApiProperty({ type: [AddressDto], description: 'Addresses at which the plan covers this provider, if any' }) addresses: AddressDto[];
  @ApiProperty({ enum: ACCEPTING_VALUES }) accepting: MarketplaceAccepting;
  @ApiPropertyOptional({ type: ProviderCoverageDetailsDto, description: 'Only with details=true' }) details?: ProviderCoverageDetailsDto;
}

export class ProviderCoverageResponseDto {
  @ApiProperty({ type: [ProviderCoverageDto], description: 'One answer per NPI × plan' }) coverage: ProviderCoverageDto[];
}

export class CostSharingDto {
  @ApiProperty({ example: '1-MONTH-IN-RETAIL' }) pharmacy_type: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Dollars' }) copay_amount: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'AFTER-DEDUCTIBLE' }) copay_opt: string | null;
  @ApiProperty({ nullable: true, type: Number, description: '0.0 to 1.0' }) coinsurance_rate: number | null;
  @ApiProperty({ nullable: true, type: String }) coinsurance_opt: string | null;
  @ApiProperty({ description: 'Plain-language line', example: '$10 copay before deductible, 30-day retail' }) display_string: string;
}

export class GenericDetailsDto {
  @ApiProperty({ example: '617310' }) rxcui: string;
  @ApiProperty() name: string;
  @ApiProperty() drug_tier: string;
  @ApiProperty({ nullable: true, type: String, description: 'The 30-day in-network retail cost, in words' }) cost_summary: string | null;
  @ApiProperty({ type: [CostSharingDto] }) cost_sharing: CostSharingDto[];
}

export class DrugCoverageDetailsDto {
  @ApiProperty({ enum: ['COVERED', 'NOT_COVERED', 'UNKNOWN'], description: "GraphQL's drugCoverage status" }) status: string;
  @ApiProperty({ enum: ['COVERED', 'NOT_COVERED', 'NOT_REPORTED'], description: "GraphQL's drugCoverage outcome" }) outcome: string;
  @ApiProperty({ nullable: true, type: String, description: 'NOT_ON_FORMULARY, PLAN_NOT_LOADED, YEAR_NOT_REPORTED or FORMULARY_NOT_REPORTED' })
  reason: string | null;
  @ApiProperty({ description: 'The answer in a sentence' }) message: string;
  @ApiProperty({ nullable: true, type: String }) drug_name: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'GENERIC' }) drug_tier: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) prior_authorization: boolean | null;
  @ApiProperty({ nullable: true, type: Boolean }) step_therapy: boolean | null;
  @ApiProperty({ nullable: true, type: Boolean }) quantity_limit: boolean | null;
  @ApiProperty({ nullable: true, type: Boolean }) mail_order: boolean | null;
  @ApiProperty({ type: [CostSharingDto], description: "Cost sharing per pharmacy type for the drug's tier" }) cost_sharing: CostSharingDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The 30-day in-network retail cost, in words',
    example: '$10 copay before deductible, 30-day retail',
  })
  cost_summary: string | null;
  @ApiProperty({ nullable: true, type: GenericDetailsDto, description: 'With GenericCovered: the covered generic, its tier and cost' })
  generic: GenericDetailsDto | null;
  @ApiProperty({ nullable: true, type: ProvenanceDto }) provenance: ProvenanceDto | null;
}

export class DrugCoverageDto {
  @ApiProperty({ example: '617318' }) rxcui: string;
  @ApiProperty({ example: '10001OH0010001' }) plan_id: string;
  @ApiProperty({ enum: COVERAGE_VALUES }) coverage: MarketplaceCoverage;
  @ApiPropertyOptional({ description: 'With GenericCovered: the RxCUI of the covered generic equivalent', example: '617310' })
  generic_rxcui?: string;
  @ApiPropertyOptional({ type: DrugCoverageDetailsDto, description: 'Only with details=true' }) details?: DrugCoverageDetailsDto;
}

export class DrugCoverageResponseDto {
  @ApiProperty({ type: [DrugCoverageDto], description: 'One answer per RxCUI × plan' }) coverage: DrugCoverageDto[];
}

export class DrugDto {
  @ApiProperty({ description: 'Drug id (the RxCUI)', example: '617318' }) id: string;
  @ApiProperty({ description: 'RxNorm name (from the ingredient crosswalk when loaded, else as the issuers publish it)' }) name: string;
  @ApiProperty({ example: '617318' }) rxcui: string;
  @ApiPropertyOptional({ description: 'Strength, where the crosswalk knows it', example: '20 MG' }) strength?: string;
  @ApiPropertyOptional({ description: 'Route; not in the loaded data, so omitted' }) route?: string;
  @ApiProperty({ description: 'Full name as the issuers publish it' }) full_name: string;
  @ApiPropertyOptional({ description: 'RxTerms dose form; not in the loaded data, so omitted' }) rxterms_dose_form?: string;
  @ApiPropertyOptional({ description: 'RxNorm dose form, where the crosswalk knows it', example: 'Oral Tablet' }) rxnorm_dose_form?: string;
}

export class DrugListResponseDto {
  @ApiProperty({ type: [DrugDto] }) drugs: DrugDto[];
}

export class DrugPageResponseDto extends DrugListResponseDto {
  @ApiPropertyOptional({ description: 'URL of the next page of results, if any' }) next?: string;
}

export class DrugResponseDto {
  @ApiProperty({ type: DrugDto }) drug: DrugDto;
}

export class ProviderDto {
  @ApiProperty({ example: '1483666727' }) npi: string;
  @ApiProperty({ example: 'John Smith' }) name: string;
  @ApiProperty({ enum: PROVIDER_TYPES }) type: string;
  @ApiPropertyOptional({ example: 'Male', description: 'As the directory states it (Male, Female, Other...)' }) gender?: string;
  @ApiProperty({ type: [String] }) specialties: string[];
  @ApiProperty({ type: [String] }) languages: string[];
  @ApiProperty({ enum: ACCEPTING_VALUES }) accepting: MarketplaceAccepting;
  @ApiProperty({ type: [String], description: 'For a facility, its facility types' }) facility_types: string[];
}

export class NearbyProviderDto {
  @ApiProperty({ type: ProviderDto }) provider: ProviderDto;
  @ApiPropertyOptional({ type: AddressDto, description: 'The listed address nearest the ZIP code' }) address?: AddressDto;
  @ApiProperty({ description: 'Miles from the ZIP code to that address', minimum: 0 }) distance: number;
}

export class NearbyProvidersResponseDto {
  @ApiProperty({ type: [NearbyProviderDto] }) providers: NearbyProviderDto[];
}

export class ProviderPageResponseDto extends NearbyProvidersResponseDto {
  @ApiPropertyOptional({ description: 'URL of the next page of results, if any' }) next?: string;
}

export class CoverageSearchResponseDto {
  @ApiProperty({ type: [NearbyProviderDto] }) providers: NearbyProviderDto[];
  @ApiProperty({ type: [DrugDto] }) drugs: DrugDto[];
}

export class ProviderPlanDto {
  @ApiProperty() plan_id: string;
  @ApiProperty({ description: 'The network tier the plan lists the provider in' }) network_tier: string;
  @ApiProperty({ type: [Number], description: 'Plan years stated (empty: not stated)' }) years: number[];
}

export class ProviderDetailsDto {
  @ApiProperty({ type: [ProviderPlanDto], description: 'The plans whose networks include the provider' }) plans: ProviderPlanDto[];
}

export class ProviderResponseDto {
  @ApiProperty({ type: ProviderDto }) provider: ProviderDto;
  @ApiPropertyOptional({ type: ProviderDetailsDto, description: 'Only with details=true' }) details?: ProviderDetailsDto;
}

export class CoverageStatsDto {
  @ApiProperty({ description: 'Issuers with published files' }) issuers: number;
  @ApiProperty({ description: 'Drug records in the published formularies' }) drugs: number;
  @ApiProperty({ description: 'Provider records in the published directories' }) providers: number;
  @ApiProperty({ description: 'Provider × plan network memberships' }) providers_plans: number;
  @ApiProperty({ description: 'Drug × plan formulary entries' }) drugs_plans: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the latest published load was published (ISO 8601)' }) last_refreshed_at: string | null;
}

export class IssuerDto {
  @ApiProperty({ description: '5-digit HIOS issuer id', example: '10001' }) id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() state?: string;
}

export class DrugTierDto {
  @ApiProperty() drug_tier: string;
  @ApiProperty() mail_order: boolean;
  @ApiProperty({ type: [CostSharingDto] }) cost_sharing: CostSharingDto[];
}

export class PlanDetailsDto {
  @ApiProperty({ type: [Number] }) years: number[];
  @ApiProperty({ type: [String], description: 'network_tier values the plan defines, e.g. PREFERRED' }) network_tiers: string[];
  @ApiProperty({ type: [DrugTierDto] }) drug_tiers: DrugTierDto[];
  @ApiProperty({ nullable: true, type: String }) plan_contact: string | null;
  @ApiProperty({ nullable: true, type: String }) last_updated_on: string | null;
  @ApiProperty({ type: ProvenanceDto }) provenance: ProvenanceDto;
}

export class PlanDto {
  @ApiProperty({ description: '14-character HIOS plan id', example: '10001OH0020001' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: IssuerDto }) issuer: IssuerDto;
  @ApiPropertyOptional({ enum: METAL_LEVELS, description: 'Read from the marketing name; omitted when it names none' }) metal_level?: string;
  @ApiPropertyOptional({ description: 'HMO, PPO...: not in the QHP files, so omitted' }) type?: string;
  @ApiProperty({ description: '2-letter state' }) state: string;
  @ApiPropertyOptional({ description: "The issuer's summary of benefits URL" }) benefits_url?: string;
  @ApiPropertyOptional({ description: "The plan's marketing URL" }) brochure_url?: string;
  @ApiPropertyOptional() formulary_url?: string;
  @ApiPropertyOptional({ description: 'Provider directory URL: not in the QHP plan records, so omitted' }) network_url?: string;
  @ApiPropertyOptional({ type: PlanDetailsDto, description: 'Only with details=true' }) details?: PlanDetailsDto;
}

export class PlanResponseDto {
  @ApiProperty({ type: PlanDto }) plan: PlanDto;
}
