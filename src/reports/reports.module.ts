import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { loadConfig } from '../config/app-config';
import { ContactEmailCipher } from './contact-email-cipher';
import { ListingReportEntity } from './listing-report.entity';
import { ListingReportsResolver } from './listing-reports.resolver';
import { ListingReportsService } from './listing-reports.service';
import { ReportRateLimitGuard } from './report-rate-limit.guard';

/** Members report wrong directory listings; carriers read and resolve them with their API key. */
@Module({
  imports: [AuthModule, TypeOrmModule.forFeature([ListingReportEntity])],
  providers: [
    ListingReportsService,
    ListingReportsResolver,
    ReportRateLimitGuard,
    { provide: ContactEmailCipher, useFactory: () => ContactEmailCipher.fromConfig(loadConfig()) },
  ],
})
export class ReportsModule {}
