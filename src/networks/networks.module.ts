import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { SearchModule } from '../search/search.module';
import { NetworksResolver, PlanNetworksResolver } from './networks.resolver';
import { NetworksService } from './networks.service';

/** Provider networks (PDex Plan-Net sense): which plans share one, their providers and size. */
@Module({
  imports: [PlansModule, SearchModule],
  providers: [NetworksService, NetworksResolver, PlanNetworksResolver],
  exports: [NetworksService],
})
export class NetworksModule {}
