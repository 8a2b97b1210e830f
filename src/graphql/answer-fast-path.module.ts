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
          // Counted as the normal path counts them (its plugins do not run for these).
          notModified: (operation) => {
            metrics.notModified.inc({ api: 'graphql' });
            metrics.graphqlRequests.inc({ operation: metrics.operationLabel(operation), type: 'query', outcome: 'not_modified' });
          },
          hit: (operation) => {
            metrics.answerCacheLookups.inc({ outcome: 'hit' });
            metrics.graphqlRequests.inc({ operation: metrics.operationLabel(operation), type: 'query', outcome: 'ok' });
          },
        }),
    },
  ],
  exports: [AnswerFastPath],
})
export class AnswerFastPathModule {}
