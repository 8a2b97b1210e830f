import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { IsEmail, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PageArgs } from '../common/pagination';
import { IsIssuerId, IsNpi, IsPlanId } from '../common/validators';
import { ListingReportKind, ListingReportResolution, ListingReportStatus } from './models/listing-report.model';

export const MAX_DETAILS_LENGTH = 1000;
/** RFC 5321 limit on a forward path. */
export const MAX_EMAIL_LENGTH = 254;

@InputType('ReportListingInput', { description: 'A report that a directory listing is wrong; give planId or issuerId' })
export class ReportListingInput {
  @Field({ description: '10-digit NPI of the listed provider' })
  @IsNpi()
  npi: string;

  @Field(() => String, { nullable: true, description: 'Plan whose directory shows the listing (recommended)' })
  @IsOptional()
  @IsPlanId()
  planId?: string;

  @Field(() => String, { nullable: true, description: 'Issuer whose directory shows the listing, when no plan is given' })
  @IsOptional()
  @IsIssuerId()
  issuerId?: string;

  @Field(() => ListingReportKind, { description: 'What is wrong' })
  @IsEnum(ListingReportKind)
  kind: ListingReportKind;

  @Field({ description: `What is wrong, in at most ${MAX_DETAILS_LENGTH} characters` })
  @IsString()
  @Length(1, MAX_DETAILS_LENGTH, { message: `details must be 1 to ${MAX_DETAILS_LENGTH} characters` })
  @Matches(/\S/, { message: 'details must say what is wrong' })
  details: string;

  @Field(() => String, {
    nullable: true,
    description: 'Optional email for the carrier to follow up; seen only by the carrier whose listing is reported',
  })
  @IsOptional()
  @MaxLength(MAX_EMAIL_LENGTH, { message: `contactEmail must be at most ${MAX_EMAIL_LENGTH} characters` })
  // The message never repeats the address: it is personal data and error messages get logged.
  @IsEmail({}, { message: 'contactEmail must be an email address such as name@example.com' })
  contactEmail?: string;
}

@ArgsType()
export class ListingReportsArgs extends PageArgs {
  @Field({ description: 'Issuer whose reports to list: the API key must be scoped to it' })
  @IsIssuerId()
  issuerId: string;

  @Field(() => ListingReportStatus, { nullable: true, description: 'Only reports in this status; all when omitted' })
  @IsOptional()
  @IsEnum(ListingReportStatus)
  status?: ListingReportStatus;
}

@ArgsType()
export class ResolveListingReportArgs {
  @Field({ description: 'Id of the report to close' })
  @IsUUID('all', { message: 'id must be a report id (a UUID)' })
  id: string;

  @Field(() => ListingReportResolution, { description: 'How the report is closed' })
  @IsEnum(ListingReportResolution)
  resolution: ListingReportResolution;

  @Field(() => String, { nullable: true, description: `What was done, in at most ${MAX_DETAILS_LENGTH} characters` })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DETAILS_LENGTH, { message: `note must be at most ${MAX_DETAILS_LENGTH} characters` })
  note?: string;
}

@ArgsType()
export class ListingReportCountsArgs {
  @Field(() => String, { nullable: true, description: "Only this carrier's reports (5-digit HIOS issuer id)" }) @IsOptional() @IsIssuerId() issuerId?: string;
  @Field(() => String, { nullable: true, description: 'Only reports on this plan (14-character HIOS plan id)' }) @IsOptional() @IsPlanId() planId?: string;
}
