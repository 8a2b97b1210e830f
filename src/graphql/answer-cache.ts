import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';

/** Told of every lookup and eviction (for metrics). */
export interface AnswerCacheEvents {
  hit?(): void;
  miss?(): void;
  evicted?(): void;
}

interface CachedAnswer {
  result: FormattedExecutionResult;
  /** Length of the serialized answer: what the byte bound counts. */
  bytes: number;
}

/**
 * Answers of cacheable GraphQL queries kept in this process, keyed exactly like their ETag (the schema,
 * the question and the published versions it reads): a publish changes the key of every answer it
 * affects, so an answer from a replaced version is never found again and ages out of the LRU. Bounded by
 * the bytes of the serialized answers; the least recently used answers are evicted first.
 */
export class AnswerCache {
  private readonly answers: LRUCache<string, CachedAnswer>;

  constructor(
    readonly maxBytes: number,
    private readonly events: AnswerCacheEvents = {},
  ) {
    this.answers = new LRUCache<string, CachedAnswer>({
      maxSize: maxBytes,
      sizeCalculation: (answer) => Math.max(1, answer.bytes),
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
    return answer?.result;
  }

  /** Keeps an answer (one larger than the whole bound is not kept). */
  set(key: string, result: FormattedExecutionResult): void {
    const bytes = Buffer.byteLength(JSON.stringify(result));
    if (bytes > this.maxBytes) return;
    this.answers.set(key, { result, bytes });
  }

  /** Bytes of the answers kept. */
  get bytes(): number {
    return this.answers.calculatedSize;
  }

  get entries(): number {
    return this.answers.size;
  }
}
