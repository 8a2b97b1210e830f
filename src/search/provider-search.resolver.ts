import { Args, Query, Resolver } from '@nestjs/graphql';
import { SearchProvidersArgs } from './provider-search.args';
import { ProviderSearchConnection, ProviderSearchResultModel } from './provider-search.model';
import { ProviderSearchService } from './provider-search.service';

@Resolver(() => ProviderSearchResultModel)
export class ProviderSearchResolver {
  constructor(private readonly providerSearch: ProviderSearchService) {}

  @Query(() => ProviderSearchConnection, {
    description:
      'Find published provider listings by (typo-tolerant) name, ZIP and radius, specialty, type, language, gender, ' +
      'accepting new patients and plan network. One result per listing, with its nearest address when searching by ZIP.',
  })
  searchProviders(@Args() { filter, orderBy, first, after }: SearchProvidersArgs) {
    return this.providerSearch.search(filter, orderBy, first, after);
  }
}
