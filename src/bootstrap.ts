import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';

/** Builds the Nest application (without listening), shared by `npm start`, tests and benchmarks. */
export async function createApp(config: Pick<AppConfig, 'dbPoolSize'>, databaseUrl: string, options: { logger?: false | Logger } = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot({ database: { url: databaseUrl, poolSize: config.dbPoolSize } }), {
    logger: options.logger === false ? false : undefined,
    bodyParser: true,
  });
  return app;
}
