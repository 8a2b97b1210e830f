import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfigService } from '@nestjs/config';
import { JobsModule } from '../jobs/jobs.module';
import { FeedJobsService } from './feed-jobs.service';
import { FeedRefreshScheduler } from './feed-refresh.scheduler';
import { FeedsExportController } from './feeds-export.controller';
import { FeedQualityResolver, FeedsResolver, IssuerFeedResolver } from './feeds.resolver';
import { FEED_CONFIG, FeedsService } from './feeds.service';

/** Carriers' published feeds: health in GraphQL and CSV, and the opt-in scheduled refresh. */
@Module({
  imports: [ScheduleModule.forRoot(), JobsModule],
  controllers: [FeedsExportController],
  providers: [
    { provide: FEED_CONFIG, useFactory: (config: ConfigService) => config.getOrThrow('feeds'), inject: [ConfigService] },
    FeedsService,
    FeedsResolver,
    IssuerFeedResolver,
    FeedQualityResolver,
    FeedJobsService,
    FeedRefreshScheduler,
  ],
  exports: [FeedsService, FeedJobsService, FeedRefreshScheduler],
})
export class FeedsModule {}
