import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ValidationReport } from '../ingest/import-contract';
import { Connection, decodeCursor, pageSize, toConnection } from '../common/pagination';
import { DatasetSourceFile } from './dataset-version.entity';
import { DatasetVersionModel, DatasetVersionStatus } from './models/dataset-version.model';
import { rejectedCountOf, toImportReportModel, toNamedCounts } from './models/import-report.model';

interface DatasetVersionRow {
  id: number;
  issuerId: string;
  status: DatasetVersionStatus;
  source: string;
  loadedBy: string | null;
  startedAt: Date;
  publishedAt: Date | null;
  finishedAt: Date | null;
  counts: Record<string, number>;
  sourceFiles: DatasetSourceFile[];
  report: Partial<ValidationReport> | null;
  error: string | null;
}

const VERSION_COLUMNS = `id, issuer_id AS "issuerId", status, source, loaded_by AS "loadedBy",
  started_at AS "startedAt", published_at AS "publishedAt", finished_at AS "finishedAt",
  counts, source_files AS "sourceFiles", report, error`;

function toModel(row: DatasetVersionRow): DatasetVersionModel {
  return {
    ...row,
    counts: toNamedCounts(row.counts),
    sourceFiles: (row.sourceFiles ?? []).map((file) => ({
      name: file.name,
      kind: file.kind,
      bytes: file.bytes ?? null,
      sha256: file.sha256 ?? null,
    })),
    rejectedCount: rejectedCountOf(row.report),
    report: toImportReportModel(row.report),
  };
}

export interface PublishedTotals {
  issuers: number;
  providers: number;
  drugs: number;
  networkMemberships: number;
  formularyEntries: number;
  lastPublishedAt: Date | null;
}

/** An issuer's load history, for carriers checking their uploads and shoppers checking freshness. */
@Injectable()
export class DatasetVersionsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Versions of one issuer, newest first. */
  async listVersions(issuerId: string, first?: number | null, after?: string | null): Promise<Connection<DatasetVersionModel>> {
    const limit = pageSize(first);
    const beforeId = decodeCursor<number>(after);
    const [rows, [{ total }]]: [DatasetVersionRow[], Array<{ total: number }>] = await Promise.all([
      this.db.query(
        `SELECT ${VERSION_COLUMNS} FROM dataset_version
          WHERE issuer_id = $1 AND ($2::bigint IS NULL OR id < $2)
          ORDER BY id DESC
          LIMIT $3`,
        [issuerId, beforeId, limit + 1],
      ),
      this.db.query(`SELECT count(*)::int AS total FROM dataset_version WHERE issuer_id = $1`, [issuerId]),
    ]);
    return toConnection(rows.map(toModel), limit, (version) => version.id, total);
  }

  /**
   * Totals over the published version of every issuer, from the counts each load recorded: issuers,
   * provider and drug records, network memberships and formulary entries, and the latest publication.
   */
  async publishedTotals(): Promise<PublishedTotals> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS issuers,
              COALESCE(sum((v.counts->>'providers')::bigint), 0)::bigint AS providers,
              COALESCE(sum((v.counts->>'drugs')::bigint), 0)::bigint AS drugs,
              COALESCE(sum((v.counts->>'networkMemberships')::bigint), 0)::bigint AS "networkMemberships",
              COALESCE(sum((v.counts->>'formularyEntries')::bigint), 0)::bigint AS "formularyEntries",
              max(v.published_at) AS "lastPublishedAt"
         FROM issuer i JOIN dataset_version v ON v.id = i.current_version_id`,
    );
    return {
      issuers: row.issuers,
      providers: Number(row.providers),
      drugs: Number(row.drugs),
      networkMemberships: Number(row.networkMemberships),
      formularyEntries: Number(row.formularyEntries),
      lastPublishedAt: row.lastPublishedAt ?? null,
    };
  }

  async findVersions(ids: readonly number[]): Promise<DatasetVersionModel[]> {
    if (!ids.length) return [];
    const rows: DatasetVersionRow[] = await this.db.query(`SELECT ${VERSION_COLUMNS} FROM dataset_version WHERE id = ANY($1::bigint[])`, [ids]);
    return rows.map(toModel);
  }
}
