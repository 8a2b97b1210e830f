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
registerEnumType(ListingReportStatus, {
  name: 'ListingReportStatus',
  description: 'Where a listing report stands',
  valuesMap: {
    OPEN: { description: 'Filed, not yet handled by the carrier' },
    FIXED: { description: 'The carrier corrected the listing' },
    REJECTED: { description: 'The carrier checked and found the listing right' },
    DUPLICATE: { description: 'The carrier marked it as already reported' },
  },
});

/** How a carrier closes a report. */
export enum ListingReportResolution {
  FIXED = 'FIXED',
  REJECTED = 'REJECTED',
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(ListingReportResolution, {
  name: 'ListingReportResolution',
  description: 'How a carrier closes a listing report',
  valuesMap: {
    FIXED: { description: 'The listing was corrected (in the next load of the directory)' },
    REJECTED: { description: 'The listing was checked and is right' },
    DUPLICATE: { description: 'Already reported' },
  },
});

@ObjectType('ListingReportReceipt', { description: 'A filed report, as its reporter sees it (no personal data is echoed back)' })
export class ListingReportReceiptModel {
  @Field({ description: 'Report id (UUID)' }) id: string;
  @Field({ description: 'NPI of the reported provider' }) npi: string;
  @Field({ description: 'Carrier whose listing is reported: it will see the report' }) issuerId: string;
  @Field(() => String, { nullable: true, description: 'Plan the reporter looked at; null when reported against the issuer directory' })
  planId: string | null;
  @Field(() => ListingReportKind, { description: 'What is wrong' }) kind: ListingReportKind;
  @Field(() => ListingReportStatus, { description: 'Where the report stands' }) status: ListingReportStatus;
  @Field(() => GraphQLISODateTime, { description: 'When it was filed' }) createdAt: Date;
}

@ObjectType('ListingReport', { description: "A member's report on a listing, as the listing's carrier sees it" })
export class ListingReportModel extends ListingReportReceiptModel {
  @Field({ description: "The reporter's words (may be empty)" }) details: string;
  @Field(() => String, { nullable: true, description: "Reporter's email, if given: personal data, for following up on this report only" })
  contactEmail: string | null;
  @Field(() => Int, { description: 'Published dataset version the reporter saw' }) listingVersionId: number;
  @Field(() => String, { nullable: true, description: "The carrier's note on closing it; null while open or when none was given" })
  resolutionNote: string | null;
  @Field(() => String, { nullable: true, description: 'Label of the API key that resolved it' }) resolvedBy: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it was closed; null while open' }) resolvedAt: Date | null;
}

export const ListingReportConnection = ConnectionType(ListingReportModel, 'ListingReport', { noun: 'listing report', totalCount: true });

@ObjectType('ListingReportCount', { description: 'How many reports of one kind and status a plan (or issuer) has: no personal data' })
export class ListingReportCountModel {
  @Field({ description: '5-digit HIOS issuer id whose listings are reported' }) issuerId: string;
  @Field(() => String, { nullable: true, description: 'Null for reports filed against the issuer directory without a plan' })
  planId: string | null;
  @Field(() => ListingReportKind, { description: 'What the reports say is wrong' }) kind: ListingReportKind;
  @Field(() => ListingReportStatus, { description: 'Where the reports stand' }) status: ListingReportStatus;
  @Field(() => Int, { description: 'Number of reports' }) count: number;
}
