import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';
import { JOB_QUEUE_SCHEMA } from '../../migrations/1700000001100-FeedJobQueue';
import type { FeedConfig } from '../config/app-config';
import { Database } from '../database/database';

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

/**
 * The one durable job queue of an API instance (pg-boss on PostgreSQL), shared by feed checks and
 * uploads' imports. Started on first use; stopped before the database closes, after the services
 * taking jobs have stopped theirs (they do so in onModuleDestroy, which runs first).
 */
@Injectable()
export class JobQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private started: Promise<PgBoss> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: ConfigService,
  ) {}

  /** The started queue. */
  boss(): Promise<PgBoss> {
    this.started ??= this.start();
    return this.started;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const started = this.started;
    this.started = null;
    if (!started) return;
    const boss = await started.catch(() => null);
    // Jobs still running after the grace period are failed by pg-boss, to be retried.
    await boss?.stop({ graceful: true, timeout: 10_000, close: false }).catch((error: Error) => this.logger.warn(`stopping the job queue: ${error.message}`));
  }

  private async start(): Promise<PgBoss> {
    const feeds = this.config.getOrThrow<FeedConfig>('feeds');
    const boss = jobQueueOn(this.db, {
      // Every instance expires and retries the jobs of instances that died (pg-boss keeps that to one at a time).
      supervise: true,
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(feeds.jobExpireSeconds / 2))),
    });
    boss.on('error', (error) => this.logger.error(`job queue: ${error.message}`));
    await boss.start();
    return boss;
  }
}
