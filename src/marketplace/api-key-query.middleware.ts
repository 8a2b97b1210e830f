import type { NextFunction, Request, Response } from 'express';
import { presentedApiKey } from '../common/rate-limit';

/**
 * The Marketplace API takes its key as `?apikey=`. Presented as the `X-API-Key` header, it is counted by
 * the same per-key rate limit as a GraphQL client's key; a key sent as a header wins.
 */
export function apiKeyFromQuery(req: Request, _res: Response, next: NextFunction): void {
  const value = req.query?.apikey;
  const key = Array.isArray(value) ? value[0] : value;
  if (typeof key === 'string' && key.trim() && !presentedApiKey(req.headers)) {
    req.headers['x-api-key'] = key.trim();
  }
  next();
}
