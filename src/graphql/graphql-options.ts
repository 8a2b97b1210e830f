import { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLFormattedError } from 'graphql';
import { createGraphQLContext } from '../common/graphql-context';
import { offlineExplorerPlugin } from '../explorer/explorer';

/** Errors a client can act on keep their message; anything unexpected is reported without internals. */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' && process.env.NODE_ENV === 'production') {
    return { message: 'Internal server error', extensions: { code }, path: formatted.path, locations: formatted.locations };
  }
  const { stacktrace, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  void stacktrace;
  return { ...formatted, extensions };
}

export function graphqlOptions(): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    context: createGraphQLContext,
    formatError,
    plugins: [offlineExplorerPlugin('/graphql')],
  };
}
