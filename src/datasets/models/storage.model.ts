import { Field, Float, ObjectType } from '@nestjs/graphql';

@ObjectType('TableStorage', { description: "One table's share of a dataset version: its rows and its bytes on disk" })
export class TableStorageModel {
  @Field({ description: 'Table name, e.g. provider, listing_network_set, network_set' })
  table: string;
  @Field(() => Float, {
    description: "Rows of the version in the table (exact for the plan tables; for the partitioned tables, PostgreSQL's count as of the load's index build)",
  })
  rows: number;
  @Field(() => Float, { description: "Bytes on disk: the version's partition with its indexes and TOAST (pg_total_relation_size), 0 for the plan tables" })
  bytes: number;
}

@ObjectType('VersionStorage', { description: 'What a dataset version takes: rows and bytes on disk, per table and in all' })
export class VersionStorageModel {
  @Field(() => Float, { description: 'Rows over every table of the version' })
  rows: number;
  @Field(() => Float, { description: "Bytes on disk of the version's own tables (partitions, indexes included)" })
  bytes: number;
  @Field(() => [TableStorageModel], { description: 'Per table' })
  tables: TableStorageModel[];
}

@ObjectType('DatabaseStorage', { description: 'The size of the whole database, to size retention against the disk' })
export class DatabaseStorageModel {
  @Field(() => Float, { description: 'pg_database_size of the current database, in bytes' })
  bytes: number;
  @Field(() => Float, { description: 'Bytes on disk of the dataset versions kept (every version table, indexes included)' })
  versionBytes: number;
}
