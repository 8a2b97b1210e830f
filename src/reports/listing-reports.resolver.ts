import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ApiKeyPrincipal } from '../auth/api-key-principal';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { CurrentApiKey } from '../auth/current-api-key.decorator';
import { ListingReportsService } from './listing-reports.service';
import { ListingReportConnection, ListingReportCountModel, ListingReportModel, ListingReportReceiptModel } from './models/listing-report.model';
import { ReportRateLimitGuard } from './report-rate-limit.guard';
import { ListingReportCountsArgs, ListingReportsArgs, ReportListingInput, ResolveListingReportArgs } from './reports.args';

@Resolver()
export class ListingReportsResolver {
  constructor(private readonly reports: ListingReportsService) {}

  @Mutation(() => ListingReportReceiptModel, {
    description:
      'Report a wrong directory listing (public, rate-limited per IP). The listing must be in published data; the ' +
      "report goes to the listing's carrier, the only one who ever sees the contact email.",
  })
  @UseGuards(ReportRateLimitGuard)
  reportListing(@Args('input', { description: 'The report' }) input: ReportListingInput) {
    return this.reports.file(input);
  }

  @Query(() => ListingReportConnection, {
    description: "Carriers only (API key scoped to the issuer): reports on the issuer's listings, newest first, with contact details",
  })
  @UseGuards(ApiKeyGuard)
  listingReports(@Args() { issuerId, status, first, after }: ListingReportsArgs, @CurrentApiKey() key: ApiKeyPrincipal) {
    return this.reports.listForCarrier(key, issuerId, status, first, after);
  }

  @Mutation(() => ListingReportModel, { description: "Carriers only: close a report on one of the key's issuers" })
  @UseGuards(ApiKeyGuard)
  resolveListingReport(@Args() { id, resolution, note }: ResolveListingReportArgs, @CurrentApiKey() key: ApiKeyPrincipal) {
    return this.reports.resolve(key, id, resolution, note);
  }

  @Query(() => [ListingReportCountModel], {
    description: 'Public: how many listing reports each plan and issuer has, by kind and status (no report content or personal data)',
  })
  listingReportCounts(@Args() { issuerId, planId }: ListingReportCountsArgs) {
    return this.reports.counts(issuerId, planId);
  }
}
