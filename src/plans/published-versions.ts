import { Injectable } from '@nestjs/common';
import { issuerIdOfPlan } from '../common/identifiers';
import { Database, Reader } from '../database/database';

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

  /** The same published versions (a version belongs to one issuer, so the same ids mean the same issuers' versions). */
  matches(other: VersionSnapshot): boolean {
    return other.ids.length === this.ids.length && other.ids.every((id, i) => id === this.ids[i]);
  }
}

/**
 * The published version of every issuer, kept in memory between requests so that the two questions can
 * name the partitions they read (see versionParameters) without a round trip of their own. Never trusted blindly:
 * each answer reads the published versions in the same round trip as its lookups (read()), and is computed
 * again with what it read when they differ (a publish happened since, or this is the process's first answer).
 */
@Injectable()
export class PublishedVersions {
  private snapshot = new VersionSnapshot(new Map());

  constructor(private readonly db: Database) {}

  /** The published versions now. */
  private async read(reader: Reader): Promise<VersionSnapshot> {
    // The parameter only makes the read prepare the statement (it prepares parameterized ones).
    const rows: Array<{ issuerId: string; versionId: number }> = await reader.read(
      `SELECT issuer_id AS "issuerId", current_version_id::int AS "versionId" FROM issuer WHERE current_version_id > $1`,
      [0],
    );
    return new VersionSnapshot(new Map(rows.map((r) => [r.issuerId, r.versionId])));
  }

  /**
   * Runs `lookups` with the kept snapshot until the published versions read beside them are that snapshot's
   * (at most three times: under a storm of publishes the last answer stands, consistent within its versions).
   * `lookups` reads through `batch`, before it first awaits: the read of the published versions joins the
   * same batch, one round trip (a statement read through the batch after that is rejected).
   */
  async consistently<T>(lookups: (snapshot: VersionSnapshot, batch: Reader) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const used = this.snapshot;
      const [result, published] = await this.db.readTogether((batch) => Promise.all([lookups(used, batch), this.read(batch)]));
      const consistent = used.matches(published);
      if (!consistent) this.snapshot = published;
      if (consistent || attempt === 3) return result;
    }
  }
}
