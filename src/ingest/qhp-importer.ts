import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ISSUER_ID_PATTERN } from '../common/identifiers';
import { Database } from '../database/database';
import { ImportError, ImportRequest, ImportResult, ValidationReport } from './import-contract';
import { resolveSourceFiles, SourceFile } from './read/input-resolver';
import { sha256OfFile } from './read/metered-file';
import { LoadFailure } from './validate/reasons';
import { contentHashOf, VersionLoader } from './store/version-loader';
import { checkShrink, shrinkOf } from './store/shrink-guard';
import { cleanUpAbandonedLoads, pruneOldVersions, PublishedVersion, RollbackOutcome, VersionStore } from './store/version-publisher';

export { cleanUpAbandonedLoads, pruneOldVersions };

/** Share (percent) of the published rows a load may remove unconfirmed, unless the request says otherwise. */
export const DEFAULT_MAX_SHRINK_PERCENT = 50;

/** COPY uses one connection per table (three for providers) and the heartbeat one more. */
const MIN_POOL_SIZE = 4;

const EMPTY_REPORT: ValidationReport = { loaded: {}, rejected: {}, rejectedByReason: {}, samples: {}, warnings: [], warningsByReason: {} };

/** The primary's pg.Pool (COPY needs raw pg clients) and its size. */
function poolOf(db: DataSource): { pool: Pool; size: number } {
  const { pool, size } = new Database(db).primaryPool();
  if (size < MIN_POOL_SIZE) {
    throw new ImportError(
      LoadFailure.POOL_TOO_SMALL,
      `the database pool has ${size} connections; an import needs at least ${MIN_POOL_SIZE} (parallel COPY per table)`,
    );
  }
  return { pool, size };
}

function checkIssuer(request: ImportRequest): void {
  if (!ISSUER_ID_PATTERN.test(request.issuerId)) {
    throw new ImportError(LoadFailure.INVALID_ISSUER_ID, `issuer id "${request.issuerId}" must be the 5-digit HIOS issuer id`);
  }
  if (request.allowedIssuerIds && !request.allowedIssuerIds.includes(request.issuerId)) {
    throw new ImportError(
      LoadFailure.WRONG_ISSUER,
      `not allowed to load issuer ${request.issuerId} (allowed: ${request.allowedIssuerIds.join(', ') || 'none'})`,
    );
  }
}

/** Any failure as an ImportError: aborts become ABORTED, other errors keep their message. */
function asImportError(error: unknown, signal: AbortSignal | undefined): ImportError {
  if (signal?.aborted) return new ImportError(LoadFailure.ABORTED, 'import aborted: nothing of it was published');
  if (error instanceof ImportError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ImportError(LoadFailure.LOAD_FAILED, `import failed: ${message}`);
}

/**
 * Idempotent re-loads, decided before parsing anything: when every file has the kind and size of
 * the published version's files (a cheap stat), the files are hashed in a quick pre-pass (far cheaper than parsing)
 * and compared with its content hash. Changed loads, the common case, are hashed while streaming
 * instead, so their files are read once.
 */
async function findIdenticalPublished(
  published: PublishedVersion | null,
  files: readonly SourceFile[],
  signal?: AbortSignal,
): Promise<PublishedVersion | null> {
  if (!published?.contentHash) return null;
  const previous = published.sourceFiles;
  const sameShape = previous.length === files.length && previous.every((file, i) => file.kind === files[i].kind && file.bytes === files[i].bytes);
  if (!sameShape) return null;
  const digests: Array<{ kind: string; sha256: string }> = [];
  for (const file of files) digests.push({ kind: file.kind, sha256: await sha256OfFile(file.path, signal) });
  return contentHashOf(digests) === published.contentHash ? published : null;
}

/**
 * Loads one issuer's QHP files (index, JSON or CSV) as a new dataset version and publishes it
 * atomically. A plain class so the CLI, seeds, uploads and benchmarks share one import path.
 */
export class QhpImporter {
  private readonly versions: VersionStore;

  constructor(private readonly db: DataSource) {
    this.versions = new VersionStore(db);
  }

  async import(request: ImportRequest): Promise<ImportResult> {
    const startedAt = Date.now();
    checkIssuer(request);
    const { pool, size: poolSize } = poolOf(this.db);
    let versionId: number;
    try {
      request.signal?.throwIfAborted();
      await this.versions.upsertIssuer(request.issuerId, request.issuerName);
      versionId = await this.versions.createLoadingVersion(request);
    } catch (error) {
      throw asImportError(error, request.signal);
    }
    const heartbeat = this.versions.startHeartbeat(versionId);
    try {
      const files = await resolveSourceFiles(request);
      const published = await this.versions.findPublished(request.issuerId);
      // Replacing everything changes a version that carried kinds forward even when its files are the same.
      const carriedKinds = request.replaceAll && (published?.report?.carriedForward?.length ?? 0) > 0;
      // Files still being written cannot be hashed before they are read: such a load compares after reading.
      const following = files.some((file) => file.growing);
      const identical = carriedKinds || following ? null : await findIdenticalPublished(published, files, request.signal);
      if (identical) {
        await this.versions.discard(versionId);
        return this.unchangedResult(request, identical, startedAt);
      }

      const loader = new VersionLoader(pool, poolSize, request, versionId, files, published);
      const outcome = await loader.run();
      request.signal?.throwIfAborted();
      if (following && !carriedKinds && published?.contentHash && outcome.contentHash === published.contentHash) {
        await this.versions.discard(versionId);
        return this.unchangedResult(request, published, startedAt);
      }
      outcome.report.shrink = shrinkOf(published?.counts, outcome.counts);
      try {
        checkShrink(outcome.report.shrink, request.maxShrinkPercent ?? DEFAULT_MAX_SHRINK_PERCENT, request.allowShrink === true);
      } catch (error) {
        if (error instanceof ImportError) error.report = outcome.report;
        throw error;
      }
      await request.beforePublish?.();
      request.signal?.throwIfAborted();
      loader.progress('publishing');
      await this.versions.publish(request.issuerId, versionId, outcome);
      // Old versions are pruned after the switch; a failure here leaves extra history, retried next time.
      await pruneOldVersions(this.db, request.issuerId, request.versionsKept).catch(() => undefined);
      loader.progress('done');
      return {
        versionId,
        issuerId: request.issuerId,
        status: 'published',
        unchanged: false,
        counts: outcome.counts,
        report: outcome.report,
        durationMs: Date.now() - startedAt,
      };
    } catch (error) {
      const failure = asImportError(error, request.signal);
      failure.versionId = versionId;
      // If even this fails (database gone), the version stays 'loading' until cleanUpAbandonedLoads.
      await this.versions.fail(versionId, failure.message, failure.report).catch(() => undefined);
      throw failure;
    } finally {
      heartbeat.stop();
    }
  }

  /**
   * Republishes a kept version of the issuer (default: the one before the published version) through the
   * same locked publish as a load; `allowedIssuerIds` scopes it like a load (an API key's issuers).
   */
  async rollback(request: { issuerId: string; toVersion?: number; allowedIssuerIds?: string[] }): Promise<RollbackOutcome> {
    checkIssuer({ ...request, source: 'cli', loadedBy: '' });
    return this.versions.republish(request.issuerId, request.toVersion);
  }

  private unchangedResult(request: ImportRequest, published: PublishedVersion, startedAt: number): ImportResult {
    return {
      versionId: published.id,
      issuerId: request.issuerId,
      status: 'unchanged',
      unchanged: true,
      counts: published.counts,
      report: published.report ?? EMPTY_REPORT,
      durationMs: Date.now() - startedAt,
    };
  }
}
