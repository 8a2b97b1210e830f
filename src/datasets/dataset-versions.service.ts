import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsSelect, In, LessThan, Repository } from 'typeorm';
import type { ValidationReport } from '../ingest/import-contract';
import { Database } from '../database/database';
import { Connection, decodeCursor, pageSize, toConnection } from '../common/pagination';
import { DatasetSourceFile, DatasetVersionEntity } from './dataset-version.entity';
import { DatasetVersionModel, DatasetVersionStatus } from './models/dataset-version.model';
import { rejectedCountOf, toImportReportModel, toNamedCounts } from './models/import-report.model';

interface DatasetVersionRow {
  id: number;
  number: number;
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

const VERSION_COLUMNS: FindOptionsSelect<DatasetVersionEntity> = {
  id: true,
  number: true,
  issuerId: true,
  status: true,
  source: true,
  loadedBy: true,
  startedAt: true,
  publishedAt: true,
  finishedAt: true,
  counts: true,
  sourceFiles: true,
  report: true,
  error: true,
};

function toModel(version: DatasetVersionEntity): DatasetVersionModel {
  const row = version as DatasetVersionRow;
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
  constructor(
    @InjectRepository(DatasetVersionEntity) private readonly versions: Repository<DatasetVersionEntity>,
    private readonly db: Database,
  ) {}

  /** Versions of one issuer, newest first. */
  async listVersions(issuerId: string, first?: number | null, after?: string | null): Promise<Connection<DatasetVersionModel>> {
    const limit = pageSize(first);
    const beforeId = decodeCursor<number>(after);
    const [rows, total] = await Promise.all([
      this.versions.find({
        select: VERSION_COLUMNS,
        where: { issuerId, ...(beforeId != null ? { id: LessThan(beforeId) } : {}) },
        order: { id: 'DESC' },
        take: limit + 1,
      }),
      this.versions.countBy({ issuerId }),
    ]);
    return toConnection(rows.map(toModel), limit, (version) => version.id, total);
  }

  /**
   * Totals over the published version of every issuer, from the counts each load recorded: issuers,
   * provider and drug records, network memberships and formulary entries, and the latest publication.
   */
  async publishedTotals(): Promise<PublishedTotals> {
    const [row] = await this.db.read(
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
    const rows = await this.versions.find({ select: VERSION_COLUMNS, where: { id: In([...ids]) } });
    return rows.map(toModel);
  }
}
