import { DynamicModule, Module } from '@nestjs/common';
import { RateLimitModule, RateLimitSettings } from '../common/rate-limit';
import { loadConfig } from '../config/app-config';
import type { QueryLimits } from '../graphql/query-limits';
import { HealthModule } from '../health/health.module';
import { LoggingModule, LoggingSettings } from './logging.module';

/** Production concerns applied to the whole API: JSON logs with request ids, rate limits, health probes. */
export interface HardeningSettings {
  logging: LoggingSettings;
  rateLimit: RateLimitSettings;
  graphql?: QueryLimits;
}

/** Settings from the environment, for callers of AppModule.forRoot that do not pass any. */
export function hardeningFromEnv(env: NodeJS.ProcessEnv = process.env): HardeningSettings {
  const config = loadConfig(env);
  return {
    logging: { level: config.logLevel, pretty: config.logPretty },
    rateLimit: { ...config.rateLimit, redisUrl: config.redisUrl },
    graphql: { maxDepth: config.graphqlMaxDepth, maxComplexity: config.graphqlMaxComplexity },
  };
}

@Module({})
export class HardeningModule {
  static forRoot(settings: HardeningSettings = hardeningFromEnv()): DynamicModule {
    return {
      module: HardeningModule,
      imports: [LoggingModule.forRoot(settings.logging), RateLimitModule.forRoot(settings.rateLimit), HealthModule],
    };
  }
}
