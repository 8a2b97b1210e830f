import { Field, Int, ObjectType } from '@nestjs/graphql';

/**
 * A provider network in the sense of the HL7 Da Vinci PDex Plan-Net guide: a group of providers that
 * plans reference. Carriers' files do not name their networks; each listing gives the plans (and
 * tiers) it is in network for. A network here is the (plan, network tier) entries that always come
 * together, i.e. that are listed by exactly the same providers: plans sold on one network, at one tier.
 */
@ObjectType('Network', {
  description:
    'A provider network (HL7 Da Vinci PDex Plan-Net sense): the plans and tiers that list exactly the same providers in the published version of their issuer',
})
export class NetworkModel {
  @Field({ description: 'Opaque id; stays the same from load to load while its first plan and tier do' })
  id: string;
  @Field({ description: 'The 5-digit HIOS issuer id of the carrier offering it' })
  issuerId: string;
  @Field(() => Int, { description: "The dataset version it was read from (the issuer's published one)" })
  versionId: number;
  @Field(() => [String], { description: 'HIOS ids of the plans referencing it, in plan id order' })
  planIds: string[];
  @Field(() => [String], { description: 'The network_tier values the plans list it under, e.g. PREFERRED' })
  tiers: string[];
  /** The network sets (distinct plan lists) holding its entries: its listings point to one of them. */
  setIds: string[];
}

@ObjectType('NetworkSizeGroup', { description: 'Distinct providers (NPIs) of a network in one specialty or area' })
export class NetworkSizeGroupModel {
  @Field({ description: 'Specialty (lower-cased, as specialties are matched), or the state, 3-digit ZIP or county (5-digit FIPS code) of a listed address' })
  key: string;
  @Field(() => String, { nullable: true, description: "The group's name when its key is a code: 'Cook, IL' for county 17031" })
  name: string | null;
  @Field(() => Int, { description: 'Distinct NPIs; one listed in two areas counts in both' })
  providers: number;
  @Field(() => Int, { description: "Distinct NPIs of hospitals (a facility type naming 'Hospital')" })
  hospitals: number;
}
