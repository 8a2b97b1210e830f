import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createValidationPipe } from './common/validation';
import { DatasetsModule } from './datasets/datasets.module';
import { buildDataSourceOptions, DatabaseSettings } from './database/data-source-options';
import { ExplorerController } from './explorer/explorer';
import { FormularyModule } from './formulary/formulary.module';
import { graphqlOptions } from './graphql/graphql-options';
import { HardeningModule, HardeningSettings, hardeningFromEnv } from './observability/hardening.module';
import { PlansModule } from './plans/plans.module';
import { ProvidersModule } from './providers/providers.module';
import { SearchModule } from './search/search.module';
import { ResearchModule } from './research/research.module';
import { ExportModule } from './export/export.module';
import { UploadsModule } from './uploads/uploads.module';
import { QualityModule } from './quality/quality.module';
import { ReportsModule } from './reports/reports.module';
import { FeedsModule } from './feeds/feeds.module';

export interface AppModuleOptions {
  database: DatabaseSettings;
  /** Logging, rate limits, query limits; from the environment when omitted. */
  hardening?: HardeningSettings;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const hardening = options.hardening ?? hardeningFromEnv();
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(buildDataSourceOptions(options.database)),
        GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, ...graphqlOptions(hardening.graphql) }),
        HardeningModule.forRoot(hardening),
        PlansModule,
        ProvidersModule,
        FormularyModule,
        SearchModule,
        ResearchModule,
        ExportModule,
        DatasetsModule,
        UploadsModule,
        QualityModule,
        ReportsModule,
        FeedsModule,
      ],
      controllers: [ExplorerController],
      providers: [{ provide: APP_PIPE, useFactory: createValidationPipe }],
    };
  }
}
