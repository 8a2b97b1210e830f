import { Module } from '@nestjs/common';
import { FormularyModule } from '../formulary/formulary.module';
import { PlansModule } from '../plans/plans.module';
import { ChangeHistoryResolver } from './change-history.resolver';
import { ChangeHistoryService } from './change-history.service';
import { FormularyStatsResolver } from './formulary-stats.resolver';
import { FormularyStatsService } from './formulary-stats.service';
import { NetworkBreadthResolver } from './network-breadth.resolver';
import { NetworkBreadthService } from './network-breadth.service';

/** Journalists' and researchers' questions: network breadth, formulary statistics, change history. */
@Module({
  imports: [PlansModule, FormularyModule],
  providers: [NetworkBreadthService, NetworkBreadthResolver, FormularyStatsService, FormularyStatsResolver, ChangeHistoryService, ChangeHistoryResolver],
  exports: [NetworkBreadthService, FormularyStatsService, ChangeHistoryService],
})
export class ResearchModule {}
