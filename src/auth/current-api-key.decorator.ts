import { createParamDecorator, ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import { ApiKeyPrincipal } from './api-key-principal';
import { requestOf } from './api-key.guard';

/** The key ApiKeyGuard authenticated; use only on handlers behind that guard. */
export const CurrentApiKey = createParamDecorator((_data: unknown, context: ExecutionContext): ApiKeyPrincipal => {
  const apiKey = requestOf(context).apiKey;
  if (!apiKey) throw new InternalServerErrorException('@CurrentApiKey() used on a handler without ApiKeyGuard');
  return apiKey;
});
