import { ForbiddenException, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional, ServiceUnavailableException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { access, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type PgBoss from 'pg-boss';
import { In, Repository } from 'typeorm';
import { ApiKeyPrincipal, mayLoadIssuer } from '../auth/api-key-principal';
import { Database } from '../database/database';
import { ImportError, ImportProgress, ImportResult, QhpFileKind } from '../ingest/import-contract';
import { PublishRefusal } from '../ingest/store/version-publisher';
import { JobQueue } from '../jobs/job-queue';
import { Metrics } from '../observability/metrics';
import { ImportJobEntity, ImportJobState } from './import-job.entity';
import { SpooledFile } from './multipart-spool';
import { ProgressRecorder } from './progress-recorder';
import { QHP_IMPORT_RUNNER, QhpImportRunner } from './qhp-import-runner';
import { UPLOADS_CONFIG, UploadsConfig } from './uploads.config';

/** The queue of uploads' imports (created by migration 1700000003100). */
export const IMPORT_UPLOAD_QUEUE = 'import-upload';
export const INTERRUPTED_BY_SHUTDOWN = 'interrupted by shutdown';
const ABANDONED_BY_DEAD_PROCESS = 'interrupted: the server running this job stopped before it finished';
/** How long shutdown waits for aborted imports to roll back and go back to the queue. */
const SHUTDOWN_GRACE_MS = 10_000;
/** How often an instance with a free slot looks for queued imports (an upload it accepts itself starts at once). */
const POLL_MS = 2_000;
/** A job in one of these states is waiting on the queue or held by an instance. */
const UNFINISHED: ImportJobState[] = ['queued', 'running'];

export interface NewImportJob {
  issuerId: string;
  issuerName?: string;
  files: SpooledFile[];
  /** Spool directory holding `files`, inside UPLOAD_TMP_DIR; the job owns it from now on and deletes it when it ends. */
  tempDir: string;
  apiKey: ApiKeyPrincipal;
  replaceAll?: boolean;
  allowShrink?: boolean;
}

/** What the queue carries for an import: everything an instance needs to run it, besides the import_job row. */
export interface ImportJobData {
  /** Spool directory relative to UPLOAD_TMP_DIR, so instances may mount the shared directory at different paths. */
  spool: string;
  files: Array<{ name: string; kind: QhpFileKind }>;
  issuerName?: string;
  loadedBy: string;
  /** Issuers the uploading key may load; null for an admin key. */
  allowedIssuerIds: string[] | null;
  replaceAll?: boolean;
  allowShrink?: boolean;
}

type QueuedImport = PgBoss.JobWithMetadata<ImportJobData>;

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

function failureOf(error: unknown): Outcome {
  // A failed load may have created a version (marked failed): linking it shows where the rejects are.
  const refusal = error instanceof ImportError ? error : null;
  return {
    status: refusal?.code === PublishRefusal.SUPERSEDED ? 'superseded' : 'failed',
    error: error instanceof Error ? error.message : String(error),
    reason: refusal?.code ?? null,
    versionId: refusal?.versionId ?? null,
    report: refusal?.report ?? null,
  };
}

/**
 * Uploads' imports as durable jobs on the PostgreSQL queue (pg-boss, shared with feed checks): the
 * instance that receives an upload spools its files to UPLOAD_TMP_DIR, records the import_job row
 * (QUEUED) and queues a job carrying its id; every instance runs queued imports,
 * IMPORT_MAX_CONCURRENT_JOBS at a time. An import interrupted by a shutdown goes back to the queue with
 * its spool kept, and an instance that died is noticed by its stale heartbeat and its job put back too;
 * the next instance starts the import again. The spool is removed only when the job ends for good:
 * published, unchanged, refused by the importer, or out of retries (the job then says so).
 */
@Injectable()
export class ImportJobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ImportJobsService.name);
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private filling: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    @InjectRepository(ImportJobEntity) private readonly jobs: Repository<ImportJobEntity>,
    @Inject(UPLOADS_CONFIG) private readonly config: UploadsConfig,
    @Inject(QHP_IMPORT_RUNNER) private readonly importer: QhpImportRunner,
    private readonly queue: JobQueue,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.boss();
    await this.requeueAbandonedJobs();
    this.timers = [
      setInterval(() => void this.beat(), this.config.heartbeatMs).unref(),
      // Also sweep while running: a process that died just before this one started is stale only later.
      setInterval(() => void this.requeueAbandonedJobs(), this.config.staleAfterMs).unref(),
      setInterval(() => this.poll(), POLL_MS).unref(),
    ];
    this.poll();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.timers.forEach(clearInterval);
    // An import fetched while stopping has started, and is aborted with the others.
    await this.filling?.catch(() => undefined);
    const running = [...this.running.values()];
    running.forEach(({ controller }) => controller.abort(new Error(INTERRUPTED_BY_SHUTDOWN)));
    await Promise.race([Promise.allSettled(running.map((job) => job.done)), delay(SHUTDOWN_GRACE_MS, undefined, { ref: false })]);
    if (this.running.size) {
      // Their jobs stay active on the queue: the heartbeat sweep of another instance puts them back.
      this.logger.warn(`imports still rolling back at shutdown: ${[...this.running.keys()].join(', ')}`);
    }
  }

  /** Records the job (QUEUED) and queues it; this instance starts it at once if it has a free slot. */
  async enqueue(job: NewImportJob): Promise<ImportJobEntity> {
    if (this.stopping) throw new ServiceUnavailableException('the server is shutting down: upload again in a moment');
    const spool = relative(resolve(this.config.tempRoot), resolve(job.tempDir));
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
    const data: ImportJobData = {
      spool,
      files: job.files.map(({ name, kind }) => ({ name, kind })),
      issuerName: job.issuerName,
      loadedBy: job.apiKey.label,
      allowedIssuerIds: job.apiKey.isAdmin ? null : [...job.apiKey.issuerIds],
      replaceAll: job.replaceAll,
      allowShrink: job.allowShrink,
    };
    try {
      await (await this.queue.boss()).send(IMPORT_UPLOAD_QUEUE, data, { id });
    } catch (error) {
      // Nothing will run it: the upload is refused (and its spool removed by the caller).
      await this.jobs.delete({ id });
      this.logger.error(`could not queue import job ${id}: ${error instanceof Error ? error.message : error}`);
      throw new ServiceUnavailableException('the job queue is unavailable: upload again in a moment');
    }
    this.poll();
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

  /** Takes queued imports while this instance has free slots. */
  private poll(): void {
    if (this.filling || this.stopping || this.running.size >= this.config.maxConcurrentJobs) return;
    this.filling = this.fill()
      .catch((error: Error) => this.logger.warn(`taking queued imports: ${error.message}`))
      .finally(() => (this.filling = null));
  }

  private async fill(): Promise<void> {
    const boss = await this.queue.boss();
    while (!this.stopping && this.running.size < this.config.maxConcurrentJobs) {
      const [job] = await boss.fetch<ImportJobData>(IMPORT_UPLOAD_QUEUE, { batchSize: 1, includeMetadata: true });
      if (!job) return;
      const controller = new AbortController();
      const done = this.run(boss, job, controller.signal)
        .catch((error: Error) => this.logger.error(`import job ${job.id}: ${error.message}`))
        .finally(() => {
          this.running.delete(job.id);
          this.poll();
        });
      this.running.set(job.id, { controller, done });
    }
  }

  private async run(boss: PgBoss, job: QueuedImport, signal: AbortSignal): Promise<void> {
    const { id, data } = job;
    const row = await this.jobs.findOneBy({ id });
    if (!row || !UNFINISHED.includes(row.status)) {
      await boss.complete(IMPORT_UPLOAD_QUEUE, id, { status: row?.status ?? 'missing' });
      return;
    }
    const dir = resolve(this.config.tempRoot, data.spool);
    const missing = await this.missingFile(dir, data.files);
    if (missing) {
      // Retrying cannot bring the file back: the job ends here.
      const error = `the uploaded file ${missing} is not in the spool directory ${dir}: UPLOAD_TMP_DIR must be one directory shared by every instance; upload the files again`;
      await this.end(boss, job, dir, { status: 'failed', error, reason: 'SPOOL_MISSING' }, 0);
      return;
    }

    const progress = new ProgressRecorder((report) => this.saveProgress(id, report));
    const started = process.hrtime.bigint();
    let outcome: Outcome;
    try {
      await this.jobs.update({ id, status: In(UNFINISHED) }, { status: 'running', startedAt: () => 'now()', heartbeatAt: () => 'now()', progress: null });
      const result = await this.importer.import({
        issuerId: row.issuerId,
        issuerName: data.issuerName,
        files: data.files.map(({ name, kind }) => ({ path: join(dir, name), name, kind })),
        source: 'upload',
        loadedBy: data.loadedBy,
        allowedIssuerIds: data.allowedIssuerIds ?? undefined,
        signal,
        onProgress: (report) => progress.record(report),
        maxFileBytes: this.config.maxFileBytes,
        replaceAll: data.replaceAll,
        allowShrink: data.allowShrink,
        maxShrinkPercent: this.config.maxShrinkPercent,
        versionsKept: this.config.versionsKept,
      });
      outcome = outcomeOf(result);
    } catch (error) {
      if (signal.aborted && this.stopping) {
        progress.stop();
        await progress.flush();
        await this.interrupted(boss, job, dir, INTERRUPTED_BY_SHUTDOWN);
        return;
      }
      outcome = failureOf(error);
    }
    await progress.flush();
    await this.end(boss, job, dir, outcome, Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** Puts an interrupted import back on the queue (its spool kept), or ends it if that was its last attempt. */
  private async interrupted(boss: PgBoss, fetched: QueuedImport, dir: string, why: string): Promise<void> {
    // Read again: the queue's retry limit may have been changed while the import ran.
    const job = (await boss.getJobById<ImportJobData>(IMPORT_UPLOAD_QUEUE, fetched.id)) ?? fetched;
    const attempt = job.retryCount + 1;
    if (job.retryCount >= job.retryLimit) {
      const error = `${why} on attempt ${attempt} of ${job.retryLimit + 1}: no retries left; upload the files again`;
      await this.removeSpool(dir);
      await this.finish(job.id, { status: 'failed', error, reason: 'RETRIES_EXHAUSTED' });
      await boss.fail(IMPORT_UPLOAD_QUEUE, job.id, { message: error });
      this.logger.warn(`import job ${job.id}: ${error}`);
      return;
    }
    await this.db
      .query(`UPDATE import_job SET status = 'queued', progress = NULL, heartbeat_at = now() WHERE id = $1 AND status IN ('queued', 'running')`, [job.id])
      .catch((error: Error) => this.logger.error(`could not put import job ${job.id} back in the queue: ${error.message}`));
    await boss.fail(IMPORT_UPLOAD_QUEUE, job.id, { message: why });
    this.logger.log(`import job ${job.id}: ${why} on attempt ${attempt}; back in the queue`);
  }

  /** Ends the job for good: spool removed, row final, queue job completed (never retried). */
  private async end(boss: PgBoss, job: QueuedImport, dir: string, outcome: Outcome, seconds: number): Promise<void> {
    // The files go before the status changes, so a finished job never has a spool left behind.
    await this.removeSpool(dir);
    await this.finish(job.id, outcome);
    await boss.complete(IMPORT_UPLOAD_QUEUE, job.id, { status: outcome.status, error: outcome.error });
    this.metrics?.importFinished(outcome.status, seconds);
    this.logger.log(`import job ${job.id}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}`);
  }

  private async missingFile(dir: string, files: ImportJobData['files']): Promise<string | null> {
    for (const { name } of files) {
      const found = await access(join(dir, name)).then(
        () => true,
        () => false,
      );
      if (!found) return name;
    }
    return null;
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

  /** Proves this instance is alive for every job it runs. */
  private async beat(): Promise<void> {
    const ids = [...this.running.keys()];
    if (!ids.length) return;
    await this.jobs
      .update({ id: In(ids), status: In(UNFINISHED) }, { heartbeatAt: () => 'now()' })
      .catch((error: Error) => this.logger.warn(`import job heartbeat failed: ${error.message}`));
  }

  /**
   * Jobs whose heartbeat stopped: one still active on the queue belonged to an instance that died, and is
   * failed there so that the queue retries it (or ends it when out of retries); one no longer on the queue
   * is marked failed. The importer drops the half-loaded rows of dead loads.
   */
  private async requeueAbandonedJobs(): Promise<void> {
    try {
      const boss = await this.queue.boss();
      // Claimed by touching the heartbeat, so two instances sweeping at once do not both handle a job.
      const stale: Array<{ id: string; tempDir: string | null }> = await this.db
        .query(
          `UPDATE import_job SET heartbeat_at = now()
            WHERE id IN (SELECT id FROM import_job
                          WHERE status IN ('queued', 'running')
                            AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
                            AND NOT (id = ANY($2::uuid[]))
                          FOR UPDATE SKIP LOCKED)
          RETURNING id, temp_dir AS "tempDir"`,
          [this.config.staleAfterMs, [...this.running.keys()]],
        )
        .then(([rows]: [Array<{ id: string; tempDir: string | null }>, number]) => rows); // UPDATE answers [rows, count]
      for (const row of stale) {
        let job = await boss.getJobById<ImportJobData>(IMPORT_UPLOAD_QUEUE, row.id, { includeArchive: true });
        const staleSince = Date.now() - this.config.staleAfterMs;
        if (job?.state === 'active' && job.startedOn && new Date(job.startedOn).getTime() < staleSince) {
          await boss.fail(IMPORT_UPLOAD_QUEUE, row.id, { message: ABANDONED_BY_DEAD_PROCESS });
          job = await boss.getJobById<ImportJobData>(IMPORT_UPLOAD_QUEUE, row.id, { includeArchive: true });
        }
        if (job && ['created', 'retry', 'active'].includes(job.state)) {
          // Waiting for (or just taken by) an instance.
          await this.db.query(`UPDATE import_job SET status = 'queued', progress = NULL WHERE id = $1 AND status = 'running' AND $2`, [
            row.id,
            job.state !== 'active',
          ]);
          if (job.state === 'retry') this.logger.warn(`import job ${row.id} was abandoned by a stopped process: back in the queue`);
          continue;
        }
        const error =
          job?.state === 'failed'
            ? `${ABANDONED_BY_DEAD_PROCESS} on attempt ${job.retryCount + 1} of ${job.retryLimit + 1}: no retries left; upload the files again`
            : `${ABANDONED_BY_DEAD_PROCESS}, and the job is no longer on the queue; upload the files again`;
        this.logger.warn(`import job ${row.id}: ${error}`);
        // The queue's relative path holds on this instance's mount of the shared directory; the row's is the receiver's.
        const spool = job ? resolve(this.config.tempRoot, job.data.spool) : row.tempDir;
        if (spool) await this.removeSpool(spool);
        await this.finish(row.id, { status: 'failed', error, reason: job?.state === 'failed' ? 'RETRIES_EXHAUSTED' : null });
      }
      await this.importer.cleanUpAbandonedLoads(this.config.staleAfterMs);
    } catch (error) {
      this.logger.error(`cleaning up abandoned imports failed: ${error instanceof Error ? error.message : error}`);
    }
    this.poll();
  }

  /** Removes a spool directory, refusing any path outside the upload area (the path came from the database or the queue). */
  private async removeSpool(dir: string): Promise<void> {
    const inside = relative(resolve(this.config.tempRoot), resolve(dir));
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) {
      this.logger.warn(`not removing ${dir}: outside the upload directory ${this.config.tempRoot}`);
      return;
    }
    await rm(dir, { recursive: true, force: true }).catch((error: Error) => this.logger.warn(`could not remove ${dir}: ${error.message}`));
  }
}
