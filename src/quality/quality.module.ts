import { Module } from '@nestjs/common';
import { DataQualityService } from './data-quality.service';
import { DataQualityResolver, IssuerDataQualityFieldResolver, PlanDataQualityFieldResolver, ProvenanceResolver } from './data-quality.resolver';
import { ProvenanceService } from './provenance.service';

/** Provenance and freshness beside every answer, and per-issuer / per-plan data-quality figures. */
@Module({
  providers: [DataQualityService, ProvenanceService, DataQualityResolver, PlanDataQualityFieldResolver, IssuerDataQualityFieldResolver, ProvenanceResolver],
  exports: [DataQualityService, ProvenanceService],
})
export class QualityModule {}
