import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/pagination';

export enum ListingReportKind {
  WRONG_PHONE = 'WRONG_PHONE',
  WRONG_ADDRESS = 'WRONG_ADDRESS',
  NOT_ACCEPTING = 'NOT_ACCEPTING',
  NOT_IN_NETWORK = 'NOT_IN_NETWORK',
  OTHER = 'OTHER',
}
registerEnumType(ListingReportKind, {
  name: 'ListingReportKind',
  description: 'What is wrong with a directory listing',
  valuesMap: {
    WRONG_PHONE: { description: 'The phone number does not reach the provider' },
    WRONG_ADDRESS: { description: 'The provider is not at this address' },
    NOT_ACCEPTING: { description: 'The provider is not accepting new patients, though listed as accepting' },
    NOT_IN_NETWORK: { description: "The provider says they are not in this plan's network" },
    OTHER: { description: 'Anything else (say what in details)' },
  },
});

export enum ListingReportStatus {
  OPEN = 'OPEN',
  FIXED = 'FIXED',
  REJECTED = 'REJECTED',
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(ListingReportStatus, { name: 'ListingReportStatus' });

/** How a carrier closes a report. */
export enum ListingReportResolution {
  FIXED = 'FIXED',
  REJECTED = 'REJECTED',
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(ListingReportResolution, {
  name: 'ListingReportResolution',
  valuesMap: {
    FIXED: { description: 'The listing was corrected (in the next load of the directory)' },
    REJECTED: { description: 'The listing was checked and is right' },
    DUPLICATE: { description: 'Already reported' },
  },
});

@ObjectType('ListingReportReceipt', { description: 'A filed report, as its reporter sees it (no personal data is echoed back)' })
export class ListingReportReceiptModel {
  @Field() id: string;
  @Field() npi: string;
  @Field({ description: 'Carrier whose listing is reported: it will see the report' }) issuerId: string;
  @Field(() => String, { nullable: true }) planId: string | null;
  @Field(() => ListingReportKind) kind: ListingReportKind;
  @Field(() => ListingReportStatus) status: ListingReportStatus;
  @Field(() => GraphQLISODateTime) createdAt: Date;
}

@ObjectType('ListingReport', { description: "A member's report on a listing, as the listing's carrier sees it" })
export class ListingReportModel extends ListingReportReceiptModel {
  @Field() details: string;
  @Field(() => String, { nullable: true, description: "Reporter's email, if given: personal data, for following up on this report only" })
  contactEmail: string | null;
  @Field(() => Int, { description: 'Published dataset version the reporter saw' }) listingVersionId: number;
  @Field(() => String, { nullable: true }) resolutionNote: string | null;
  @Field(() => String, { nullable: true, description: 'Label of the API key that resolved it' }) resolvedBy: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) resolvedAt: Date | null;
}

export const ListingReportConnection = ConnectionType(ListingReportModel, 'ListingReport');

@ObjectType('ListingReportCount', { description: 'How many reports of one kind and status a plan (or issuer) has: no personal data' })
export class ListingReportCountModel {
  @Field() issuerId: string;
  @Field(() => String, { nullable: true, description: 'Null for reports filed against the issuer directory without a plan' })
  planId: string | null;
  @Field(() => ListingReportKind) kind: ListingReportKind;
  @Field(() => ListingReportStatus) status: ListingReportStatus;
  @Field(() => Int) count: number;
}
