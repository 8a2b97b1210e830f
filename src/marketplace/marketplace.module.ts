import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { DatasetsModule } from '../datasets/datasets.module';
import { FormularyModule } from '../formulary/formulary.module';
import { PlansModule } from '../plans/plans.module';
import { PricingModule } from '../pricing/pricing.module';
import { ProvidersModule } from '../providers/providers.module';
import { SearchModule } from '../search/search.module';
import { apiKeyFromQuery } from './api-key-query.middleware';
import { MarketplaceController } from './marketplace.controller';
import { MarketplaceService } from './marketplace.service';

/** The Marketplace-compatible REST API under /api/v1 (see marketplace.controller.ts). */
@Module({
  imports: [ProvidersModule, FormularyModule, SearchModule, PlansModule, PricingModule, DatasetsModule],
  controllers: [MarketplaceController],
  providers: [MarketplaceService],
})
export class MarketplaceModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(apiKeyFromQuery).forRoutes(MarketplaceController);
  }
}
