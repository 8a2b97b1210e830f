import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Feeds: the URLs carriers publish their QHP files at, and how each fetch of them went. One feed per
 * issuer (its cms-data-index.json URL); one feed_file per URL the feed fetches, the index included, so
 * "which carriers' links are broken today" is a query on these two tables.
 */
export class FeedHealth1700000001000 implements MigrationInterface {
  name = 'FeedHealth1700000001000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE feed (
        -- No foreign key: the issuer row is created by the feed's first successful load.
        issuer_id           char(5) PRIMARY KEY CHECK (issuer_id ~ '^[0-9]{5}$'),
        index_url           text NOT NULL,
        issuer_name         text,
        state               char(2),
        source              text NOT NULL DEFAULT 'cli',
        created_at          timestamptz NOT NULL DEFAULT now(),
        last_checked_at     timestamptz,
        -- ok: fetched (loaded or unchanged); broken: a file could not be fetched, parsed or loaded.
        status              text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ok', 'broken')),
        outcome             text,
        error               text,
        broken_since        timestamptz,
        last_success_at     timestamptz,
        content_changed_at  timestamptz,
        last_version_id     bigint,
        check_ms            integer
      )`);
    await q.query(`CREATE INDEX feed_broken_idx ON feed (issuer_id) WHERE status = 'broken'`);
    await q.query(`
      CREATE TABLE feed_file (
        issuer_id           char(5) NOT NULL REFERENCES feed(issuer_id) ON DELETE CASCADE,
        url                 text NOT NULL,
        kind                text NOT NULL,
        -- false once the index stops listing the URL; the row keeps its last health.
        listed              boolean NOT NULL DEFAULT true,
        last_checked_at     timestamptz,
        http_status         integer,
        bytes               bigint,
        content_type        text,
        download_ms         integer,
        changed             boolean,
        etag                text,
        last_modified       text,
        sha256              text,
        ok                  boolean,
        error_code          text,
        error               text,
        byte_offset         bigint,
        json_path           text,
        -- Records of the file the last load rejected, and the reasons (e.g. "INVALID_NPI 3, UNKNOWN_PLAN 1").
        records_rejected    integer,
        validation_summary  text,
        content_changed_at  timestamptz,
        PRIMARY KEY (issuer_id, url)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS feed_file`);
    await q.query(`DROP TABLE IF EXISTS feed`);
  }
}
