import { GraphQLError } from 'graphql';

/** An error the caller can fix, reported as BAD_USER_INPUT naming the argument (never a 500). */
export function userInputError(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

export function isUserInputError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.extensions?.code === 'BAD_USER_INPUT';
}
