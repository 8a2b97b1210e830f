import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { issuerIdOfPlan } from '../common/identifiers';
import { readQuery } from '../database/read-query';

/** Every issuer's published dataset version, as read at one moment. */
export class VersionSnapshot {
  /** Sorted ascending. */
  readonly ids: number[];

  constructor(private readonly byIssuer: ReadonlyMap<string, number>) {
    this.ids = [...byIssuer.values()].sort((a, b) => a - b);
  }

  /** The published versions of these plans' issuers (a plan id starts with its issuer id). */
  ofPlans(planIds: readonly string[]): number[] {
    return [...new Set(planIds.map((planId) => this.byIssuer.get(issuerIdOfPlan(planId))).filter((v): v is number => v !== undefined))];
  }

  /** Whether `ids` (sorted, as findPublishedVersionIds reads them) are this snapshot's. */
  matches(ids: readonly number[]): boolean {
    return ids.length === this.ids.length && ids.every((id, i) => id === this.ids[i]);
  }
}

/**
 * The published version of every issuer, kept in memory between requests so that the two questions can
 * name the partitions they read (see inVersions) without a round trip of their own. Never trusted blindly:
 * each answer reads the published versions in the same round trip as its lookups (findPublishedVersionIds),
 * and is computed again from a fresh snapshot when they differ (a publish happened since it was taken).
 */
@Injectable()
export class PublishedVersions {
  private snapshot: VersionSnapshot | null = null;
  private loading: Promise<VersionSnapshot> | null = null;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  current(): Promise<VersionSnapshot> {
    return this.snapshot ? Promise.resolve(this.snapshot) : this.reload();
  }

  /** Reads the snapshot again (concurrent callers share one read). */
  reload(): Promise<VersionSnapshot> {
    this.loading ??= readQuery<Array<{ issuerId: string; versionId: number }>>(this.db,
      // The parameter only makes readQuery prepare the statement (it prepares parameterized ones).
      `SELECT issuer_id AS "issuerId", current_version_id::int AS "versionId" FROM issuer WHERE current_version_id > $1`,
      [0],
    )
      .then((rows) => (this.snapshot = new VersionSnapshot(new Map(rows.map((r) => [r.issuerId, r.versionId])))))
      .finally(() => (this.loading = null));
    return this.loading;
  }

  /** The published version ids now, sorted: run it beside the lookups, then check it with matches(). */
  async readIds(): Promise<number[]> {
    const [row]: Array<{ ids: number[] }> = await readQuery(this.db,
      `SELECT coalesce(array_agg(current_version_id::int ORDER BY current_version_id), '{}') AS ids
         FROM issuer WHERE current_version_id > $1`,
      [0],
    );
    return row.ids;
  }

  /**
   * Runs `read` with the current snapshot until the published versions read beside it are the snapshot's
   * (at most three times: under a storm of publishes the last answer stands, consistent within its versions).
   */
  async consistently<T>(read: (snapshot: VersionSnapshot) => Promise<[T, number[]]>): Promise<T> {
    let snapshot = await this.current();
    for (let attempt = 1; ; attempt++) {
      const [result, publishedIds] = await read(snapshot);
      if (snapshot.matches(publishedIds) || attempt === 3) return result;
      snapshot = await this.reload();
    }
  }
}
