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
  valuesMap: {
    RELEVANCE: { description: 'Best name match first (needs name)' },
    DISTANCE: { description: 'Nearest first (needs zip)' },
    NAME: { description: 'Alphabetical by display name' },
  },
});

/** GraphQL's name for the QHP provider `type`. */
export const ProviderKind = ProviderType;
export type ProviderKind = ProviderType;
registerEnumType(ProviderKind, {
  name: 'ProviderKind',
  description: 'The QHP provider `type`',
  valuesMap: {
    INDIVIDUAL: { description: 'A person: doctor, nurse practitioner, therapist...' },
    FACILITY: { description: 'A place: hospital, clinic, lab, pharmacy...' },
    GROUP: { description: 'A group practice listed under one name' },
  },
});

@ObjectType('ProviderSearchResult', { description: 'One published provider listing that matches the search' })
export class ProviderSearchResultModel {
  @Field(() => ProviderListingModel, { description: 'The matching directory entry' }) listing: ProviderListingModel;
  @Field(() => Float, { nullable: true, description: 'Miles from the ZIP centroid to the nearest listed address (with zip)' })
  distanceMiles: number | null;
  @Field(() => ProviderAddressModel, { nullable: true, description: 'The listed address nearest the ZIP (with zip)' })
  nearestAddress: ProviderAddressModel | null;
  @Field(() => Float, { nullable: true, description: 'Name match score from 0 to 1 (with name)' })
  relevance: number | null;
}

export const ProviderSearchConnection = ConnectionType(ProviderSearchResultModel, 'ProviderSearchResult', { noun: 'provider' });
