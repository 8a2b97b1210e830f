import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import { asStatementTimeoutError, isDatabaseUnavailableError } from '../database/database-errors';

/** The Marketplace API's application error codes (the subset this API can return). */
export enum MarketplaceErrorCode {
  INTERNAL = '1000',
  INVALID_INPUT = '1003',
  PLAN_NOT_FOUND = '1006',
  COVERAGE_UNAVAILABLE = '1012',
  PROVIDER_NOT_FOUND = '1013',
  DRUG_NOT_FOUND = '1014',
}

/** Seconds a client should wait before retrying while the database is unreachable (as GraphQL says). */
export const COVERAGE_RETRY_AFTER_SECONDS = 5;

/** The Marketplace error body: every value a string, as the federal API sends them. */
export interface MarketplaceErrorBody {
  code: string;
  status: string;
  message: string;
  error: string;
}

/** An error answered with the Marketplace body and code. */
export class MarketplaceError extends HttpException {
  constructor(
    readonly code: MarketplaceErrorCode | string,
    status: number,
    message: string,
    readonly detail: string,
  ) {
    super(message, status);
  }

  body(): MarketplaceErrorBody {
    return { code: this.code, status: String(this.getStatus()), message: this.message, error: this.detail };
  }
}

export const invalidInput = (endpoint: string, detail: string) =>
  new MarketplaceError(MarketplaceErrorCode.INVALID_INPUT, HttpStatus.BAD_REQUEST, `invalid ${endpoint} request`, detail);
export const planNotFound = (detail: string) => new MarketplaceError(MarketplaceErrorCode.PLAN_NOT_FOUND, HttpStatus.NOT_FOUND, 'Plan not found', detail);
export const providerNotFound = (detail: string) =>
  new MarketplaceError(MarketplaceErrorCode.PROVIDER_NOT_FOUND, HttpStatus.NOT_FOUND, 'provider not found', detail);
export const drugNotFound = (detail: string) => new MarketplaceError(MarketplaceErrorCode.DRUG_NOT_FOUND, HttpStatus.NOT_FOUND, 'drug not found', detail);

/**
 * Parameter names of the shared services (GraphQL's) as the Marketplace spells them, so a message
 * names the parameter the caller actually sent.
 */
const PARAMETER_NAMES: Array<[RegExp, string]> = [
  [/\bfilter\.zip\b/g, 'zipcode'],
  [/\bfilter\.name\b/g, 'q'],
  [/\bfilter\.specialty\b/g, 'specialty'],
  [/\bquery\b(?= needs)/g, 'q'],
];

function marketplaceWording(text: string): string {
  return PARAMETER_NAMES.reduce((result, [pattern, name]) => result.replace(pattern, name), text);
}

/** "providers/covered" from "/api/v1/providers/covered?..." (for the 1003 message, as the Marketplace words it). */
function endpointOf(url: string): string {
  const path = url
    .split('?')[0]
    .replace(/^\/api\/v1\/?/, '')
    .replace(/\/+$/, '');
  return path || 'api';
}

/**
 * Every error of the Marketplace routes as `{ code, status, message, error }`: invalid input (the shared
 * validation pipe's BAD_USER_INPUT, or a service's) is 1003 naming the parameter, the database being
 * unreachable is 1012 with Retry-After, rate limiting keeps 429 and Retry-After, anything else is 1000.
 */
@Catch()
export class MarketplaceExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('MarketplaceApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<{ originalUrl?: string; url: string }>();
    const endpoint = endpointOf(req.originalUrl ?? req.url);
    const error = this.toMarketplaceError(exception, endpoint);
    if (error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) res.setHeader('Retry-After', String(COVERAGE_RETRY_AFTER_SECONDS));
    res.setHeader('Cache-Control', 'no-store');
    res.status(error.getStatus()).json(error.body());
  }

  private toMarketplaceError(exception: unknown, endpoint: string): MarketplaceError {
    if (exception instanceof MarketplaceError) return exception;
    if (exception instanceof GraphQLError && exception.extensions?.code === 'BAD_USER_INPUT') {
      const fields = exception.extensions.fields as Array<{ message: string }> | undefined;
      const detail = fields?.length ? fields.map((f) => f.message).join('; ') : exception.message;
      return invalidInput(endpoint, marketplaceWording(detail));
    }
    if (exception instanceof ThrottlerException) {
      return new MarketplaceError('OVER_RATE_LIMIT', HttpStatus.TOO_MANY_REQUESTS, 'rate limit exceeded', exception.message);
    }
    if (exception instanceof BadRequestException) return invalidInput(endpoint, exception.message);
    if (isDatabaseUnavailableError(exception)) {
      return new MarketplaceError(
        MarketplaceErrorCode.COVERAGE_UNAVAILABLE,
        HttpStatus.SERVICE_UNAVAILABLE,
        'coverage data temporarily unavailable',
        'coverage database unavailable',
      );
    }
    const timeout = asStatementTimeoutError(exception);
    if (timeout) {
      return new MarketplaceError(MarketplaceErrorCode.COVERAGE_UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE, 'query took too long', timeout.message);
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return new MarketplaceError(String(exception.getStatus()), exception.getStatus(), exception.message, exception.message);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return new MarketplaceError(MarketplaceErrorCode.INTERNAL, HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error', 'unexpected error');
  }
}
