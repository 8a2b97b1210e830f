import { ForbiddenException } from '@nestjs/common';
import type { Request } from 'express';

/** What a request knows about the key it was authenticated with: never the key itself nor its hash. */
export interface ApiKeyPrincipal {
  id: string;
  label: string;
  keyPrefix: string;
  issuerIds: string[];
  isAdmin: boolean;
  /** The plan-shopping site a read-partner key identifies; null for a carrier's key. */
  partner: string | null;
  /** Requests per rate-limit window for this key; null: the default (RATE_LIMIT_PER_API_KEY). */
  rateLimit: number | null;
}

/** A request that passed ApiKeyGuard. */
export interface RequestWithApiKey extends Request {
  apiKey?: ApiKeyPrincipal;
}

export function mayLoadIssuer(key: ApiKeyPrincipal, issuerId: string): boolean {
  return key.isAdmin || key.issuerIds.includes(issuerId);
}

/** Throws 403 naming what the key may load, so a carrier sees at once which key or issuer id is wrong. */
export function assertMayLoadIssuers(key: ApiKeyPrincipal, issuerIds: string[]): void {
  const refused = issuerIds.filter((issuerId) => !mayLoadIssuer(key, issuerId));
  if (refused.length) {
    const allowed = key.issuerIds.length ? `issuers ${key.issuerIds.join(', ')}` : 'no issuers';
    throw new ForbiddenException(`API key ${key.keyPrefix}… may load ${allowed}, not ${refused.join(', ')}`);
  }
}
