import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlContextType } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { StatementTimeoutError } from '../database/database-errors';

/** Codes of errors the client caused and can fix: worth a warning, never a stack trace. */
export const CLIENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'QUERY_TIMEOUT',
]);

/** Apollo's codes for the HTTP exceptions guards and pipes throw. */
const HTTP_CODES: Record<number, string> = { 400: 'BAD_USER_INPUT', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 429: 'RATE_LIMITED' };

/** The code and message of an error the client caused, or null for anything else. */
export function clientMistake(exception: unknown): { code: string; message: string } | null {
  if (exception instanceof StatementTimeoutError) return { code: exception.code, message: exception.message };
  if (exception instanceof GraphQLError) {
    const code = exception.extensions?.code;
    return typeof code === 'string' && CLIENT_ERROR_CODES.has(code) ? { code, message: exception.message } : null;
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    return { code: HTTP_CODES[exception.getStatus()] ?? `HTTP_${exception.getStatus()}`, message: exception.message };
  }
  return null;
}

/**
 * Logs what goes wrong in GraphQL resolvers the way a person reads it: a client's mistake (bad input, no or
 * the wrong API key) is one warning with its code and message; anything else stays an error with its
 * stack. Nest's default would log every one of them as an error with a stack trace. The exception itself
 * is handed back unchanged, so the response is what it was; HTTP routes keep Nest's default handling.
 */
@Catch()
export class GraphQLErrorLogFilter extends BaseExceptionFilter {
  constructor(@InjectPinoLogger('GraphQL') private readonly logger: PinoLogger) {
    super();
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<GqlContextType>() !== 'graphql') return super.catch(exception, host);
    const mistake = clientMistake(exception);
    if (mistake) this.logger.warn({ code: mistake.code }, `${mistake.code}: ${mistake.message}`);
    else this.logger.error(exception instanceof Error ? { err: exception } : { exception: String(exception) }, 'GraphQL resolver failed');
    return exception;
  }
}
