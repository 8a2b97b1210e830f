import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConfigService } from '@nestjs/config';
import { AuthModule } from '../auth/auth.module';
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
    {
      provide: ContactEmailCipher,
      useFactory: (config: ConfigService) =>
        ContactEmailCipher.fromConfig({ personalDataKey: config.get('personalDataKey') ?? null, embeddedDataDir: config.getOrThrow('embeddedDataDir') }),
      inject: [ConfigService],
    },
  ],
})
export class ReportsModule {}
