import { Database } from '../database/database';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { JOB_QUEUE_SCHEMA } from '../../migrations/1700000001100-FeedJobQueue';
import type { FeedConfig } from '../config/app-config';
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

/** pg-boss on the application's own pool (no other connections, no other service); its schema is the migrations'. */
export function jobQueueOn(db: DataSource, options: PgBoss.ConstructorOptions = {}): PgBoss {
  const { pool } = new Database(db).primaryPool();
  return new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
    schema: JOB_QUEUE_SCHEMA,
    migrate: false,
    schedule: false,
    ...options,
  });
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
    @InjectDataSource() private readonly db: DataSource,
    private readonly feeds: FeedsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const config = this.feeds.config;
    const boss = jobQueueOn(this.db, {
      // Only instances that take jobs expire and retry those of dead instances.
      supervise: config.jobWorkers > 0,
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(config.jobExpireSeconds / 2))),
    });
    boss.on('error', (error) => this.logger.error(`job queue: ${error.message}`));
    await boss.start();
    this.boss = boss;
    await configureFeedQueue(boss, config);
    for (let i = 0; i < config.jobWorkers; i++) {
      await boss.work<FeedJobData>(FEED_FETCH_QUEUE, { batchSize: 1, pollingIntervalSeconds: config.jobPollSeconds }, ([job]) => this.run(job));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.abort.abort();
    // Checks still running after the abort are failed by pg-boss, to be retried.
    await this.boss?.stop({ graceful: true, timeout: 10_000, close: false }).catch((error) => this.logger.warn(`stopping the job queue: ${error.message}`));
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
