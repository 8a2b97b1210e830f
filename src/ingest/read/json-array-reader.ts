import { ImportError } from '../import-contract';
import { LoadFailure } from '../validate/reasons';
import { RecordLocation } from '../validate/validation-report';

/** Records of one file in file order; `firstIndex` is the array index of records[0]. */
export interface RecordBatch {
  records: unknown[];
  firstIndex: number;
  /** Where each record came from, when not simply its JSON array index (CSV rows). */
  locations?: RecordLocation[];
}

/** One record larger than this is refused, so a broken file (say an unclosed string) cannot fill memory. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const SPACE = 0x20,
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d;
const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c;
const OPEN_BRACE = 0x7b,
  CLOSE_BRACE = 0x7d,
  OPEN_BRACKET = 0x5b,
  CLOSE_BRACKET = 0x5d;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Arrays directly inside a record at least this long are remembered (the last few) by the splitter,
 * and an array whose bytes equal one of them is stepped over with one comparison (memcmp) instead of
 * being scanned: dense provider files repeat the same long "plans" array (every plan of each network
 * joined) on every record, where scanning its many short strings cost more than the rest of the record.
 * Shorter arrays are compared with nothing: too many are distinct for comparisons to pay off.
 */
export const LONG_ARRAY_BYTES = 1024;
/** Long arrays kept for comparison, most recently met first. */
const RECENT_LONG_ARRAYS = 8;

function isSpace(byte: number): boolean {
  return byte === SPACE || byte === LF || byte === CR || byte === TAB;
}

function showByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

function notAnArray(fileName: string, found: string, at: number): ImportError {
  return new ImportError(LoadFailure.NOT_AN_ARRAY, `${fileName}: expected a JSON array ('[') at the top level, found ${found} at byte ${at}`, fileName);
}

function notJson(fileName: string, detail: string): ImportError {
  return new ImportError(LoadFailure.NOT_JSON, `${fileName} is not JSON: ${detail}`, fileName);
}

const enum SplitState {
  BeforeArray,
  FirstValueOrEnd,
  Value,
  InContainer,
  InStringElement,
  InScalar,
  CommaOrEnd,
  AfterArray,
}

/**
 * Splits a top-level JSON array into its elements as the bytes stream in. Only the array level is
 * checked here (commas, brackets, strings); V8's JSON.parse checks the elements: the elements a chunk
 * completes are parsed by one JSON.parse call per 64 KB piece (re-parsed one by one only to locate an error).
 * Much cheaper than tokenizing in JavaScript, with the same flat memory.
 */
export class JsonArraySplitter {
  private state = SplitState.BeforeArray;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes of the element in progress, from earlier chunks. */
  private carried: Buffer[] = [];
  private carriedBytes = 0;
  /** Absolute offset where the element in progress (or the last one) starts. */
  private elementStart = 0;
  /** Absolute offset of the current chunk. */
  private offset = 0;
  /**
   * Position in the current chunk of its first backslash not yet passed (-1: not looked up yet in this
   * chunk). Kept across the chunk's elements: most files hold no backslash at all, and looking it up
   * again for each element scanned to the chunk's end each time, which made splitting quadratic in the chunk size.
   */
  private nextBackslash = -1;
  /** Elements completed so far (the index of the next one). */
  index = 0;
  /** Position in the current chunk of the '[' that opened the record's array in progress (-1: none in this chunk). */
  private arrayStart = -1;
  /** Long arrays met directly inside records (LONG_ARRAY_BYTES), most recently met first. */
  private readonly longArrays: Buffer[] = [];
  /** Arrays stepped over by comparison so far. */
  arraysRecognised = 0;

  constructor(private readonly fileName: string) {}

  /** The elements completed by `chunk`, parsed. */
  push(chunk: Buffer): unknown[] {
    const batch = this.split(chunk);
    return batch ? parseSplitBatch(batch, this.fileName) : [];
  }

  /**
   * The bytes of the elements completed by `chunk`, unparsed (null when none is), so that parsing can
   * happen elsewhere (a worker thread). With `transferable`, the bytes lie in an ArrayBuffer that can be
   * transferred to that thread: the chunk's own when the chunk spans an ArrayBuffer of its own (as file
   * reads and gunzip give them; it then belongs to the batch and must not be used once the batch is
   * transferred), else a copy. Copying every chunk cost the importing thread a pass over the file's bytes
   * and, through the external memory it allocated, more garbage collection.
   */
  split(chunk: Buffer, transferable = false): SplitBatch | null {
    const length = chunk.length;
    /** Absolute [start, end) offsets of the elements completed in this chunk. */
    const bounds: number[] = [];
    let batchStart = this.insideElement() ? 0 : -1;
    this.nextBackslash = -1;
    this.arrayStart = -1;
    let i = 0;
    while (i < length) {
      switch (this.state) {
        case SplitState.InContainer:
          i = this.scanContainer(chunk, i);
          if (this.depth === 0) this.complete(bounds, i);
          break;
        case SplitState.InStringElement: {
          const end = this.scanStringElement(chunk, i);
          i = end < 0 ? length : end;
          if (end >= 0) this.complete(bounds, end);
          break;
        }
        case SplitState.InScalar:
          while (i < length && !isSpace(chunk[i]) && chunk[i] !== COMMA && chunk[i] !== CLOSE_BRACKET) i++;
          if (i < length) this.complete(bounds, i);
          break;
        default: {
          const byte = chunk[i];
          const isBom = this.state === SplitState.BeforeArray && this.offset + i < 3 && byte === UTF8_BOM[this.offset + i];
          if (!isSpace(byte) && !isBom && this.structural(byte, this.offset + i) && batchStart < 0) batchStart = i;
          i++;
        }
      }
    }
    const batch = bounds.length ? this.completed(chunk, batchStart, bounds, transferable) : null;
    if (this.insideElement()) this.carry(chunk.subarray(Math.max(0, this.elementStart - this.offset)));
    this.offset += length;
    return batch;
  }

  /** The file ended: anything but a closed top-level array is an error. */
  end(): void {
    const at = this.offset;
    switch (this.state) {
      case SplitState.AfterArray:
        return;
      case SplitState.BeforeArray:
        throw notJson(this.fileName, at === 0 ? 'the file is empty' : 'the file holds only white space');
      case SplitState.InContainer:
      case SplitState.InStringElement:
      case SplitState.InScalar:
        throw new ImportError(
          LoadFailure.TRUNCATED_JSON,
          `${this.fileName} is truncated: it ends at byte ${at} inside record ${this.index} (which starts at byte ${this.elementStart})`,
          this.fileName,
        );
      default:
        throw new ImportError(
          LoadFailure.TRUNCATED_JSON,
          `${this.fileName} is truncated: it ends at byte ${at} after ${this.index} records, without the closing ']' of the array`,
          this.fileName,
        );
    }
  }

  private insideElement(): boolean {
    return this.state === SplitState.InContainer || this.state === SplitState.InStringElement || this.state === SplitState.InScalar;
  }

  private complete(bounds: number[], end: number): void {
    bounds.push(this.elementStart, this.offset + end);
    this.index++;
    this.state = SplitState.CommaOrEnd;
  }

  /**
   * The hot loop: inside an element only brackets and strings matter. Strings are skipped with
   * indexOf (native memchr) rather than byte by byte. Returns where scanning stopped.
   */
  private scanContainer(chunk: Buffer, from: number): number {
    const length = chunk.length;
    let i = from;
    let depth = this.depth;
    let inString = this.inString;
    if (this.escaped) {
      this.escaped = false;
      i++; // the byte escaped by a backslash that ended the previous chunk
    }
    let backslash = this.nextBackslash;
    while (i < length) {
      if (inString) {
        let quote = chunk.indexOf(QUOTE, i);
        if (quote < 0) quote = length;
        if (backslash < i) {
          backslash = chunk.indexOf(BACKSLASH, i);
          if (backslash < 0) backslash = length;
        }
        if (backslash < quote) {
          if (backslash + 1 >= length) this.escaped = true;
          i = backslash + 2;
        } else {
          i = quote + 1;
          inString = quote === length;
        }
        continue;
      }
      const byte = chunk[i++];
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACKET) {
        if (depth === 1) {
          const known = this.longArrays.length ? this.knownArrayEnd(chunk, i - 1) : -1;
          if (known >= 0) {
            i = known;
            continue;
          }
          this.arrayStart = i - 1;
        }
        depth++;
      } else if (byte === OPEN_BRACE) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (--depth === 0) break;
        if (depth === 1 && byte === CLOSE_BRACKET && this.arrayStart >= 0 && i - this.arrayStart >= LONG_ARRAY_BYTES) {
          this.rememberLongArray(chunk.subarray(this.arrayStart, i));
        }
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.nextBackslash = backslash;
    return Math.min(i, length);
  }

  /**
   * Where the array opened at chunk[start] ends when its bytes are those of a remembered long array,
   * else -1. Those bytes, scanned from this same state (depth 1, outside strings), ended at depth 1
   * outside strings, so scanning them again would end the same way.
   */
  private knownArrayEnd(chunk: Buffer, start: number): number {
    const arrays = this.longArrays;
    for (let k = 0; k < arrays.length; k++) {
      const known = arrays[k];
      const end = start + known.length;
      if (end > chunk.length || chunk[end - 1] !== CLOSE_BRACKET || chunk.compare(known, 0, known.length, start, end) !== 0) continue;
      for (let j = k; j > 0; j--) arrays[j] = arrays[j - 1];
      arrays[0] = known;
      this.arraysRecognised++;
      return end;
    }
    return -1;
  }

  private rememberLongArray(bytes: Buffer): void {
    if (this.longArrays.length === RECENT_LONG_ARRAYS) this.longArrays.pop();
    // Copied: the chunk is not ours to keep.
    this.longArrays.unshift(Buffer.from(bytes));
  }

  /** A string that is itself an array element: where it ends, or -1 when it goes on in the next chunk. */
  private scanStringElement(chunk: Buffer, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.escaped) this.escaped = false;
      else if (byte === BACKSLASH) this.escaped = true;
      else if (byte === QUOTE) return i + 1;
    }
    return -1;
  }

  /** A byte between elements; returns true when it starts an element. */
  private structural(byte: number, at: number): boolean {
    switch (this.state) {
      case SplitState.BeforeArray:
        if (byte === OPEN_BRACKET) {
          this.state = SplitState.FirstValueOrEnd;
          return false;
        }
        if (byte === OPEN_BRACE) throw notAnArray(this.fileName, "an object ('{')", at);
        throw notJson(this.fileName, `unexpected ${showByte(byte)} at byte ${at} (expected '[')`);
      case SplitState.FirstValueOrEnd:
      case SplitState.Value:
        if (byte === CLOSE_BRACKET && this.state === SplitState.FirstValueOrEnd) {
          this.state = SplitState.AfterArray;
          return false;
        }
        if (byte === CLOSE_BRACKET || byte === COMMA) throw this.invalid(`unexpected ${showByte(byte)} at byte ${at} (expected record ${this.index})`);
        this.elementStart = at;
        this.escaped = false;
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          this.state = SplitState.InContainer;
          this.depth = 1;
          this.inString = false;
        } else {
          this.state = byte === QUOTE ? SplitState.InStringElement : SplitState.InScalar;
        }
        return true;
      case SplitState.CommaOrEnd:
        if (byte === COMMA) this.state = SplitState.Value;
        else if (byte === CLOSE_BRACKET) this.state = SplitState.AfterArray;
        else throw this.invalid(`expected ',' or ']' after record ${this.index - 1} but found ${showByte(byte)} at byte ${at}`);
        return false;
      default:
        throw this.invalid(`unexpected ${showByte(byte)} at byte ${at} after the closing ']' of the array`);
    }
  }

  private carry(piece: Buffer): void {
    this.carriedBytes += piece.length;
    if (this.carriedBytes > MAX_RECORD_BYTES) {
      throw new ImportError(
        LoadFailure.RECORD_TOO_LARGE,
        `${this.fileName}: record ${this.index} (from byte ${this.elementStart}) exceeds ${MAX_RECORD_BYTES / 1024 / 1024} MB; is a string or bracket left open?`,
        this.fileName,
      );
    }
    // Copied: the read buffer is not ours to keep, and a slice would pin the whole chunk.
    this.carried.push(Buffer.from(piece));
  }

  /**
   * The bytes from the first to the last element completed in this chunk. The part of the first element
   * carried from earlier chunks, when there is one, is the batch's head: joining it to the chunk would
   * copy the whole chunk, for the sake of one element.
   */
  private completed(chunk: Buffer, batchStart: number, bounds: number[], transferable: boolean): SplitBatch {
    const end = bounds[bounds.length - 1] - this.offset;
    const view = chunk.subarray(this.carried.length ? 0 : batchStart, end);
    // Small Buffers share Node's pool (an 8 KB ArrayBuffer): those are copied before being transferred.
    const ownsItsMemory = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength;
    const bytes = transferable && !ownsItsMemory ? new Uint8Array(view) : view;
    const firstIndex = this.index - bounds.length / 2;
    if (!this.carried.length) return { bytes, bounds, firstIndex };
    // Memory of its own, never a pooled Buffer's: the batch may be sent to another thread.
    const head = new Uint8Array(this.carriedBytes);
    let at = 0;
    for (const piece of this.carried) {
      head.set(piece, at);
      at += piece.length;
    }
    this.carried = [];
    this.carriedBytes = 0;
    return { bytes, head, bounds, firstIndex };
  }

  private invalid(detail: string): ImportError {
    return invalidJson(this.fileName, detail);
  }
}

/** Consecutive complete elements of a top-level array, as split from the file but not yet parsed. */
export interface SplitBatch {
  /**
   * From the first byte of the first element to the last byte of the last one; when the first element
   * began in earlier reads, from where this read began (the rest of that element is in `head`).
   */
  bytes: Uint8Array;
  /** The first element's bytes before `bytes`, when it began in earlier reads (see batchRuns). */
  head?: Uint8Array;
  /** Absolute [start, end) file offsets of each element, flattened. */
  bounds: number[];
  /** Array index of the first element. */
  firstIndex: number;
}

function invalidJson(fileName: string, detail: string): ImportError {
  return new ImportError(LoadFailure.INVALID_JSON, `${fileName} is not valid JSON: ${detail}`, fileName);
}

/**
 * Bytes of consecutive elements parsed by one JSON.parse at most. V8 places strings of 128 KB or more in
 * its large-object space, and allocating one there costs about as much as decoding it: a 256 KB batch
 * parsed whole spent as long making its text and flattening `[` + text + `]` as parsing it.
 * Smaller pieces stay in the young generation.
 */
const PARSE_PIECE_BYTES = 64 * 1024;

/** Consecutive elements of a batch lying in one piece of memory. */
export interface BatchRun {
  bytes: Buffer;
  /** File offset of bytes[0]: element k is bytes[bounds[2k] - at, bounds[2k + 1] - at). */
  at: number;
  /** Batch position of its first element. */
  first: number;
  /** Position after its last element. */
  end: number;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The batch's elements as runs, each contiguous: one run, or, when the first element began in earlier
 * reads (`head`), that element on its own (its two parts joined: one element's copy) and then the rest.
 */
export function batchRuns(batch: SplitBatch): BatchRun[] {
  const { bounds, head } = batch;
  const bytes = asBuffer(batch.bytes);
  const count = bounds.length / 2;
  if (!head) return [{ bytes, at: bounds[0], first: 0, end: count }];
  const rest = bounds[1] - bounds[0] - head.length;
  const runs: BatchRun[] = [{ bytes: Buffer.concat([head, bytes.subarray(0, rest)]), at: bounds[0], first: 0, end: 1 }];
  if (count > 1) runs.push({ bytes, at: bounds[0] + head.length, first: 1, end: count });
  return runs;
}

/** The run holding element k. */
export function runOf(runs: BatchRun[], k: number): BatchRun {
  return k < runs[0].end ? runs[0] : runs[1];
}

/** Consecutive elements of a batch, parsed: `first` is the batch position of records[0]. */
export interface ParsedPiece {
  first: number;
  records: unknown[];
}

/**
 * Parses a batch a piece of consecutive elements at a time, one JSON.parse each: only commas and white
 * space separate the elements, so "[" + piece + "]" is valid exactly when each of its elements is.
 * A consumer that is done with a piece's records before taking the next keeps fewer objects alive, so
 * the young-generation collections have less to copy.
 */
export function* parseSplitBatchPieces(batch: SplitBatch, fileName: string): Generator<ParsedPiece> {
  const { bounds } = batch;
  const runs = batchRuns(batch);
  for (const { bytes, at, first: runFirst, end: runEnd } of runs) {
    for (let first = runFirst; first < runEnd;) {
      let end = first + 1;
      while (end < runEnd && bounds[2 * end + 1] - bounds[2 * first] <= PARSE_PIECE_BYTES) end++;
      let records: unknown;
      try {
        records = JSON.parse(`[${bytes.toString('utf8', bounds[2 * first] - at, bounds[2 * end - 1] - at)}]`);
      } catch {
        throw locateMalformed(runs, batch, fileName);
      }
      if (!Array.isArray(records) || records.length !== end - first) {
        const [from, to] = [batch.firstIndex + first, batch.firstIndex + end - 1];
        throw invalidJson(fileName, `records ${from} to ${to} do not parse as ${end - first} values`);
      }
      yield { first, records };
      first = end;
    }
  }
}

/** Every element of a batch, parsed (parseSplitBatchPieces, collected). */
export function parseSplitBatch(batch: SplitBatch, fileName: string): unknown[] {
  const all: unknown[] = [];
  for (const { records } of parseSplitBatchPieces(batch, fileName)) {
    for (let k = 0; k < records.length; k++) all.push(records[k]);
  }
  return all;
}

/** Element `k` of a batch (whose runs are `runs`), parsed on its own (a malformed one fails as parseSplitBatchPieces does). */
export function parseSplitElement(batch: SplitBatch, runs: BatchRun[], k: number, fileName: string): unknown {
  const { bytes, at } = runOf(runs, k);
  try {
    return JSON.parse(bytes.toString('utf8', batch.bounds[2 * k] - at, batch.bounds[2 * k + 1] - at));
  } catch {
    throw locateMalformed(runs, batch, fileName);
  }
}

/** Finds the first element of a failed batch that does not parse, for a precise message. */
function locateMalformed(runs: BatchRun[], { bounds, firstIndex }: SplitBatch, fileName: string): ImportError {
  const batchStart = bounds[0];
  const count = bounds.length / 2;
  for (let k = 0; k < count; k++) {
    const { bytes, at: runAt } = runOf(runs, k);
    const text = bytes.subarray(bounds[2 * k] - runAt, bounds[2 * k + 1] - runAt).toString('utf8');
    try {
      JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      const at = bounds[2 * k] + (position ? Buffer.byteLength(text.slice(0, Number(position[1]))) : 0);
      const reason = message.replace(/, ".*" is not valid JSON$/s, '').slice(0, 200);
      return invalidJson(fileName, `record ${firstIndex + k} (from byte ${bounds[2 * k]}) is malformed near byte ${at}: ${reason}`);
    }
  }
  return invalidJson(fileName, `records ${firstIndex} to ${firstIndex + count - 1} (from byte ${batchStart}) are malformed`);
}

/**
 * The elements of a file holding one top-level JSON array, in batches (split, then JSON.parse'd).
 * Whole-file problems (not JSON, not an array, truncated, malformed) end the iteration with an
 * ImportError naming the file and byte.
 */
export async function* readJsonArray(chunks: AsyncIterable<Buffer>, fileName: string): AsyncGenerator<RecordBatch> {
  const splitter = new JsonArraySplitter(fileName);
  for await (const chunk of chunks) {
    const firstIndex = splitter.index;
    const records = splitter.push(chunk);
    if (records.length) yield { records, firstIndex };
  }
  splitter.end();
}
