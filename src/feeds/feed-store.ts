import { DataSource } from 'typeorm';
import { NOTIFY_PUBLISHED } from '../database/publish-notifications';

export type FeedFileKind = 'index' | 'plans' | 'providers' | 'drugs';

/** A feed as registered: an issuer and the URL of its cms-data-index.json. */
export interface FeedSource {
  issuerId: string;
  indexUrl: string;
  issuerName?: string | null;
  state?: string | null;
  source?: string;
}

export interface FeedFileRow {
  issuerId: string;
  url: string;
  kind: FeedFileKind;
  listed: boolean;
  lastCheckedAt: Date | null;
  httpStatus: number | null;
  bytes: number | null;
  contentType: string | null;
  downloadMs: number | null;
  changed: boolean | null;
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  ok: boolean | null;
  errorCode: string | null;
  error: string | null;
  byteOffset: number | null;
  jsonPath: string | null;
  contentChangedAt: Date | null;
  recordsRejected: number | null;
  validationSummary: string | null;
}

export interface FeedRow {
  issuerId: string;
  indexUrl: string;
  issuerName: string | null;
  state: string | null;
  source: string;
  createdAt: Date;
  lastCheckedAt: Date | null;
  status: 'new' | 'ok' | 'broken';
  outcome: string | null;
  error: string | null;
  brokenSince: Date | null;
  lastSuccessAt: Date | null;
  contentChangedAt: Date | null;
  lastVersionId: number | null;
  checkMs: number | null;
}

/** What one check of a file found; written over the file's previous health. */
export type FileCheck = Omit<FeedFileRow, 'issuerId' | 'listed' | 'lastCheckedAt' | 'contentChangedAt'>;

export interface FeedCheck {
  status: 'ok' | 'broken';
  outcome: 'published' | 'unchanged' | 'not-modified' | 'failed';
  error: string | null;
  contentChanged: boolean;
  versionId: number | null;
  checkMs: number;
}

const FEED_COLUMNS = `issuer_id AS "issuerId", index_url AS "indexUrl", issuer_name AS "issuerName", state, source, created_at AS "createdAt",
  last_checked_at AS "lastCheckedAt", status, outcome, error, broken_since AS "brokenSince", last_success_at AS "lastSuccessAt",
  content_changed_at AS "contentChangedAt", last_version_id::int AS "lastVersionId", check_ms AS "checkMs"`;

const FILE_COLUMNS = `issuer_id AS "issuerId", url, kind, listed, last_checked_at AS "lastCheckedAt", http_status AS "httpStatus",
  bytes::float8 AS bytes, content_type AS "contentType", download_ms AS "downloadMs", changed, etag, last_modified AS "lastModified",
  sha256, ok, error_code AS "errorCode", error, byte_offset::float8 AS "byteOffset", json_path AS "jsonPath",
  content_changed_at AS "contentChangedAt", records_rejected AS "recordsRejected", validation_summary AS "validationSummary"`;

/** Reads and writes the feed and feed_file tables. */
export class FeedStore {
  constructor(private readonly db: DataSource) {}

  /** Registers a feed, or points an issuer's feed at a new index URL (its file health starts over). */
  async register(feed: FeedSource): Promise<void> {
    // A new feed is part of what its issuer's answers read (its last check, none yet).
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO feed (issuer_id, index_url, issuer_name, state, source) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (issuer_id) DO UPDATE SET index_url = EXCLUDED.index_url,
         issuer_name = COALESCE(EXCLUDED.issuer_name, feed.issuer_name), state = COALESCE(EXCLUDED.state, feed.state)`,
        [feed.issuerId, feed.indexUrl, feed.issuerName ?? null, feed.state ?? null, feed.source ?? 'cli'],
      );
      await tx.query(NOTIFY_PUBLISHED);
    });
    await this.db.query(`DELETE FROM feed_file f USING feed WHERE f.issuer_id = $1 AND feed.issuer_id = $1 AND f.kind = 'index' AND f.url <> feed.index_url`, [
      feed.issuerId,
    ]);
  }

  async feed(issuerId: string): Promise<FeedRow | null> {
    const [row] = await this.db.query(`SELECT ${FEED_COLUMNS} FROM feed WHERE issuer_id = $1`, [issuerId]);
    return row ?? null;
  }

  async feeds(options: { brokenOnly?: boolean; issuerIds?: readonly string[] } = {}): Promise<FeedRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.brokenOnly) where.push(`status = 'broken'`);
    if (options.issuerIds) {
      params.push(options.issuerIds);
      where.push(`issuer_id = ANY($${params.length})`);
    }
    return this.db.query(`SELECT ${FEED_COLUMNS} FROM feed ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY issuer_id`, params);
  }

  /** Files of the given feeds: the index first, then in load order, then by URL. */
  async files(issuerIds: readonly string[]): Promise<FeedFileRow[]> {
    return this.db.query(
      `SELECT ${FILE_COLUMNS} FROM feed_file WHERE issuer_id = ANY($1)
       ORDER BY issuer_id, NOT listed, array_position(ARRAY['index','plans','providers','drugs'], kind), url`,
      [issuerIds],
    );
  }

  /** Marks which URLs the index lists now; a URL no longer listed keeps its last health, listed = false. */
  async setListed(issuerId: string, files: Array<{ url: string; kind: FeedFileKind }>): Promise<void> {
    await this.db.query(`UPDATE feed_file SET listed = false WHERE issuer_id = $1 AND kind <> 'index' AND NOT (url = ANY($2))`, [
      issuerId,
      files.map((file) => file.url),
    ]);
    await this.db.query(
      `INSERT INTO feed_file (issuer_id, url, kind, listed) SELECT $1, u.url, u.kind, true FROM unnest($2::text[], $3::text[]) AS u(url, kind)
       ON CONFLICT (issuer_id, url) DO UPDATE SET listed = true, kind = EXCLUDED.kind`,
      [issuerId, files.map((file) => file.url), files.map((file) => file.kind)],
    );
  }

  async recordFile(issuerId: string, check: FileCheck): Promise<void> {
    await this.db.query(
      `INSERT INTO feed_file (issuer_id, url, kind, listed, last_checked_at, http_status, bytes, content_type, download_ms, changed, etag,
         last_modified, sha256, ok, error_code, error, byte_offset, json_path, records_rejected, validation_summary, content_changed_at)
       VALUES ($1, $2, $3, true, now(), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, CASE WHEN $8 THEN now() END)
       ON CONFLICT (issuer_id, url) DO UPDATE SET kind = EXCLUDED.kind, listed = true, last_checked_at = now(),
         http_status = EXCLUDED.http_status, bytes = COALESCE(EXCLUDED.bytes, feed_file.bytes), content_type = COALESCE(EXCLUDED.content_type, feed_file.content_type),
         download_ms = EXCLUDED.download_ms, changed = EXCLUDED.changed,
         etag = COALESCE(EXCLUDED.etag, feed_file.etag), last_modified = COALESCE(EXCLUDED.last_modified, feed_file.last_modified),
         sha256 = COALESCE(EXCLUDED.sha256, feed_file.sha256), ok = EXCLUDED.ok, error_code = EXCLUDED.error_code, error = EXCLUDED.error,
         byte_offset = EXCLUDED.byte_offset, json_path = EXCLUDED.json_path,
         records_rejected = COALESCE(EXCLUDED.records_rejected, feed_file.records_rejected),
         validation_summary = COALESCE(EXCLUDED.validation_summary, feed_file.validation_summary),
         content_changed_at = CASE WHEN EXCLUDED.changed THEN now() ELSE feed_file.content_changed_at END`,
      [
        issuerId,
        check.url,
        check.kind,
        check.httpStatus,
        check.bytes,
        check.contentType,
        check.downloadMs,
        check.changed,
        check.etag,
        check.lastModified,
        check.sha256,
        check.ok,
        check.errorCode,
        check.error,
        check.byteOffset,
        check.jsonPath,
        check.recordsRejected,
        check.validationSummary,
      ],
    );
  }

  /** After a load: a file's parse failure, or its rejected records, on its health row. */
  async annotateFile(
    issuerId: string,
    url: string,
    note: Partial<Pick<FeedFileRow, 'ok' | 'errorCode' | 'error' | 'byteOffset' | 'jsonPath' | 'recordsRejected' | 'validationSummary'>>,
  ): Promise<void> {
    await this.db.query(
      `UPDATE feed_file SET ok = COALESCE($3, ok), error_code = COALESCE($4, error_code), error = COALESCE($5, error),
         byte_offset = COALESCE($6, byte_offset), json_path = COALESCE($7, json_path), records_rejected = $8, validation_summary = $9
       WHERE issuer_id = $1 AND url = $2`,
      [
        issuerId,
        url,
        note.ok ?? null,
        note.errorCode ?? null,
        note.error ?? null,
        note.byteOffset ?? null,
        note.jsonPath ?? null,
        note.recordsRejected ?? null,
        note.validationSummary ?? null,
      ],
    );
  }

  /**
   * A failed load must not be remembered as the current copy: its validators and hashes are cleared so the
   * next check downloads and loads the files again instead of trusting a 304.
   */
  async forgetValidators(issuerId: string): Promise<void> {
    await this.db.query(`UPDATE feed_file SET etag = NULL, last_modified = NULL, sha256 = NULL WHERE issuer_id = $1`, [issuerId]);
  }

  async recordFeed(issuerId: string, check: FeedCheck): Promise<void> {
    // Answers read a feed's last check (feed health, data quality): announced on commit like a publish.
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE feed SET last_checked_at = now(), status = $2, outcome = $3, error = $4, check_ms = $5,
         broken_since = CASE WHEN $2 = 'broken' THEN COALESCE(broken_since, now()) END,
         last_success_at = CASE WHEN $2 = 'ok' THEN now() ELSE last_success_at END,
         content_changed_at = CASE WHEN $6 THEN now() ELSE content_changed_at END,
         last_version_id = COALESCE($7, last_version_id)
       WHERE issuer_id = $1`,
        [issuerId, check.status, check.outcome, check.error, check.checkMs, check.contentChanged, check.versionId],
      );
      await tx.query(NOTIFY_PUBLISHED);
    });
  }
}
