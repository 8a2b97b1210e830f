import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { MarketplaceModule } from './marketplace.module';

export const MARKETPLACE_OPENAPI_PATH = '/api/v1/openapi.json';
export const MARKETPLACE_DOCS_PATH = '/api/v1/docs';

/** The OpenAPI 3 description of the Marketplace-compatible API, generated from its controllers and DTOs. */
export function buildMarketplaceOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Coverage transparency API: Marketplace API v1 coverage endpoints')
    .setDescription(
      "The coverage subset of HealthCare.gov's Marketplace API v1 (providers/covered, drugs/covered, the autocompletes and " +
        "searches, coverage/stats, plans/{planid}), same paths, parameters and JSON, answered from the issuers' published " +
        'QHP files, for any exchange whose carriers are loaded. A client written for the federal API switches by changing ' +
        'its base URL. With `details=true` each answer adds a `details` object (tier, prior authorization, step therapy, ' +
        'quantity limit, cost sharing in plain language, network tiers, provenance); the Marketplace fields never change. ' +
        'List parameters are comma-separated or repeated. Errors are `{ code, status, message, error }` with the ' +
        'Marketplace codes: 1003 invalid input, 1006 plan not found, 1013 provider not found, 1014 drug not found, ' +
        '1012 coverage data temporarily unavailable. The same answers are available through GraphQL at /graphql.',
    )
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'query', name: 'apikey', description: 'Optional: counted against the per-key rate limit' }, 'apikey')
    .build();
  return SwaggerModule.createDocument(app, config, { include: [MarketplaceModule] });
}

/**
 * Serves the OpenAPI document at /api/v1/openapi.json and Swagger UI at /api/v1/docs, from
 * swagger-ui-dist in node_modules (no CDN). Call after the security headers are applied.
 */
export function setupMarketplaceDocs(app: INestApplication): void {
  SwaggerModule.setup(MARKETPLACE_DOCS_PATH, app, () => buildMarketplaceOpenApi(app), {
    jsonDocumentUrl: MARKETPLACE_OPENAPI_PATH,
    raw: ['json'],
    customSiteTitle: 'Marketplace API v1 (coverage) — Coverage transparency API',
  });
}
