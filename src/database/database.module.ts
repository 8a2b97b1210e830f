import { DynamicModule, Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, DatabaseSettings } from './data-source-options';
import { Database } from './database';

/**
 * The root TypeORM DataSource and the one database handle over it (see Database), for every module.
 * Entities are not listed here: each feature module registers those its repositories use
 * (TypeOrmModule.forFeature), and autoLoadEntities collects them.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [TypeOrmModule.forRoot({ ...buildDataSourceOptions(settings), autoLoadEntities: true })],
      providers: [
        {
          provide: Database,
          useFactory: (dataSource: DataSource) =>
            new Database(dataSource, { statementTimeoutMs: settings.statementTimeoutMs, searchConcurrency: settings.searchConcurrency ?? undefined }),
          inject: [getDataSourceToken()],
        },
      ],
      exports: [Database],
    };
  }
}
