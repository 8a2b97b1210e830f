import { Injectable } from '@nestjs/common';
import { planForOwnValues } from '../database/plan-cache';
import { Database } from '../database/database';
import { daysSince, share } from './days-since';
import { IssuerDataQualityModel, PlanDataQualityModel } from './models/data-quality.model';

interface ListingQualityRow {
  issuerId: string;
  versionId: number;
  loadedAt: Date;
  recordsLoaded: number;
  recordsRejected: number;
  entriesRejected: number;
  listings: number;
  listingsWithoutPhone: number;
  individualListings: number;
  listingsWithoutAccepting: number;
  listingsWithoutDate: number;
  medianLastUpdatedOn: string | null;
  oldestLastUpdatedOn: string | null;
  computedAt: Date;
}

interface PlanQualityRow extends ListingQualityRow {
  planId: string;
  planLastUpdatedOn: string | null;
}

export interface PlanVersionKey {
  versionId: number;
  planId: string;
}

/**
 * The validation report counts per kind: top-level records (a plan, a provider, a drug) and entries
 * inside kept records (addresses, network memberships, tiers, formulary entries). Shares are taken
 * over records only, so one rejected provider is not diluted by thousands of loaded addresses.
 */
const RECORD_KINDS = `'{plans,providers,drugs}'::text[]`;

/** Sum of the numeric values of a jsonb object such as report->'rejected', over record kinds or the other kinds. */
const jsonbSum = (expression: string, kinds: 'records' | 'entries') =>
  `(SELECT COALESCE(sum((e.value)::text::numeric), 0)::int FROM jsonb_each(COALESCE(${expression}, '{}'::jsonb)) e
     WHERE jsonb_typeof(e.value) = 'number' AND ${kinds === 'records' ? '' : 'NOT '}e.key = ANY(${RECORD_KINDS}))`;

/**
 * Listing metrics over a set of provider rows `p` (with `ph` = its "has a phone" row, or NULL), as
 * SELECT-list aggregates shared by the issuer and per-plan snapshots.
 */
const LISTING_AGGREGATES = `
  count(p.record_no)::int                                                              AS listings,
  count(p.record_no) FILTER (WHERE ph.record_no IS NULL)::int                          AS listings_without_phone,
  count(p.record_no) FILTER (WHERE p.type = 'INDIVIDUAL')::int                         AS individual_listings,
  count(p.record_no) FILTER (WHERE p.type = 'INDIVIDUAL' AND p.accepting IS NULL)::int AS listings_without_accepting,
  count(p.record_no) FILTER (WHERE p.last_updated_on IS NULL)::int                     AS listings_without_date,
  percentile_disc(0.5) WITHIN GROUP (ORDER BY p.last_updated_on)                       AS median_last_updated_on,
  min(p.last_updated_on)                                                               AS oldest_last_updated_on`;

/** Listings (version, record) that have at least one address with a phone number. */
const LISTINGS_WITH_PHONE = `
  SELECT DISTINCT a.version_id, a.record_no
    FROM provider_address a
   WHERE a.version_id = ANY($1::bigint[]) AND a.phone <> ''`;

const QUALITY_COLUMNS = `
  q.issuer_id AS "issuerId", q.version_id AS "versionId", q.listings, q.listings_without_phone AS "listingsWithoutPhone",
  q.individual_listings AS "individualListings", q.listings_without_accepting AS "listingsWithoutAccepting",
  q.listings_without_date AS "listingsWithoutDate", q.median_last_updated_on AS "medianLastUpdatedOn",
  q.oldest_last_updated_on AS "oldestLastUpdatedOn", q.computed_at AS "computedAt"`;

/**
 * Freshness and completeness of published data, computed in SQL once per dataset version (a version
 * never changes after publishing) and kept in issuer_quality / plan_quality. Ages in days are derived
 * from the stored dates at read time, so cached figures never go stale.
 */
@Injectable()
export class DataQualityService {
  constructor(private readonly db: Database) {}

  /** Quality of each issuer's currently published version, in `issuerIds` order (null: nothing published). */
  async forIssuers(issuerIds: readonly string[]): Promise<Array<IssuerDataQualityModel | null>> {
    if (!issuerIds.length) return [];
    const current: Array<{ issuerId: string; versionId: number }> = await this.db.read(
      `SELECT issuer_id AS "issuerId", current_version_id AS "versionId"
         FROM issuer WHERE issuer_id = ANY($1::char(5)[]) AND current_version_id IS NOT NULL`,
      [issuerIds],
    );
    const byIssuer = await this.forVersions(current.map((c) => c.versionId));
    const versionOf = new Map(current.map((c) => [c.issuerId, c.versionId]));
    return issuerIds.map((id) => (versionOf.has(id) ? (byIssuer.get(versionOf.get(id)!) ?? null) : null));
  }

  /** Quality of the published version that holds `planId` (null: plan not published). */
  async forPublishedPlan(planId: string): Promise<PlanDataQualityModel | null> {
    const [plan]: PlanVersionKey[] = await this.db.read(
      `SELECT p.version_id AS "versionId", p.plan_id AS "planId"
         FROM plan p JOIN issuer i ON i.current_version_id = p.version_id
        WHERE p.plan_id = $1`,
      [planId],
    );
    if (!plan) return null;
    const [quality] = await this.forPlans([plan]);
    return quality;
  }

  /** Quality of (version, plan) pairs, in key order (DataLoader batch function). */
  async forPlans(keys: readonly PlanVersionKey[]): Promise<Array<PlanDataQualityModel | null>> {
    if (!keys.length) return [];
    const versionIds = [...new Set(keys.map((k) => k.versionId))];
    await this.ensureComputed(versionIds);
    const rows: PlanQualityRow[] = await this.db.query(
      `SELECT ${QUALITY_COLUMNS}, q.plan_id AS "planId", q.plan_last_updated_on AS "planLastUpdatedOn",
              i.loaded_at AS "loadedAt", i.records_loaded AS "recordsLoaded", i.records_rejected AS "recordsRejected",
              i.entries_rejected AS "entriesRejected"
         FROM plan_quality q
         JOIN unnest($1::bigint[], $2::char(14)[]) AS k(version_id, plan_id)
           ON k.version_id = q.version_id AND k.plan_id = q.plan_id
         JOIN issuer_quality i ON i.version_id = q.version_id`,
      [keys.map((k) => k.versionId), keys.map((k) => k.planId)],
    );
    const now = new Date();
    const byKey = new Map(rows.map((row) => [`${row.versionId}:${row.planId}`, row]));
    return keys.map((k) => {
      const row = byKey.get(`${k.versionId}:${k.planId}`);
      if (!row) return null;
      return {
        ...toListingQuality(row, now),
        planId: row.planId,
        planLastUpdatedOn: row.planLastUpdatedOn,
        planAgeDays: daysSince(row.planLastUpdatedOn, now),
      };
    });
  }

  /** Quality per version id (computing any snapshot not taken yet). */
  async forVersions(versionIds: readonly number[]): Promise<Map<number, IssuerDataQualityModel>> {
    const result = new Map<number, IssuerDataQualityModel>();
    if (!versionIds.length) return result;
    await this.ensureComputed(versionIds);
    const rows: ListingQualityRow[] = await this.db.query(
      `SELECT ${QUALITY_COLUMNS}, q.loaded_at AS "loadedAt", q.records_loaded AS "recordsLoaded",
              q.records_rejected AS "recordsRejected", q.entries_rejected AS "entriesRejected"
         FROM issuer_quality q WHERE q.version_id = ANY($1::bigint[])`,
      [versionIds],
    );
    const now = new Date();
    for (const row of rows) result.set(row.versionId, toListingQuality(row, now));
    return result;
  }

  /**
   * Takes the snapshot of versions that have none: plan rows first, then the issuer row that marks the
   * version as done, in one transaction. Concurrent requests may both compute; ON CONFLICT keeps one.
   */
  private async ensureComputed(versionIds: readonly number[]): Promise<void> {
    const missing: Array<{ id: number }> = await this.db.query(
      `SELECT v.id FROM dataset_version v
        WHERE v.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM issuer_quality q WHERE q.version_id = v.id)`,
      [versionIds],
    );
    if (!missing.length) return;
    const ids = missing.map((m) => m.id);
    await this.db.transaction(async (tx) => {
      // Aggregates over whole versions: plans for these version ids' sizes, not generic ones.
      await planForOwnValues(tx);
      await tx.query(
        `WITH with_phone AS (${LISTINGS_WITH_PHONE}),
              -- Each plan's network sets; plans held by the same sets have the same listings (one network):
              -- their aggregates are computed once, over the network's listings, not once per plan.
              plan_sets AS (
                SELECT s.version_id, s.plan_id, array_agg(DISTINCT s.set_id ORDER BY s.set_id) AS set_ids
                  FROM network_set s WHERE s.version_id = ANY($1::bigint[])
                 GROUP BY s.version_id, s.plan_id),
              networks AS (SELECT DISTINCT version_id, set_ids FROM plan_sets),
              network_quality AS (
                SELECT n.version_id, n.set_ids, ${LISTING_AGGREGATES}
                  FROM networks n
                  JOIN listing_network_set l ON l.version_id = n.version_id AND l.set_id = ANY(n.set_ids)
                  JOIN provider p ON p.version_id = l.version_id AND p.record_no = l.record_no
                  LEFT JOIN with_phone ph ON ph.version_id = p.version_id AND ph.record_no = p.record_no
                 GROUP BY n.version_id, n.set_ids)
         INSERT INTO plan_quality (version_id, plan_id, issuer_id, plan_last_updated_on, listings, listings_without_phone,
                                   individual_listings, listings_without_accepting, listings_without_date,
                                   median_last_updated_on, oldest_last_updated_on)
         SELECT pl.version_id, pl.plan_id, pl.issuer_id, pl.last_updated_on,
                COALESCE(q.listings, 0), COALESCE(q.listings_without_phone, 0), COALESCE(q.individual_listings, 0),
                COALESCE(q.listings_without_accepting, 0), COALESCE(q.listings_without_date, 0),
                q.median_last_updated_on, q.oldest_last_updated_on
           FROM plan pl
           LEFT JOIN plan_sets ps ON ps.version_id = pl.version_id AND ps.plan_id = pl.plan_id
           LEFT JOIN network_quality q ON q.version_id = ps.version_id AND q.set_ids = ps.set_ids
          WHERE pl.version_id = ANY($1::bigint[])
         ON CONFLICT (version_id, plan_id) DO NOTHING`,
        [ids],
      );
      await tx.query(
        `WITH with_phone AS (${LISTINGS_WITH_PHONE}),
              listing AS (
                SELECT p.version_id, ${LISTING_AGGREGATES}
                  FROM provider p
                  LEFT JOIN with_phone ph ON ph.version_id = p.version_id AND ph.record_no = p.record_no
                 WHERE p.version_id = ANY($1::bigint[])
                 GROUP BY p.version_id)
         INSERT INTO issuer_quality (version_id, issuer_id, loaded_at, records_loaded, records_rejected, entries_rejected, listings,
                                     listings_without_phone, individual_listings, listings_without_accepting,
                                     listings_without_date, median_last_updated_on, oldest_last_updated_on)
         SELECT v.id, v.issuer_id, COALESCE(v.published_at, v.started_at),
                ${jsonbSum(`COALESCE(v.report->'loaded', v.counts)`, 'records')},
                ${jsonbSum(`v.report->'rejected'`, 'records')},
                ${jsonbSum(`v.report->'rejected'`, 'entries')},
                COALESCE(l.listings, 0), COALESCE(l.listings_without_phone, 0), COALESCE(l.individual_listings, 0),
                COALESCE(l.listings_without_accepting, 0), COALESCE(l.listings_without_date, 0),
                l.median_last_updated_on, l.oldest_last_updated_on
           FROM dataset_version v
           LEFT JOIN listing l ON l.version_id = v.id
          WHERE v.id = ANY($1::bigint[])
         ON CONFLICT (version_id) DO NOTHING`,
        [ids],
      );
    });
  }
}

function toListingQuality(row: ListingQualityRow, now: Date): IssuerDataQualityModel {
  return {
    issuerId: row.issuerId,
    datasetVersionId: row.versionId,
    lastLoadedAt: row.loadedAt,
    daysSinceLoad: daysSince(row.loadedAt, now) ?? 0,
    recordsLoaded: row.recordsLoaded,
    recordsRejected: row.recordsRejected,
    rejectedShare: share(row.recordsRejected, row.recordsLoaded + row.recordsRejected),
    entriesRejected: row.entriesRejected,
    listings: row.listings,
    listingsWithoutPhone: row.listingsWithoutPhone,
    shareWithoutPhone: share(row.listingsWithoutPhone, row.listings),
    individualListings: row.individualListings,
    listingsWithoutAcceptingStatus: row.listingsWithoutAccepting,
    shareWithoutAcceptingStatus: share(row.listingsWithoutAccepting, row.individualListings),
    listingsWithoutLastUpdatedOn: row.listingsWithoutDate,
    medianLastUpdatedOn: row.medianLastUpdatedOn,
    oldestLastUpdatedOn: row.oldestLastUpdatedOn,
    medianAgeDays: daysSince(row.medianLastUpdatedOn, now),
    oldestAgeDays: daysSince(row.oldestLastUpdatedOn, now),
    computedAt: row.computedAt,
  };
}
