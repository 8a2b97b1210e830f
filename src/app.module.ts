import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { DatasetsModule } from './datasets/datasets.module';
import { DatabaseSettings } from './database/data-source-options';
import { DatabaseModule } from './database/database.module';
import { Database } from './database/database';
import { answerCachingPlugin, PublishedFingerprint } from './graphql/answer-caching';
import { AnonymousIpLimit } from './common/rate-limit';
import { AnswerFastPath } from './graphql/answer-fast-path';
import { AnswerFastPathModule } from './graphql/answer-fast-path.module';
import { graphqlMetricsPlugin, Metrics, MetricsModule } from './observability/metrics';
import { ExplorerController } from './explorer/explorer';
import { FormularyModule } from './formulary/formulary.module';
import { graphqlOptions } from './graphql/graphql-options';
import { HardeningModule, HardeningSettings, hardeningSettings } from './observability/hardening.module';
import { PlansModule } from './plans/plans.module';
import { ProvidersModule } from './providers/providers.module';
import { SearchModule } from './search/search.module';
import { ResearchModule } from './research/research.module';
import { ExportModule } from './export/export.module';
import { UploadsModule } from './uploads/uploads.module';
import { QualityModule } from './quality/quality.module';
import { ReportsModule } from './reports/reports.module';
import { MarketplaceModule } from './marketplace/marketplace.module';
import { FeedsModule } from './feeds/feeds.module';
import { PlanFinderModule } from './plan-finder/plan-finder.module';
import { WebModule } from './web/web.module';
import { NetworksModule } from './networks/networks.module';

export interface AppModuleOptions {
  database: DatabaseSettings;
  /** The validated settings (loadConfig, with createApp's overrides), served to every module by ConfigService. */
  config: AppConfig;
  /** Logging, rate limits, query limits; from `config` when omitted. */
  hardening?: HardeningSettings;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const hardening = options.hardening ?? hardeningSettings(options.config);
    return {
      module: AppModule,
      imports: [
        // The settings were validated once by loadConfig; ConfigService serves them and nothing else.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, ignoreEnvVars: true, skipProcessEnv: true, load: [() => options.config] }),
        DatabaseModule.forRoot(options.database),
        MetricsModule,
        AnswerFastPathModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [Database, Metrics, AnswerFastPath, AnonymousIpLimit],
          useFactory: (db: Database, metrics: Metrics, fastPath: AnswerFastPath, limit: AnonymousIpLimit) => {
            const graphql = graphqlOptions(
              hardening.graphql,
              options.config.production,
              answerCachingPlugin(new PublishedFingerprint(db), options.config.httpCache, {}, fastPath.answers, fastPath, limit),
            );
            return { ...graphql, plugins: [...(graphql.plugins ?? []), graphqlMetricsPlugin(metrics)] };
          },
        }),
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
        MarketplaceModule,
        FeedsModule,
        PlanFinderModule,
        WebModule,
        NetworksModule,
      ],
      controllers: [ExplorerController],
      providers: [{ provide: APP_PIPE, useFactory: createValidationPipe }],
    };
  }
}
