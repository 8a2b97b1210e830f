import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { ResearchModule } from '../research/research.module';
import { ExportController } from './export.controller';

/** REST bulk downloads (CSV and QHP JSON), streamed with COPY. */
@Module({
  imports: [PlansModule, ResearchModule],
  controllers: [ExportController],
})
export class ExportModule {}
