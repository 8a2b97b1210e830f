import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
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

/** An issuer's load history, for carriers checking their uploads and shoppers checking freshness. */
@Injectable()
export class DatasetVersionsService {
  constructor(private readonly db: Database) {}

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

  async findVersions(ids: readonly number[]): Promise<DatasetVersionModel[]> {
    if (!ids.length) return [];
    const rows: DatasetVersionRow[] = await this.db.query(`SELECT ${VERSION_COLUMNS} FROM dataset_version WHERE id = ANY($1::bigint[])`, [ids]);
    return rows.map(toModel);
  }
}
