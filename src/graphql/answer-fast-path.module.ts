import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Database } from '../database/database';
import { Metrics } from '../observability/metrics';
import { AnswerCache } from './answer-cache';
import { AnswerFastPath } from './answer-fast-path';

/**
 * The fast path's memo and publish listener, and the answer cache (ANSWER_CACHE_MAX_BYTES): one per
 * process, shared by the Apollo plugin and the fast path.
 */
@Global()
@Module({
  providers: [
    {
      provide: AnswerFastPath,
      inject: [Database, Metrics, ConfigService],
      useFactory: (db: Database, metrics: Metrics, config: ConfigService) => {
        const maxBytes = config.get<number>('answerCacheMaxBytes') ?? 0;
        const answers = maxBytes > 0 ? new AnswerCache(maxBytes, metrics.answerCacheEvents()) : undefined;
        if (answers) metrics.watchAnswerCache(answers);
        return AnswerFastPath.forDatabase(db, answers, {
          // Counted as the normal path counts them (its plugins do not run for these).
          notModified: (operation) => {
            metrics.notModified.inc({ api: 'graphql' });
            metrics.graphqlRequests.inc({ operation: metrics.operationLabel(operation), type: 'query', outcome: 'not_modified' });
          },
          hit: (operation) => {
            metrics.answerCacheLookups.inc({ outcome: 'hit' });
            metrics.graphqlRequests.inc({ operation: metrics.operationLabel(operation), type: 'query', outcome: 'ok' });
          },
        });
      },
    },
  ],
  exports: [AnswerFastPath],
})
export class AnswerFastPathModule {}
