import { decodeCursor } from '../common/pagination';
import { userInputError } from './user-input-error';

/**
 * Decodes a keyset cursor that must be a tuple tagged with the ordering it was made for, so a cursor from
 * another ordering (or a hand-made one) is a clear error rather than a silently wrong page.
 */
export function decodeTaggedCursor<T extends unknown[]>(after: string | null | undefined, tag: string, arity: number): T | null {
  const decoded = decodeCursor<unknown>(after);
  if (decoded === null) return null;
  if (!Array.isArray(decoded) || decoded[0] !== tag || decoded.length !== arity + 1) {
    throw userInputError(`Invalid cursor for this query (ordered by ${tag}): pass an endCursor returned by the same query`, 'after');
  }
  return decoded.slice(1) as T;
}
