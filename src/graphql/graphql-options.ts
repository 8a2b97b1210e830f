import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLFormattedError } from 'graphql';
import { createGraphQLContext } from '../common/graphql-context';
import { asStatementTimeoutError, DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailableError } from '../database/database-errors';
import { offlineExplorerPlugin } from '../explorer/explorer';
import { nulCharacterPlugin } from './text-arguments';
import { describeRootTypes } from './schema-document';
import { complexityLimitPlugin, DEFAULT_MAX_COMPLEXITY, DEFAULT_MAX_DEPTH, depthLimitRule, QueryLimits } from './query-limits';

/** Seconds a client should wait before retrying while the database is unreachable. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Errors a client can act on keep their message; anything unexpected is reported without internals
 * (in production, its message too).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, production: boolean): GraphQLFormattedError {
  if (error !== undefined && isDatabaseUnavailableError(unwrapResolverError(error))) {
    return {
      message: DATABASE_UNAVAILABLE_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    };
  }
  const timeout = error !== undefined ? asStatementTimeoutError(unwrapResolverError(error)) : undefined;
  if (timeout) {
    return { message: timeout.message, locations: formatted.locations, path: formatted.path, extensions: { code: timeout.code, timeoutMs: timeout.timeoutMs } };
  }
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' && production) {
    return { message: 'Internal server error', extensions: { code }, path: formatted.path, locations: formatted.locations };
  }
  const { stacktrace, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  void stacktrace;
  return { ...formatted, extensions };
}

/**
 * HTTP status for responses whose errors say "come back later": 429 when rate limited, 503 when the
 * database is unreachable, both with Retry-After. Other execution errors keep 200 (GraphQL over HTTP).
 */
export function retryableStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors ?? [];
          const retryable = errors.find((e) => e.extensions?.code === 'RATE_LIMITED') ?? errors.find((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE');
          if (!retryable) return;
          response.http.status = retryable.extensions!.code === 'RATE_LIMITED' ? 429 : 503;
          const retryAfter = retryable.extensions!.retryAfterSeconds;
          if (typeof retryAfter === 'number') response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}

/**
 * `Cache-Control: no-store` on every GraphQL response: what Apollo's default cache-control plugin sends
 * when no field has a cache hint (none in this schema has). That plugin is disabled because it wraps every
 * field resolver of every request to compute those hints; add it back if a field ever gets @cacheControl.
 */
export function noStorePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}

/**
 * `production` (NODE_ENV=production) hides the message of unexpected errors. `caching` replaces
 * `no-store` with ETags and Cache-Control on public reads over GET (see answer-caching.ts).
 */
export function graphqlOptions(limits: QueryLimits = {}, production = false, caching?: ApolloServerPlugin): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    transformSchema: describeRootTypes,
    playground: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    context: createGraphQLContext,
    formatError: (formatted, error) => formatError(formatted, error, production),
    // Statuses are set by retryableStatusPlugin (Nest's plugin would reset every execution error to 200).
    preserveHttpStatusForExecutionErrors: false,
    validationRules: [depthLimitRule(limits.maxDepth ?? DEFAULT_MAX_DEPTH)],
    plugins: [
      offlineExplorerPlugin('/graphql'),
      nulCharacterPlugin(),
      complexityLimitPlugin(limits.maxComplexity ?? DEFAULT_MAX_COMPLEXITY, limits),
      retryableStatusPlugin(),
      ApolloServerPluginCacheControlDisabled(),
      caching ?? noStorePlugin(),
    ],
  };
}
