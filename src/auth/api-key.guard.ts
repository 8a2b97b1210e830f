import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import type { IncomingHttpHeaders } from 'node:http';
import type { Response } from 'express';
import { RequestWithApiKey } from './api-key-principal';
import { ApiKeysService } from './api-keys.service';

export const API_KEY_REQUIRED_MESSAGE = 'API key required: send Authorization: Bearer <key>';
export const API_KEY_INVALID_MESSAGE = 'API key not recognized or revoked: ask for a new key';

/** The key from `Authorization: Bearer <key>` or `X-API-Key: <key>`, or null when neither is sent. */
export function apiKeyFromHeaders(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization?.trim();
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? match[1] : null;
  }
  const header = headers['x-api-key'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value || null;
}

/** The HTTP request behind a REST call or a GraphQL operation. */
export function requestOf(context: ExecutionContext): RequestWithApiKey {
  if (context.getType<GqlContextType>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithApiKey }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithApiKey>();
}

/**
 * Authenticates carriers by API key on REST controllers and GraphQL resolvers alike, and attaches
 * the key (without its secret) to the request for @CurrentApiKey(). Issuer scope is checked where
 * the issuer is known (the upload's issuerId, the job's issuer), not here.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = requestOf(context);
    const plainKey = apiKeyFromHeaders(request.headers);
    if (!plainKey) this.refuse(context, API_KEY_REQUIRED_MESSAGE);
    const apiKey = await this.apiKeys.verify(plainKey);
    if (!apiKey) this.refuse(context, API_KEY_INVALID_MESSAGE);
    request.apiKey = apiKey;
    return true;
  }

  private refuse(context: ExecutionContext, message: string): never {
    if (context.getType() === 'http') {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
    }
    throw new UnauthorizedException(message);
  }
}
