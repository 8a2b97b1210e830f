import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import PgBoss from 'pg-boss';
import type { FeedConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { FeedsService } from './feeds.service';

/** The queue of feed checks (created by migration 1700000001100). */
export const FEED_FETCH_QUEUE = 'feed-fetch';

export interface FeedJobData {
  issuerId: string;
}

/** What a finished job keeps as its output. */
export interface FeedJobOutput {
  issuerId: string;
  outcome: string;
  versionId: number | null;
  error: string | null;
}

/** Queues a check of each issuer's feed; an issuer with a check already waiting is not queued twice. */
export async function enqueueFeedChecks(boss: PgBoss, issuerIds: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const issuerId of issuerIds) {
    const id = await boss.send(FEED_FETCH_QUEUE, { issuerId } satisfies FeedJobData, { singletonKey: issuerId });
    if (id) ids.push(id);
  }
  return ids;
}

/** Retry and expiry of the queue, from the settings (the queue itself is created by its migration). */
export async function configureFeedQueue(boss: PgBoss, config: FeedConfig): Promise<void> {
  await boss.updateQueue(FEED_FETCH_QUEUE, {
    name: FEED_FETCH_QUEUE,
    policy: 'stately',
    retryLimit: config.jobRetries,
    retryDelay: config.jobRetryDelaySeconds,
    retryBackoff: true,
    expireInSeconds: config.jobExpireSeconds,
  });
}

/**
 * Feed checks as durable jobs on a PostgreSQL queue (pg-boss): the scheduled refresh and `npm run fetch --
 * --enqueue` queue them, and every instance with FEED_JOB_WORKERS > 0 takes them, that many at a time. A
 * check interrupted by a shutdown fails its job, which another instance (or this one after its restart)
 * retries; one whose instance died is retried once it expires (FEED_JOB_EXPIRE_SECONDS).
 */
@Injectable()
export class FeedJobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('FeedJobs');
  private boss: PgBoss | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly queue: JobQueue,
    private readonly feeds: FeedsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const config = this.feeds.config;
    const boss = await this.queue.boss();
    this.boss = boss;
    await configureFeedQueue(boss, config);
    for (let i = 0; i < config.jobWorkers; i++) {
      await boss.work<FeedJobData>(FEED_FETCH_QUEUE, { batchSize: 1, pollingIntervalSeconds: config.jobPollSeconds }, ([job]) => this.run(job));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.abort.abort();
    // Takes no new checks; those still running end on the abort, and JobQueue's graceful stop fails any left, to be retried.
    await this.boss?.offWork(FEED_FETCH_QUEUE).catch((error: Error) => this.logger.warn(`stopping the feed workers: ${error.message}`));
    this.boss = null;
  }

  /** Queues a check of every registered feed (or of the given issuers); the ids of the jobs queued. */
  async enqueue(issuerIds?: readonly string[]): Promise<string[]> {
    if (!this.boss) throw new Error('the job queue is not started');
    const ids = issuerIds ?? (await this.feeds.fetcher.store.feeds()).map((feed) => feed.issuerId);
    return enqueueFeedChecks(this.boss, ids);
  }

  async job(id: string): Promise<PgBoss.JobWithMetadata<FeedJobData> | null> {
    return this.boss ? this.boss.getJobById<FeedJobData>(FEED_FETCH_QUEUE, id, { includeArchive: true }) : null;
  }

  private async run(job: PgBoss.Job<FeedJobData>): Promise<FeedJobOutput> {
    // A broken feed is a finished check (recorded in its health), not a failed job: it is retried by the next refresh.
    const result = await this.feeds.fetcher.check(job.data.issuerId, this.abort.signal);
    this.logger.log(`feed ${result.issuerId}: ${result.outcome}${result.error ? ` (${result.error})` : ''}`);
    return { issuerId: result.issuerId, outcome: result.outcome, versionId: result.versionId, error: result.error };
  }
}
