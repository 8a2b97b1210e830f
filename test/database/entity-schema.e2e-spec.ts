/**
 * Migrations are the only source of the schema (synchronize stays off), so an entity is a second
 * description of its table: this compares every entity the application registers with the migrated
 * table, column by column (name, type, length, array, nullability), in both directions.
 */
import { DataSource } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { runMigrations } from '../../src/database/data-source-options';
import { startTestApp, TestApp, testDatabaseUrl } from '../helpers/test-app';

interface TableColumn {
  column_name: string;
  data_type: string;
  udt_name: string;
  character_maximum_length: number | null;
  is_nullable: 'YES' | 'NO';
}

/** A column as information_schema describes it, in one comparable line. */
function describeTableColumn(c: TableColumn): string {
  const array = c.data_type === 'ARRAY';
  // Arrays name their element type by its internal name (_text, _bpchar); format it like the others.
  const type = array ? elementTypeName(c.udt_name.slice(1)) : c.data_type;
  return `${c.column_name} ${type}${c.character_maximum_length ? `(${c.character_maximum_length})` : ''}${array ? '[]' : ''} ${c.is_nullable === 'YES' ? 'NULL' : 'NOT NULL'}`;
}

function elementTypeName(udt: string): string {
  const names: Record<string, string> = {
    bpchar: 'character',
    varchar: 'character varying',
    int4: 'integer',
    int8: 'bigint',
    int2: 'smallint',
    text: 'text',
    bool: 'boolean',
    float8: 'double precision',
    numeric: 'numeric',
  };
  return names[udt] ?? udt;
}

/** The same line for an entity's column, with TypeORM's own reading of its type. */
function describeEntityColumn(db: DataSource, c: ColumnMetadata): string {
  const type = db.driver.normalizeType(c);
  const length = c.length ? `(${c.length})` : '';
  return `${c.databaseName} ${type}${length}${c.isArray ? '[]' : ''} ${c.isNullable ? 'NULL' : 'NOT NULL'}`;
}

describe('entities and the migrated schema', () => {
  let test: TestApp;

  beforeAll(async () => {
    await runMigrations(testDatabaseUrl());
    test = await startTestApp();
  });
  afterAll(() => test?.close());

  it('registers the entities the repositories use', () => {
    expect(test.db.entityMetadatas.map((e) => e.tableName).sort()).toEqual(['api_key', 'dataset_version', 'import_job', 'listing_report']);
  });

  it('every registered entity has exactly its table’s columns, types and nullability', async () => {
    const disagreements: string[] = [];
    for (const entity of test.db.entityMetadatas) {
      const rows: TableColumn[] = await test.db.query(
        `SELECT column_name, data_type, udt_name, character_maximum_length, is_nullable
           FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = $1
          ORDER BY column_name`,
        [entity.tableName],
      );
      if (!rows.length) {
        disagreements.push(`${entity.name}: no table ${entity.tableName}`);
        continue;
      }
      const table = new Map(rows.map((r) => [r.column_name, describeTableColumn(r)]));
      const mapped = new Map(entity.columns.map((c) => [c.databaseName, describeEntityColumn(test.db, c)]));
      for (const [name, described] of mapped) {
        const actual = table.get(name);
        if (actual === undefined) disagreements.push(`${entity.name}: ${entity.tableName}.${name} does not exist (entity: ${described})`);
        else if (actual !== described) disagreements.push(`${entity.name}: entity says "${described}", table says "${actual}"`);
      }
      for (const [name, actual] of table) {
        if (!mapped.has(name)) disagreements.push(`${entity.name}: ${entity.tableName}.${name} is not mapped (table: ${actual})`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
