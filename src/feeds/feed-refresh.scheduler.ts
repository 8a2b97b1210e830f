import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import { FeedJobsService } from './feed-jobs.service';
import { FeedsService } from './feeds.service';

/** pg_try_advisory_lock key: one instance refreshes at a time, whichever takes it first. */
export const FEED_REFRESH_LOCK = 7_319_001;
const JOB_NAME = 'feed-refresh';

/**
 * The scheduled refresh (FEED_REFRESH_CRON, off by default): a check of every known feed is queued as a job
 * (feed-jobs.service.ts), and the instances' workers check them and load the changed ones. With several
 * instances, the one holding the advisory lock queues them; the others skip that tick.
 */
@Injectable()
export class FeedRefreshScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('FeedRefresh');
  private running: Promise<string[] | null> | null = null;

  constructor(
    private readonly feeds: FeedsService,
    private readonly jobs: FeedJobsService,
    private readonly registry: SchedulerRegistry,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    const cron = this.feeds.config.refreshCron;
    if (!cron) return;
    const job = CronJob.from({ cronTime: cron, onTick: () => void this.refresh(), start: false, waitForCompletion: true });
    this.registry.addCronJob(JOB_NAME, job);
    job.start();
    this.logger.log(`feeds refresh on "${cron}"`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Queues a check of every feed, unless this instance is doing so or another holds the lock: the job ids, or null when skipped. */
  refresh(): Promise<string[] | null> {
    if (this.running) return Promise.resolve(null);
    this.running = this.refreshLocked().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async refreshLocked(): Promise<string[] | null> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [FEED_REFRESH_LOCK]);
      if (!locked) return null;
      try {
        const jobIds = await this.jobs.enqueue();
        this.logger.log(`feeds refresh: ${jobIds.length} checks queued`);
        return jobIds;
      } finally {
        await runner.query(`SELECT pg_advisory_unlock($1)`, [FEED_REFRESH_LOCK]);
      }
    } catch (error) {
      this.logger.error(`feeds refresh failed: ${(error as Error).message}`);
      return null;
    } finally {
      await runner.release();
    }
  }
}
