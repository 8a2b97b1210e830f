import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createValidationPipe } from './common/validation';
import { buildDataSourceOptions, DatabaseSettings } from './database/data-source-options';
import { ExplorerController } from './explorer/explorer';
import { FormularyModule } from './formulary/formulary.module';
import { graphqlOptions } from './graphql/graphql-options';
import { PlansModule } from './plans/plans.module';
import { ProvidersModule } from './providers/providers.module';

export interface AppModuleOptions {
  database: DatabaseSettings;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(buildDataSourceOptions(options.database)),
        GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, ...graphqlOptions() }),
        PlansModule,
        ProvidersModule,
        FormularyModule,
      ],
      controllers: [ExplorerController],
      providers: [{ provide: APP_PIPE, useFactory: createValidationPipe }],
    };
  }
}
