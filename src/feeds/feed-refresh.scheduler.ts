import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { DataSource } from 'typeorm';
import { FeedRunResult } from './feed-fetcher';
import { FeedsService } from './feeds.service';

/** pg_try_advisory_lock key: one instance refreshes at a time, whichever takes it first. */
export const FEED_REFRESH_LOCK = 7_319_001;
const JOB_NAME = 'feed-refresh';

/**
 * The scheduled refresh (FEED_REFRESH_CRON, off by default): every known feed is checked, the changed
 * ones loaded. With several instances, the one holding the advisory lock runs it; the others skip that tick.
 */
@Injectable()
export class FeedRefreshScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('FeedRefresh');
  private running: Promise<FeedRunResult[] | null> | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly feeds: FeedsService,
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
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  /** One refresh of every feed, unless this instance is running one or another instance holds the lock. Null when skipped. */
  refresh(): Promise<FeedRunResult[] | null> {
    if (this.running) return Promise.resolve(null);
    this.running = this.refreshLocked().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async refreshLocked(): Promise<FeedRunResult[] | null> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [FEED_REFRESH_LOCK]);
      if (!locked) return null;
      try {
        const results = await this.feeds.fetcher.refreshAll(this.abort.signal);
        const broken = results.filter((result) => result.outcome === 'failed');
        this.logger.log(
          `feeds refreshed: ${results.length} checked, ${results.filter((r) => r.outcome === 'published').length} loaded, ${broken.length} broken` +
            (broken.length ? ` (${broken.map((r) => r.issuerId).join(', ')})` : ''),
        );
        return results;
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
