import { DataSource } from 'typeorm';
import { deleteNetworkSetCounts } from './network-set-counts';
import { ImportError, ImportRequest, ValidationReport } from '../import-contract';
import { LoadFailure } from '../validate/reasons';
import { PLAN_TABLES } from '../../qhp/version-tables';
import { dropVersionTables, findVersionTables } from './version-partitions';
import { NOTIFY_PUBLISHED } from '../../database/publish-notifications';

/** A load proves it is alive this often; cleanUpAbandonedLoads treats a much older heartbeat as a dead process. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Non-failed versions kept per issuer (the published one and the latest superseded ones). */
export const VERSIONS_KEPT = 5;

/** Codes of a load or rollback refused at publication (ImportError codes beside the validation's LoadFailure). */
export const PublishRefusal = {
  /** The load removes more of the published rows than allowed; nothing was published (allowShrink to confirm). */
  SHRINK_NEEDS_CONFIRMATION: 'SHRINK_NEEDS_CONFIRMATION',
  /** A load of the issuer accepted after this one was published first: the older one is not published over it. */
  SUPERSEDED: 'SUPERSEDED',
  /** A rollback to a version that is not one of the issuer's kept versions. */
  VERSION_NOT_KEPT: 'VERSION_NOT_KEPT',
} as const;

export interface SourceFileDigest {
  name: string;
  kind: string;
  bytes: number;
  sha256: string;
}

export interface PublishedVersion {
  id: number;
  contentHash: string | null;
  sourceFiles: SourceFileDigest[];
  counts: Record<string, number>;
  report: ValidationReport | null;
  hasProviderFiles: boolean;
  hasFormularyFiles: boolean;
}

export interface RollbackOutcome {
  issuerId: string;
  /** The version published now. */
  versionId: number;
  /** The version that was published before (now superseded). */
  previousVersionId: number;
}

export interface LoadOutcome {
  counts: Record<string, number>;
  report: ValidationReport;
  sourceFiles: SourceFileDigest[];
  contentHash: string;
  hasProviderFiles: boolean;
  hasFormularyFiles: boolean;
  /** The state of the issuer's plans when they are all in one state. */
  state: string | null;
}

/**
 * Removes every carrier-data row of these versions: their tables of the partitioned tables are dropped
 * (attached partitions and standalone tables alike), the small plan tables' rows deleted.
 */
export async function deleteVersionRows(db: DataSource, versionIds: readonly number[]): Promise<void> {
  if (!versionIds.length) return;
  await dropVersionTables(db, versionIds);
  await deleteNetworkSetCounts(db, versionIds);
  await Promise.all(PLAN_TABLES.map(({ table }) => db.query(`DELETE FROM ${table} WHERE version_id = ANY($1::bigint[])`, [versionIds])));
}

/** The dataset_version rows of one issuer's loads. */
export class VersionStore {
  constructor(private readonly db: DataSource) {}

  /** Creates the issuer, or renames it when a name is given; QHP files do not carry the carrier's name. */
  async upsertIssuer(issuerId: string, issuerName: string | undefined): Promise<void> {
    await this.db.query(
      `INSERT INTO issuer (issuer_id, name) VALUES ($1::char(5), COALESCE($2::text, 'Issuer ' || $1::text))
       ON CONFLICT (issuer_id) DO UPDATE SET name = COALESCE($2::text, issuer.name)`,
      [issuerId, issuerName?.trim() || null],
    );
  }

  async createLoadingVersion(request: ImportRequest): Promise<number> {
    const [row] = await this.db.query(`INSERT INTO dataset_version (issuer_id, status, source, loaded_by) VALUES ($1, 'loading', $2, $3) RETURNING id`, [
      request.issuerId,
      request.source,
      request.loadedBy,
    ]);
    return Number(row.id);
  }

  async findPublished(issuerId: string): Promise<PublishedVersion | null> {
    const [row] = await this.db.query(
      `SELECT v.id, v.content_hash AS "contentHash", v.source_files AS "sourceFiles", v.counts, v.report,
              v.has_provider_files AS "hasProviderFiles", v.has_formulary_files AS "hasFormularyFiles"
         FROM issuer i JOIN dataset_version v ON v.id = i.current_version_id
        WHERE i.issuer_id = $1`,
      [issuerId],
    );
    return row ? { ...row, id: Number(row.id) } : null;
  }

  /** Keeps `heartbeat_at` fresh while a load runs (failures are retried on the next beat). */
  startHeartbeat(versionId: number): { stop(): void } {
    const timer = setInterval(() => {
      this.db.query(`UPDATE dataset_version SET heartbeat_at = now() WHERE id = $1 AND status = 'loading'`, [versionId]).catch(() => undefined);
    }, HEARTBEAT_INTERVAL_MS);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /**
   * Makes the version the issuer's current one in one transaction: readers see either the old
   * version or the new one, never a mix. The issuer row lock orders concurrent publishes.
   */
  async publish(issuerId: string, versionId: number, outcome: LoadOutcome): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT 1 FROM issuer WHERE issuer_id = $1 FOR UPDATE`, [issuerId]);
      // Loads of an issuer are ordered by when they were accepted (their version ids): one that finishes
      // after a newer load was published must not publish its older files over it.
      const [newer] = await tx.query(`SELECT id FROM dataset_version WHERE issuer_id = $1 AND id > $2 AND published_at IS NOT NULL ORDER BY id DESC LIMIT 1`, [
        issuerId,
        versionId,
      ]);
      if (newer) {
        throw new ImportError(
          PublishRefusal.SUPERSEDED,
          `superseded: version ${newer.id} of issuer ${issuerId}, accepted after this load (version ${versionId}), was published first; ` +
            'this older load was not published over it',
        );
      }
      await tx.query(`UPDATE dataset_version SET status = 'superseded' WHERE issuer_id = $1 AND status = 'published' AND id <> $2`, [issuerId, versionId]);
      // UPDATE ... RETURNING answers [rows, count] through TypeORM.
      const [published]: [Array<{ id: number }>, number] = await tx.query(
        `UPDATE dataset_version
            SET status = 'published', published_at = now(), finished_at = now(), heartbeat_at = now(),
                counts = $2, report = $3, source_files = $4, content_hash = $5,
                has_provider_files = $6, has_formulary_files = $7
          WHERE id = $1 AND status = 'loading'
          RETURNING id`,
        [
          versionId,
          JSON.stringify(outcome.counts),
          JSON.stringify(outcome.report),
          JSON.stringify(outcome.sourceFiles),
          outcome.contentHash,
          outcome.hasProviderFiles,
          outcome.hasFormularyFiles,
        ],
      );
      if (!published.length) {
        // Its heartbeat was judged stale and cleanUpAbandonedLoads failed it; the rollback keeps the old version.
        throw new ImportError(LoadFailure.ABANDONED, `version ${versionId} is no longer loading (marked failed as abandoned): not published`);
      }
      await tx.query(`UPDATE issuer SET current_version_id = $2, state = COALESCE($3, state) WHERE issuer_id = $1`, [issuerId, versionId, outcome.state]);
      // Delivered on commit: every API instance stops answering from memory what this publish may change.
      await tx.query(NOTIFY_PUBLISHED);
    });
  }

  /**
   * Republishes a kept version of the issuer (`toVersion`, default: the newest kept version older than the
   * published one) in one transaction, under the same issuer row lock as a load's publish: the published
   * version becomes superseded. Refuses (VERSION_NOT_KEPT) a version that is unknown, of another issuer,
   * failed, still loading, pruned or already published.
   */
  async republish(issuerId: string, toVersion?: number): Promise<RollbackOutcome> {
    return this.db.transaction(async (tx) => {
      const [issuer] = await tx.query(`SELECT current_version_id AS "currentVersionId" FROM issuer WHERE issuer_id = $1 FOR UPDATE`, [issuerId]);
      const kept: Array<{ id: string; status: string }> = await tx.query(
        `SELECT id, status FROM dataset_version WHERE issuer_id = $1 AND status IN ('published', 'superseded') ORDER BY id DESC`,
        [issuerId],
      );
      const current = issuer?.currentVersionId == null ? null : Number(issuer.currentVersionId);
      if (current === null) throw new ImportError(PublishRefusal.VERSION_NOT_KEPT, `issuer ${issuerId} has no published version to roll back`);
      const keptIds = kept.map((row) => Number(row.id));
      const listed = `its kept versions: ${keptIds.map((id) => (id === current ? `${id} (published)` : String(id))).join(', ')}`;
      let target: number;
      if (toVersion === undefined) {
        const previous = keptIds.find((id) => id < current);
        if (previous === undefined)
          throw new ImportError(PublishRefusal.VERSION_NOT_KEPT, `issuer ${issuerId} has no kept version before version ${current}; ${listed}`);
        target = previous;
      } else {
        if (toVersion === current)
          throw new ImportError(PublishRefusal.VERSION_NOT_KEPT, `version ${toVersion} is already issuer ${issuerId}'s published version`);
        if (!keptIds.includes(toVersion)) {
          const [other] = await tx.query(`SELECT issuer_id AS "issuerId", status FROM dataset_version WHERE id = $1`, [toVersion]);
          const why = !other
            ? 'no such version (never loaded, or pruned)'
            : other.issuerId !== issuerId
              ? `it is a version of issuer ${other.issuerId}`
              : other.status === 'failed'
                ? 'that load failed and has no rows'
                : `it is ${other.status}`;
          throw new ImportError(PublishRefusal.VERSION_NOT_KEPT, `cannot roll issuer ${issuerId} back to version ${toVersion}: ${why}; ${listed}`);
        }
        target = toVersion;
      }
      await tx.query(`UPDATE dataset_version SET status = 'superseded' WHERE issuer_id = $1 AND status = 'published'`, [issuerId]);
      await tx.query(`UPDATE dataset_version SET status = 'published', published_at = now() WHERE id = $1 AND status = 'superseded'`, [target]);
      const [state] = await tx.query(`SELECT CASE WHEN count(DISTINCT state) = 1 THEN min(state) END AS state FROM plan WHERE version_id = $1`, [target]);
      await tx.query(`UPDATE issuer SET current_version_id = $2, state = COALESCE($3, state) WHERE issuer_id = $1`, [issuerId, target, state?.state ?? null]);
      await tx.query(NOTIFY_PUBLISHED);
      return { issuerId, versionId: target, previousVersionId: current };
    });
  }

  /** Marks the load failed (with what it found, when known), then drops its rows; the issuer's published version is untouched. */
  async fail(versionId: number, error: string, report?: ValidationReport): Promise<void> {
    await this.db.query(
      `UPDATE dataset_version SET status = 'failed', error = $2, report = COALESCE($3::jsonb, report), finished_at = now() WHERE id = $1 AND status = 'loading'`,
      [versionId, error, report ? JSON.stringify(report) : null],
    );
    await deleteVersionRows(this.db, [versionId]);
  }

  /** Removes a version that turned out not to be needed (identical files were already published). */
  async discard(versionId: number): Promise<void> {
    await deleteVersionRows(this.db, [versionId]);
    await this.db.query(`DELETE FROM dataset_version WHERE id = $1 AND status = 'loading'`, [versionId]);
  }
}

/**
 * Called at start: loads whose heartbeat stopped (their process was killed) are marked failed and
 * their rows dropped, as are rows left behind by a failed load whose cleanup was interrupted.
 * `staleAfterMs` should be several heartbeat intervals (e.g. 60 s).
 */
export async function cleanUpAbandonedLoads(db: DataSource, staleAfterMs: number): Promise<{ failedVersionIds: number[]; cleanedVersionIds: number[] }> {
  const abandoned: Array<{ id: number }> = await db
    .query(
      `UPDATE dataset_version
          SET status = 'failed', finished_at = now(),
              error = 'abandoned: the load stopped sending heartbeats (its process ended) at ' || heartbeat_at
        WHERE status = 'loading' AND heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
        RETURNING id`,
      [staleAfterMs],
    )
    .then(([rows]: [Array<{ id: number }>, number]) => rows); // UPDATE ... RETURNING answers [rows, count]
  const withRows: Array<{ id: number }> = await db.query(
    `SELECT v.id FROM dataset_version v
      WHERE v.status = 'failed' AND (${PLAN_TABLES.map(({ table }) => `EXISTS (SELECT 1 FROM ${table} WHERE version_id = v.id)`).join(' OR ')})`,
  );
  // Version tables (attached or not) of failed versions, and orphans whose dataset_version row is gone.
  const tables = await findVersionTables(db);
  const known: Array<{ id: number; status: string }> = tables.size
    ? await db.query(`SELECT id, status FROM dataset_version WHERE id = ANY($1::bigint[])`, [[...tables.keys()]])
    : [];
  const statusOf = new Map(known.map((row) => [Number(row.id), row.status]));
  const withTables = [...tables.keys()].filter((id) => !statusOf.has(id) || statusOf.get(id) === 'failed');
  const cleaned = [...new Set([...withRows.map((row) => Number(row.id)), ...withTables])].sort((a, b) => a - b);
  await deleteVersionRows(db, cleaned);
  return { failedVersionIds: abandoned.map((row) => Number(row.id)), cleanedVersionIds: cleaned };
}

/**
 * Keeps the issuer's `keep` newest published or superseded versions (and the published one, whatever its
 * age) and deletes older superseded versions with their rows. Failed loads (refused, aborted, superseded
 * before publishing) never count: they are kept as a record, their rows already dropped, and cannot push
 * a good version out. Returns the deleted version ids.
 */
export async function pruneOldVersions(db: DataSource, issuerId: string, keep = VERSIONS_KEPT): Promise<number[]> {
  const old: Array<{ id: number }> = await db.query(
    `SELECT id FROM dataset_version
      WHERE issuer_id = $1 AND status = 'superseded'
        AND id < (SELECT min(id) FROM (SELECT id FROM dataset_version
                                        WHERE issuer_id = $1 AND status IN ('published', 'superseded')
                                        ORDER BY id DESC LIMIT $2) AS kept)`,
    [issuerId, keep],
  );
  const ids = old.map((row) => Number(row.id));
  if (!ids.length) return [];
  await deleteVersionRows(db, ids);
  await db.query(`DELETE FROM dataset_version WHERE id = ANY($1::bigint[]) AND status = 'superseded'`, [ids]);
  return ids;
}
