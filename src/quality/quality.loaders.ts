import { GraphQLContext, loaderFor } from '../common/graphql-context';
import { DataQualityService, PlanVersionKey } from './data-quality.service';
import { IssuerDataQualityModel, PlanDataQualityModel } from './models/data-quality.model';
import { ProvenanceService, VersionSummary } from './provenance.service';

/** Per-request DataLoaders: every provenance / quality field of a response costs one query per kind. */
export function versionSummaryLoader(ctx: GraphQLContext, provenance: ProvenanceService) {
  return loaderFor<number, VersionSummary | null>(ctx, 'versionSummary', (ids) => provenance.findVersionSummaries(ids));
}

export function versionQualityLoader(ctx: GraphQLContext, quality: DataQualityService) {
  return loaderFor<number, IssuerDataQualityModel | null>(ctx, 'versionQuality', async (ids) => {
    const byVersion = await quality.forVersions(ids);
    return ids.map((id) => byVersion.get(id) ?? null);
  });
}

export function planQualityLoader(ctx: GraphQLContext, quality: DataQualityService) {
  return loaderFor<PlanVersionKey, PlanDataQualityModel | null>(
    ctx,
    'planQuality',
    (keys) => quality.forPlans(keys),
    (k) => `${k.versionId}:${k.planId}`,
  );
}
