/**
 * Deterministic randomness. Everything the seed generator produces derives from these helpers,
 * never from Math.random or the clock, so the same arguments always give byte-identical files.
 */

/** mulberry32: tiny, fast 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Murmur3-style avalanche step: folds one 32-bit value into a running hash. */
function mix32(hash: number, value: number): number {
  let h = Math.imul(hash ^ value, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Stable hash of integers. Used to give every record its own PRNG stream, so records can be
 * generated independently (streaming, any order) and still be reproducible.
 */
export function hashInts(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) hash = mix32(hash, part | 0);
  return hash;
}

/** FNV-1a hash of a string (for mixing identifiers such as RxCUIs or plan ids into seeds). */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Convenience wrapper around one mulberry32 stream. */
export class Rng {
  private readonly nextFloat: () => number;

  constructor(seed: number) {
    this.nextFloat = mulberry32(seed);
  }

  next(): number {
    return this.nextFloat();
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1));
  }

  /** True with the given probability (0..1). */
  chance(probability: number): boolean {
    return this.nextFloat() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.nextFloat() * items.length)] as T;
  }

  /** Picks an item with probability proportional to weightOf(item). */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    let total = 0;
    for (const item of items) total += weightOf(item);
    let roll = this.nextFloat() * total;
    for (const item of items) {
      roll -= weightOf(item);
      if (roll < 0) return item;
    }
    return items[items.length - 1] as T;
  }
}

/** Deterministic per-key percentage roll (0..99) without allocating a PRNG. */
export function percentile(...parts: number[]): number {
  return hashInts(...parts) % 100;
}
