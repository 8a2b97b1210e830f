import { Module } from '@nestjs/common';
import { PlansResolver } from './plans.resolver';
import { PlansService } from './plans.service';
import { PublishedVersions } from './published-versions';

@Module({
  providers: [PlansService, PlansResolver, PublishedVersions],
  exports: [PlansService, PublishedVersions],
})
export class PlansModule {}
