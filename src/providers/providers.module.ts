import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { NetworkService } from './network.service';
import { ProviderListingsRepository } from './provider-listings.repository';
import { ProviderListingResolver, ProviderPlanNetworkResolver, ProvidersResolver } from './providers.resolver';

@Module({
  imports: [PlansModule],
  providers: [NetworkService, ProviderListingsRepository, ProvidersResolver, ProviderPlanNetworkResolver, ProviderListingResolver],
  exports: [NetworkService, ProviderListingsRepository],
})
export class ProvidersModule {}
