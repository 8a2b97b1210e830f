import { DynamicModule, Module } from '@nestjs/common';
import { RateLimitModule, RateLimitSettings } from '../common/rate-limit';
import type { AppConfig } from '../config/app-config';
import type { QueryLimits } from '../graphql/query-limits';
import { HealthModule } from '../health/health.module';
import { LoggingModule, LoggingSettings } from './logging.module';

/** Production concerns applied to the whole API: JSON logs with request ids, rate limits, health probes. */
export interface HardeningSettings {
  logging: LoggingSettings;
  rateLimit: RateLimitSettings;
  graphql?: QueryLimits;
}

/** The hardening part of the application's settings. */
export function hardeningSettings(config: AppConfig): HardeningSettings {
  return {
    logging: { level: config.logLevel, pretty: config.logPretty },
    rateLimit: { ...config.rateLimit, redisUrl: config.redisUrl },
    graphql: {
      maxDepth: config.graphqlMaxDepth,
      maxComplexity: config.graphqlMaxComplexity,
      maxAliases: config.graphqlMaxAliases,
      maxRootFields: config.graphqlMaxRootFields,
    },
  };
}

@Module({})
export class HardeningModule {
  static forRoot(settings: HardeningSettings): DynamicModule {
    return {
      module: HardeningModule,
      imports: [LoggingModule.forRoot(settings.logging), RateLimitModule.forRoot(settings.rateLimit), HealthModule],
    };
  }
}
