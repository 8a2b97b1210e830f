import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';

/** What every answer read from a dataset version shares: whose load it was and when it happened. */
export interface VersionSummary {
  versionId: number;
  issuerId: string;
  issuerName: string;
  loadedAt: Date;
}

@Injectable()
export class ProvenanceService {
  constructor(private readonly db: Database) {}

  /** One summary per version id, in `versionIds` order (null for an unknown id). Primary-key lookups. */
  async findVersionSummaries(versionIds: readonly number[]): Promise<Array<VersionSummary | null>> {
    if (!versionIds.length) return [];
    const rows: VersionSummary[] = await this.db.read(
      `SELECT v.id AS "versionId", v.issuer_id AS "issuerId", i.name AS "issuerName",
              COALESCE(v.published_at, v.started_at) AS "loadedAt"
         FROM dataset_version v JOIN issuer i ON i.issuer_id = v.issuer_id
        WHERE v.id = ANY($1::bigint[])`,
      [versionIds],
    );
    const byId = new Map(rows.map((row) => [row.versionId, row]));
    return versionIds.map((id) => byId.get(id) ?? null);
  }
}
