import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Metrics } from '../observability/metrics';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ApiKeyPrincipal, mayLoadIssuer } from '../auth/api-key-principal';
import { Database } from '../database/database';
import { ImportError, ImportProgress, ImportResult } from '../ingest/import-contract';
import { PublishRefusal } from '../ingest/store/version-publisher';
import { ImportJobEntity, ImportJobState } from './import-job.entity';
import { SpooledFile } from './multipart-spool';
import { ProgressRecorder } from './progress-recorder';
import { QHP_IMPORT_RUNNER, QhpImportRunner } from './qhp-import-runner';
import { UPLOADS_CONFIG, UploadsConfig } from './uploads.config';

export const INTERRUPTED_BY_SHUTDOWN = 'interrupted by shutdown';
const ABANDONED_BY_DEAD_PROCESS = 'interrupted: the server running this job stopped before it finished; upload the files again';
/** How long shutdown waits for aborted imports to roll back before marking them failed anyway. */
const SHUTDOWN_GRACE_MS = 10_000;
/** A job in one of these states is held by the process that queued it. */
const UNFINISHED: ImportJobState[] = ['queued', 'running'];

export interface NewImportJob {
  issuerId: string;
  issuerName?: string;
  files: SpooledFile[];
  /** Spool directory holding `files`; the job owns it from now on and deletes it when it ends. */
  tempDir: string;
  apiKey: ApiKeyPrincipal;
  replaceAll?: boolean;
  allowShrink?: boolean;
}

interface QueuedJob extends NewImportJob {
  id: string;
}

interface Outcome {
  status: ImportJobState;
  error: string | null;
  reason?: string | null;
  versionId?: number | null;
  counts?: Record<string, number> | null;
  report?: ImportResult['report'] | null;
}

function outcomeOf(result: ImportResult): Outcome {
  const stored = { versionId: result.versionId, counts: result.counts, report: result.report };
  if (result.unchanged || result.status === 'unchanged') return { ...stored, status: 'unchanged', error: null };
  if (result.status === 'published') return { ...stored, status: 'succeeded', error: null };
  const reasons = Object.entries(result.report?.rejectedByReason ?? {}).map(([reason, count]) => `${reason} ×${count}`);
  return { ...stored, status: 'failed', error: `the import did not publish${reasons.length ? ` (rejected: ${reasons.join(', ')})` : ''}` };
}

/**
 * Runs uploads' imports in the background, a few at a time per instance, and keeps their state in
 * import_job so any instance can report on them. A job owns its spool directory and removes it when
 * it ends; jobs of a process that died are found by their stale heartbeat and marked failed.
 */
@Injectable()
export class ImportJobsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ImportJobsService.name);
  private readonly queue: QueuedJob[] = [];
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private timers: NodeJS.Timeout[] = [];
  private shuttingDown = false;

  constructor(
    private readonly db: Database,
    @InjectRepository(ImportJobEntity) private readonly jobs: Repository<ImportJobEntity>,
    @Inject(UPLOADS_CONFIG) private readonly config: UploadsConfig,
    @Inject(QHP_IMPORT_RUNNER) private readonly importer: QhpImportRunner,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.failAbandonedJobs();
    this.timers = [
      setInterval(() => void this.beat(), this.config.heartbeatMs).unref(),
      // Also sweep while running: a process that died just before this one started is stale only later.
      setInterval(() => void this.failAbandonedJobs(), this.config.staleAfterMs).unref(),
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.timers.forEach(clearInterval);
    const queued = this.queue.splice(0);
    const running = [...this.running.values()];
    running.forEach(({ controller }) => controller.abort(new Error(INTERRUPTED_BY_SHUTDOWN)));
    await Promise.race([Promise.allSettled(running.map((job) => job.done)), delay(SHUTDOWN_GRACE_MS, undefined, { ref: false })]);

    const unfinished = [...queued.map((job) => job.id), ...this.running.keys()];
    if (unfinished.length) {
      await this.jobs
        .update({ id: In(unfinished), status: In(UNFINISHED) }, { status: 'failed', error: INTERRUPTED_BY_SHUTDOWN, finishedAt: () => 'now()' })
        .catch((error: Error) => this.logger.error(`could not mark interrupted import jobs failed: ${error.message}`));
    }
    await Promise.all(queued.map((job) => this.removeSpool(job.tempDir)));
  }

  /** Records the job (QUEUED) and starts it as soon as a slot is free. */
  async enqueue(job: NewImportJob): Promise<ImportJobEntity> {
    if (this.shuttingDown) throw new ServiceUnavailableException('the server is shutting down: upload again in a moment');
    const id = randomUUID();
    await this.jobs.insert({
      id,
      issuerId: job.issuerId,
      status: 'queued',
      source: 'upload',
      apiKeyId: job.apiKey.id,
      loadedBy: job.apiKey.label,
      files: job.files.map(({ name, kind, bytes }) => ({ name, kind, bytes })),
      tempDir: job.tempDir,
    });
    this.queue.push({ ...job, id });
    this.startQueuedJobs();
    return this.jobs.findOneByOrFail({ id });
  }

  /** The job, if `apiKey` may see it (a key of the job's issuer, or an admin key); null when there is none. */
  async findForKey(id: string, apiKey: ApiKeyPrincipal): Promise<ImportJobEntity | null> {
    const job = await this.jobs.findOneBy({ id });
    if (job && !mayLoadIssuer(apiKey, job.issuerId)) {
      throw new ForbiddenException(`API key ${apiKey.keyPrefix}… may see jobs of issuers ${apiKey.issuerIds.join(', ') || 'none'}, not of ${job.issuerId}`);
    }
    return job;
  }

  private startQueuedJobs(): void {
    while (!this.shuttingDown && this.running.size < this.config.maxConcurrentJobs && this.queue.length) {
      const job = this.queue.shift()!;
      const controller = new AbortController();
      const done = this.run(job, controller.signal).finally(() => {
        this.running.delete(job.id);
        this.startQueuedJobs();
      });
      this.running.set(job.id, { controller, done });
    }
  }

  private async run(job: QueuedJob, signal: AbortSignal): Promise<void> {
    const progress = new ProgressRecorder((report) => this.saveProgress(job.id, report));
    const started = process.hrtime.bigint();
    let outcome: Outcome;
    try {
      await this.jobs.update(job.id, { status: 'running', startedAt: () => 'now()', heartbeatAt: () => 'now()' });
      const result = await this.importer.import({
        issuerId: job.issuerId,
        issuerName: job.issuerName,
        files: job.files.map(({ path, name, kind }) => ({ path, name, kind })),
        source: 'upload',
        loadedBy: job.apiKey.label,
        allowedIssuerIds: job.apiKey.isAdmin ? undefined : job.apiKey.issuerIds,
        signal,
        onProgress: (report) => progress.record(report),
        maxFileBytes: this.config.maxFileBytes,
        replaceAll: job.replaceAll,
        allowShrink: job.allowShrink,
        maxShrinkPercent: this.config.maxShrinkPercent,
        versionsKept: this.config.versionsKept,
      });
      outcome = outcomeOf(result);
    } catch (error) {
      const message = signal.aborted && this.shuttingDown ? INTERRUPTED_BY_SHUTDOWN : error instanceof Error ? error.message : String(error);
      // A failed load may have created a version (marked failed): linking it shows where the rejects are.
      const refusal = error instanceof ImportError ? error : null;
      outcome = {
        status: refusal?.code === PublishRefusal.SUPERSEDED ? 'superseded' : 'failed',
        error: message,
        reason: refusal?.code ?? null,
        versionId: refusal?.versionId ?? null,
        report: refusal?.report ?? null,
      };
    }
    await progress.flush();
    // The files go before the status changes, so a finished job never has a spool left behind.
    await this.removeSpool(job.tempDir);
    await this.finish(job.id, outcome);
    this.metrics?.importFinished(outcome.status, Number(process.hrtime.bigint() - started) / 1e9);
    this.logger.log(`import job ${job.id} for issuer ${job.issuerId}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}`);
  }

  private async saveProgress(id: string, progress: ImportProgress): Promise<void> {
    await this.jobs.update({ id, status: 'running' }, { progress, heartbeatAt: () => 'now()' });
  }

  private async finish(id: string, outcome: Outcome): Promise<void> {
    await this.db
      .query(
        `UPDATE import_job
            SET status = $2, error = $3, version_id = $4, counts = $5, report = $6, reason = $7, finished_at = now(), temp_dir = NULL,
                progress = CASE WHEN $2 IN ('succeeded', 'unchanged') AND progress IS NOT NULL
                                THEN jsonb_set(progress, '{phase}', '"done"') ELSE progress END
          WHERE id = $1`,
        [
          id,
          outcome.status,
          outcome.error,
          outcome.versionId ?? null,
          outcome.counts ? JSON.stringify(outcome.counts) : null,
          outcome.report ? JSON.stringify(outcome.report) : null,
          outcome.reason ?? null,
        ],
      )
      .catch((error: Error) => this.logger.error(`could not record the end of import job ${id}: ${error.message}`));
  }

  /** Proves this instance is alive for every job it holds. */
  private async beat(): Promise<void> {
    const ids = [...this.queue.map((job) => job.id), ...this.running.keys()];
    if (!ids.length) return;
    await this.jobs
      .update({ id: In(ids), status: In(UNFINISHED) }, { heartbeatAt: () => 'now()' })
      .catch((error: Error) => this.logger.warn(`import job heartbeat failed: ${error.message}`));
  }

  /** Fails jobs left queued/running by a process that died, and lets the importer drop their half-loaded rows. */
  private async failAbandonedJobs(): Promise<void> {
    try {
      const mine = [...this.queue.map((job) => job.id), ...this.running.keys()];
      const abandoned: Array<{ id: string; tempDir: string | null }> = await this.db
        .query(
          `WITH stale AS (
           SELECT id, temp_dir FROM import_job
            WHERE status IN ('queued', 'running')
              AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
              AND NOT (id = ANY($2::uuid[]))
            FOR UPDATE SKIP LOCKED)
         UPDATE import_job j SET status = 'failed', error = $3, finished_at = now(), temp_dir = NULL
           FROM stale WHERE j.id = stale.id
         RETURNING j.id, stale.temp_dir AS "tempDir"`,
          [this.config.staleAfterMs, mine, ABANDONED_BY_DEAD_PROCESS],
        )
        .then(([rows]: [Array<{ id: string; tempDir: string | null }>, number]) => rows); // UPDATE answers [rows, count]
      for (const job of abandoned) {
        this.logger.warn(`import job ${job.id} was abandoned by a stopped process: marked failed`);
        if (job.tempDir) await this.removeSpool(job.tempDir);
      }
      await this.importer.cleanUpAbandonedLoads(this.config.staleAfterMs);
    } catch (error) {
      this.logger.error(`cleaning up abandoned imports failed: ${error instanceof Error ? error.message : error}`);
    }
  }

  /** Removes a spool directory, refusing any path outside the upload area (the path came from the database). */
  private async removeSpool(dir: string): Promise<void> {
    const inside = relative(resolve(this.config.tempRoot), resolve(dir));
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
      this.logger.warn(`not removing ${dir}: outside the upload directory ${this.config.tempRoot}`);
      return;
    }
    await rm(dir, { recursive: true, force: true }).catch((error: Error) => this.logger.warn(`could not remove ${dir}: ${error.message}`));
  }
}
