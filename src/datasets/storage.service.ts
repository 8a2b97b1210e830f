import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { PARTITIONED_TABLES, VERSION_TABLES } from '../qhp/version-tables';
import { DatabaseStorageModel, VersionStorageModel } from './models/storage.model';

/** Rows and bytes on disk per dataset version (its `<table>_v<version>` partitions), and the database's size. */
@Injectable()
export class StorageService {
  constructor(private readonly db: Database) {}

  async versionStorage(versionIds: readonly number[]): Promise<VersionStorageModel[]> {
    const names = versionIds.flatMap((id) => PARTITIONED_TABLES.map((table) => `${table}_v${id}`));
    const partitions: Array<{ name: string; rows: string; bytes: string }> = await this.db.read(
      `SELECT c.relname AS name, GREATEST(c.reltuples, 0)::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY($1) AND c.relkind = 'r'`,
      [names],
    );
    // The plan tables are plain tables shared by every version: their rows counted, their bytes not split.
    const plain = VERSION_TABLES.filter((t) => !t.partitioned).map((t) => t.table);
    const plainRows: Array<{ table: string; version_id: string; rows: string }> = await this.db.read(
      plain
        .map((table) => `SELECT '${table}' AS table, version_id, count(*) AS rows FROM ${table} WHERE version_id = ANY($1) GROUP BY version_id`)
        .join(' UNION ALL '),
      [versionIds],
    );
    const byName = new Map(partitions.map((p) => [p.name, p]));
    return versionIds.map((id) => {
      const tables = VERSION_TABLES.map(({ table, partitioned }) => {
        if (!partitioned) {
          const row = plainRows.find((r) => r.table === table && Number(r.version_id) === id);
          return { table, rows: Number(row?.rows ?? 0), bytes: 0 };
        }
        const partition = byName.get(`${table}_v${id}`);
        return { table, rows: Number(partition?.rows ?? 0), bytes: Number(partition?.bytes ?? 0) };
      });
      return { tables, rows: tables.reduce((sum, t) => sum + t.rows, 0), bytes: tables.reduce((sum, t) => sum + t.bytes, 0) };
    });
  }

  async databaseStorage(): Promise<DatabaseStorageModel> {
    const [row]: Array<{ bytes: string; version_bytes: string }> = await this.db.read(
      `SELECT pg_database_size(current_database()) AS bytes,
              (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)
                 FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname ~ ('^(' || array_to_string($1::text[], '|') || ')_v[0-9]+$')) AS version_bytes`,
      [PARTITIONED_TABLES],
    );
    return { bytes: Number(row.bytes), versionBytes: Number(row.version_bytes) };
  }
}
