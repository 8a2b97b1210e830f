import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Database } from './database';

/** Provides the one database handle (see Database) over the root TypeORM DataSource, to every module. */
@Global()
@Module({
  providers: [{ provide: Database, useFactory: (dataSource: DataSource) => new Database(dataSource), inject: [getDataSourceToken()] }],
  exports: [Database],
})
export class DatabaseModule {}
