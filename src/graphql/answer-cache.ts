import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Told of every lookup and eviction (for metrics). */
export interface AnswerCacheEvents {
  hit?(): void;
  miss?(): void;
  evicted?(): void;
}

/** A successful answer as Apollo serializes a single result (errors, data, extensions; no errors here). */
export function serializedAnswer(result: FormattedExecutionResult): Buffer {
  return Buffer.from(JSON.stringify({ data: result.data, extensions: result.extensions }) + '\n');
}

/**
 * Answers of cacheable GraphQL queries kept in this process, keyed exactly like their ETag (the schema,
 * the question and the published versions it reads): a publish changes the key of every answer it
 * affects, so an answer from a replaced version is never found again and ages out of the LRU. Bounded by
 * the bytes of the serialized answers; the least recently used answers are evicted first. Kept once, as
 * the bytes sent: the answer fast path sends them as they are, the normal path reads them back.
 */
export class AnswerCache {
  private readonly answers: LRUCache<string, Buffer>;

  constructor(
    readonly maxBytes: number,
    private readonly events: AnswerCacheEvents = {},
  ) {
    this.answers = new LRUCache<string, Buffer>({
      maxSize: maxBytes,
      sizeCalculation: (answer) => Math.max(1, answer.length),
      dispose: (_answer, _key, reason) => {
        if (reason === 'evict') this.events.evicted?.();
      },
    });
  }

  /** The answer kept under `key`, counted as a hit or a miss. */
  get(key: string): FormattedExecutionResult | undefined {
    const answer = this.answers.get(key);
    if (answer) this.events.hit?.();
    else this.events.miss?.();
    return answer && (JSON.parse(answer.toString()) as FormattedExecutionResult);
  }

  /** The serialized answer kept under `key` (not counted: the caller counts what it answers). */
  serialized(key: string): Buffer | undefined {
    return this.answers.get(key);
  }

  /** Keeps an answer (one larger than the whole bound is not kept). */
  set(key: string, result: FormattedExecutionResult): void {
    const body = serializedAnswer(result);
    if (body.length > this.maxBytes) return;
    this.answers.set(key, body);
  }

  /** Bytes of the answers kept. */
  get bytes(): number {
    return this.answers.calculatedSize;
  }

  get entries(): number {
    return this.answers.size;
  }
}
