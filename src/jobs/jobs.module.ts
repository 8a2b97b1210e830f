import { Module } from '@nestjs/common';
import { JobQueue } from './job-queue';

/** The durable job queue (pg-boss), one per instance, for every module that queues or runs jobs. */
@Module({
  providers: [JobQueue],
  exports: [JobQueue],
})
export class JobsModule {}
