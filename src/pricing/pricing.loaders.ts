import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { DrugReferenceService } from './drug-reference.service';
import { DrugPrice } from './out-of-pocket-estimate';

/** List prices by RXCUI, one query per request however many answers ask for an estimate. */
export function drugPriceLoader(ctx: GraphQLContext, reference: DrugReferenceService) {
  return loaderFor<string, DrugPrice | null>(ctx, 'drugPrice', (rxnormIds) => reference.findPrices(rxnormIds));
}
