import { ValidationError, ValidationPipe } from '@nestjs/common';
import { GraphQLError } from 'graphql';

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Invalid arguments become one GraphQL error naming each field, with code BAD_USER_INPUT (never a 500). */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return new GraphQLError(`Invalid input: ${problems.map((p) => p.message).join('; ')}`, {
        extensions: { code: 'BAD_USER_INPUT', fields: problems },
      });
    },
  });
}
