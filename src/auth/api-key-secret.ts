import { createHash, randomBytes } from 'node:crypto';

/** Every key starts with this, so leaked keys are easy to recognise (and to scan for in repositories). */
export const API_KEY_PREFIX = 'cov_';
/** 32 random bytes: guessing is hopeless, so a plain SHA-256 (no salt, no slow hash) is enough to store. */
const API_KEY_RANDOM_BYTES = 32;
/** Characters kept in clear (after `cov_`) so people can tell their keys apart. */
const VISIBLE_CHARACTERS = 8;

export interface GeneratedApiKey {
  plainKey: string;
  keyPrefix: string;
  keyHash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const plainKey = API_KEY_PREFIX + randomBytes(API_KEY_RANDOM_BYTES).toString('base64url');
  return { plainKey, keyPrefix: visiblePrefixOf(plainKey), keyHash: hashApiKey(plainKey) };
}

export function hashApiKey(plainKey: string): string {
  return createHash('sha256').update(plainKey, 'utf8').digest('hex');
}

export function visiblePrefixOf(plainKey: string): string {
  return plainKey.slice(0, API_KEY_PREFIX.length + VISIBLE_CHARACTERS);
}
