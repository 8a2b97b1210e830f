import { DataSource } from 'typeorm';
import { FEED_FETCH_QUEUE } from '../../src/feeds/feed-jobs.service';
import { TestApp } from '../helpers/test-app';
import { removeIssuers } from '../ingest/ingest-helpers';

export const FEED_QUERY = `query($issuerId: String!) {
  issuer(issuerId: $issuerId) {
    issuerId currentVersionId
    feed {
      issuerId indexUrl status broken outcome error lastCheckedAt brokenSince contentChangedAt daysSinceContentChanged lastVersionId
      files { url kind listed ok httpStatus bytes contentType downloadMs changed etag lastModified sha256 errorCode error byteOffset jsonPath recordsRejected validationSummary }
    }
  }
}`;

export interface FeedFileAnswer {
  url: string;
  kind: string;
  listed: boolean;
  ok: boolean | null;
  httpStatus: number | null;
  bytes: number | null;
  contentType: string | null;
  changed: boolean | null;
  etag: string | null;
  sha256: string | null;
  errorCode: string | null;
  error: string | null;
  byteOffset: number | null;
  jsonPath: string | null;
  recordsRejected: number | null;
  validationSummary: string | null;
}

export interface FeedAnswer {
  issuerId: string;
  indexUrl: string;
  status: string;
  broken: boolean;
  outcome: string | null;
  error: string | null;
  brokenSince: string | null;
  contentChangedAt: string | null;
  daysSinceContentChanged: number | null;
  lastVersionId: number | null;
  files: FeedFileAnswer[];
}

/** The issuer's feed as GraphQL answers it. */
export async function feedOf(app: TestApp, issuerId: string): Promise<FeedAnswer> {
  const res = await app.gql(FEED_QUERY, { issuerId });
  expect(res.errors).toBeUndefined();
  return res.data.issuer.feed;
}

export function fileOf(feed: FeedAnswer, url: string): FeedFileAnswer {
  const file = feed.files.find((f) => f.url === url);
  if (!file) throw new Error(`no health record for ${url}: ${feed.files.map((f) => f.url).join(', ')}`);
  return file;
}

/**
 * Removes the feeds, their issuers' data, and their checks still queued: a check left waiting for a retry
 * by an earlier test's instance (stopped mid-check) would hold the queue's one retry slot per feed
 * (the queue is stately), so an interrupted check of a later test would be failed instead of retried.
 */
export async function removeFeeds(db: DataSource, issuerIds: string[]): Promise<void> {
  await db.query(`DELETE FROM pgboss.job WHERE name = $1 AND singleton_key = ANY($2) AND state < 'completed'`, [FEED_FETCH_QUEUE, issuerIds]);
  await db.query(`DELETE FROM feed WHERE issuer_id = ANY($1)`, [issuerIds]);
  await removeIssuers(db, issuerIds);
}
