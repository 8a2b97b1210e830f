import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../common/pagination';
import { ProviderType } from '../qhp/vocabulary';
import { ProviderAddressModel, ProviderListingModel } from '../providers/models/provider.model';

export enum ProviderSearchOrder {
  /** Best name match first (needs `name`). */
  RELEVANCE = 'RELEVANCE',
  /** Nearest first (needs `zip`). */
  DISTANCE = 'DISTANCE',
  NAME = 'NAME',
}
registerEnumType(ProviderSearchOrder, {
  name: 'ProviderSearchOrder',
  description: 'RELEVANCE needs a name and DISTANCE a zip. Default: RELEVANCE with a name, else DISTANCE with a zip, else NAME',
});

/** GraphQL's name for the QHP provider `type`. */
export const ProviderKind = ProviderType;
export type ProviderKind = ProviderType;
registerEnumType(ProviderKind, { name: 'ProviderKind', description: 'The QHP provider `type`' });

@ObjectType('ProviderSearchResult', { description: 'One published provider listing that matches the search' })
export class ProviderSearchResultModel {
  @Field(() => ProviderListingModel) listing: ProviderListingModel;
  @Field(() => Float, { nullable: true, description: 'Miles from the ZIP centroid to the nearest listed address (with zip)' })
  distanceMiles: number | null;
  @Field(() => ProviderAddressModel, { nullable: true, description: 'The listed address nearest the ZIP (with zip)' })
  nearestAddress: ProviderAddressModel | null;
  @Field(() => Float, { nullable: true, description: 'Name match score from 0 to 1 (with name)' })
  relevance: number | null;
}

export const ProviderSearchConnection = ConnectionType(ProviderSearchResultModel, 'ProviderSearchResult');
