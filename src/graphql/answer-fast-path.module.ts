import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Database } from '../database/database';
import { Metrics } from '../observability/metrics';
import { AnswerFastPath } from './answer-fast-path';

/** The fast path's memo and publish listener: one per process, shared by the Apollo plugin and the middleware. */
@Global()
@Module({
  providers: [
    {
      provide: AnswerFastPath,
      inject: [Database, Metrics, ConfigService],
      useFactory: (db: Database, metrics: Metrics, config: ConfigService) =>
        AnswerFastPath.forDatabase(db, config.get<number>('answerCacheMaxBytes') ?? 0, {
          notModified: () => metrics.notModified.inc({ api: 'graphql' }),
          hit: () => metrics.answerCacheLookups.inc({ outcome: 'hit' }),
        }),
    },
  ],
  exports: [AnswerFastPath],
})
export class AnswerFastPathModule {}
