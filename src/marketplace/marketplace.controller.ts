import { Controller, Get, Header, Param, Query, Req, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  CoverageSearchQuery,
  DetailsQuery,
  DrugPageQuery,
  DrugSearchQuery,
  DrugsCoveredQuery,
  MarketplaceBaseQuery,
  ProviderAutocompleteQuery,
  ProvidersCoveredQuery,
  ProviderSearchQuery,
} from './dto/marketplace-query.dto';
import {
  CoverageSearchResponseDto,
  CoverageStatsDto,
  DrugCoverageResponseDto,
  DrugListResponseDto,
  DrugPageResponseDto,
  DrugResponseDto,
  MarketplaceErrorDto,
  NearbyProvidersResponseDto,
  PlanResponseDto,
  ProviderCoverageResponseDto,
  ProviderPageResponseDto,
  ProviderResponseDto,
} from './dto/marketplace-response.dto';
import { MarketplaceExceptionFilter } from './marketplace-errors';
import { AUTOCOMPLETE_SIZE, MarketplaceService, SEARCH_PAGE_SIZE } from './marketplace.service';

export const MARKETPLACE_BASE_PATH = 'api/v1';
export const MARKETPLACE_TAG = 'Provider & Drug Coverage';

/** The `next` link of a page: the same request, starting at `cursor`. */
function nextLink(req: Request, cursor: string | null): { next?: string } {
  if (!cursor) return {};
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key === 'cursor') continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  params.set('cursor', cursor);
  return { next: `${req.baseUrl}${req.path}?${params.toString()}` };
}

/**
 * HealthCare.gov Marketplace API v1's coverage endpoints: same paths, parameters and JSON, answered by
 * the services behind GraphQL. Errors are the Marketplace's `{ code, status, message, error }`.
 */
@ApiTags(MARKETPLACE_TAG)
@ApiBadRequestResponse({ description: 'Invalid input (code 1003), naming the parameter', type: MarketplaceErrorDto })
@ApiTooManyRequestsResponse({ description: 'Rate limit exceeded (Retry-After says when to retry)', type: MarketplaceErrorDto })
@ApiServiceUnavailableResponse({ description: 'Coverage data temporarily unavailable (code 1012, Retry-After)', type: MarketplaceErrorDto })
@UseFilters(MarketplaceExceptionFilter)
@Controller(MARKETPLACE_BASE_PATH)
export class MarketplaceController {
  constructor(private readonly marketplace: MarketplaceService) {}

  @Get('providers/covered')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Whether providers are covered by plans',
    description:
      "One answer per NPI × plan (at most 50 × 50). Covered: the plan's directory lists the provider; NotCovered: the " +
      'directory is loaded for that year and omits the provider; DataNotProvided: no directory is loaded for that plan and year.',
  })
  @ApiOkResponse({ type: ProviderCoverageResponseDto })
  providersCovered(@Query() query: ProvidersCoveredQuery) {
    return this.marketplace.providersCovered(query.providerids, query.planids, query.year, query.details ?? false);
  }

  @Get('drugs/covered')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Whether drugs are covered by plans',
    description:
      'One answer per RxCUI × plan (at most 50 × 50). GenericCovered (with generic_rxcui): the brand is not on the ' +
      'formulary but a generic with the same ingredient, strength and dose form is. details=true adds tier, restrictions and cost.',
  })
  @ApiOkResponse({ type: DrugCoverageResponseDto })
  drugsCovered(@Query() query: DrugsCoveredQuery) {
    return this.marketplace.drugsCovered(query.drugs, query.planids, query.year, query.details ?? false);
  }

  @Get('drugs/autocomplete')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Autocomplete drugs by name', description: `Up to ${AUTOCOMPLETE_SIZE} drugs on published formularies, best match first.` })
  @ApiOkResponse({ type: DrugListResponseDto })
  async drugsAutocomplete(@Query() query: DrugSearchQuery): Promise<DrugListResponseDto> {
    const page = await this.marketplace.searchDrugs(query.q, AUTOCOMPLETE_SIZE);
    return { drugs: page.items };
  }

  @Get('drugs/search')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Search prescription drugs', description: `Pages of ${SEARCH_PAGE_SIZE}, best match first; \`next\` links the next page.` })
  @ApiOkResponse({ type: DrugPageResponseDto })
  async drugsSearch(@Query() query: DrugPageQuery, @Req() req: Request): Promise<DrugPageResponseDto> {
    const page = await this.marketplace.searchDrugs(query.q, SEARCH_PAGE_SIZE, query.cursor);
    return { drugs: page.items, ...nextLink(req, page.nextCursor) };
  }

  @Get('providers/autocomplete')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Autocomplete nearby providers', description: `Up to ${AUTOCOMPLETE_SIZE} providers within 25 miles of the ZIP code.` })
  @ApiOkResponse({ type: NearbyProvidersResponseDto })
  async providersAutocomplete(@Query() query: ProviderAutocompleteQuery): Promise<NearbyProvidersResponseDto> {
    const page = await this.marketplace.searchProviders({ q: query.q, zipcode: query.zipcode, types: query.type, pageSize: AUTOCOMPLETE_SIZE });
    return { providers: page.items };
  }

  @Get('providers/search')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Search providers',
    description: `Providers within 25 miles of the ZIP code, best name match first, in pages of ${SEARCH_PAGE_SIZE}.`,
  })
  @ApiOkResponse({ type: ProviderPageResponseDto })
  async providersSearch(@Query() query: ProviderSearchQuery, @Req() req: Request): Promise<ProviderPageResponseDto> {
    const page = await this.marketplace.searchProviders({
      q: query.q,
      zipcode: query.zipcode,
      types: query.type,
      specialty: query.specialty,
      year: query.year,
      cursor: query.cursor,
      pageSize: SEARCH_PAGE_SIZE,
    });
    return { providers: page.items, ...nextLink(req, page.nextCursor) };
  }

  @Get('coverage/stats')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Coverage statistics', description: 'Totals over the published files of every issuer.' })
  @ApiOkResponse({ type: CoverageStatsDto })
  coverageStats(@Query() _query: MarketplaceBaseQuery) {
    return this.marketplace.coverageStats();
  }

  @Get('coverage/search')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Search providers and drugs',
    description: `Up to ${AUTOCOMPLETE_SIZE} nearby providers and ${AUTOCOMPLETE_SIZE} drugs matching q.`,
  })
  @ApiOkResponse({ type: CoverageSearchResponseDto })
  coverageSearch(@Query() query: CoverageSearchQuery) {
    return this.marketplace.coverageSearch(query.q, query.zipcode);
  }

  @Get('plans/:planid')
  @Header('Cache-Control', 'no-store')
  @ApiTags('Insurance Plans')
  @ApiOperation({ summary: 'Get a plan', description: 'What the QHP files hold about a published plan: no premium or APTC.' })
  @ApiParam({ name: 'planid', description: '14-character HIOS plan id', example: '10001OH0020001' })
  @ApiOkResponse({ type: PlanResponseDto })
  @ApiNotFoundResponse({ description: 'Plan not found (code 1006)', type: MarketplaceErrorDto })
  plan(@Param('planid') planId: string, @Query() query: DetailsQuery) {
    return this.marketplace.plan(planId, query.year, query.details ?? false);
  }

  // Lookups by id come after the fixed paths above (drugs/covered, providers/search...), which they would shadow.

  @Get('providers/:npi')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Get a provider by NPI',
    description: 'As the published directories list it; details=true adds the plans whose networks include it.',
  })
  @ApiParam({ name: 'npi', description: '10-digit NPI', example: '1483666727' })
  @ApiOkResponse({ type: ProviderResponseDto })
  @ApiNotFoundResponse({ description: 'Provider not found (code 1013)', type: MarketplaceErrorDto })
  provider(@Param('npi') npi: string, @Query() query: DetailsQuery) {
    return this.marketplace.findProvider(npi, query.details ?? false);
  }

  @Get('drugs/:rxcui')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Get a drug by RxCUI', description: 'As the published formularies name it.' })
  @ApiParam({ name: 'rxcui', description: 'RxNorm concept id', example: '617318' })
  @ApiOkResponse({ type: DrugResponseDto })
  @ApiNotFoundResponse({ description: 'Drug not found (code 1014)', type: MarketplaceErrorDto })
  drug(@Param('rxcui') rxcui: string, @Query() _query: MarketplaceBaseQuery) {
    return this.marketplace.findDrug(rxcui);
  }
}
