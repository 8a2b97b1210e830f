import { pipeline, Readable } from 'node:stream';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { ImportError } from '../../src/ingest/import-contract';
import { RecordBatch } from '../../src/ingest/read/json-array-reader';
import { LoadFailure } from '../../src/ingest/validate/reasons';

/**
 * A second, independent reader of a top-level JSON array (the stream-json tokenizer and StreamArray),
 * for tests only: the importer's splitter must read every file as this does, records and failure codes
 * alike. Its messages are its own; only the codes are compared.
 */

/** stream-json yields records one by one; they are handed on in batches of this many. */
const BATCH = 512;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Checks the first significant byte (stream-json's own messages do not say where or what). */
async function* leadingArrayCheck(chunks: AsyncIterable<Buffer>, fileName: string): AsyncGenerator<Buffer> {
  let checked = false;
  let offset = 0;
  for await (const chunk of chunks) {
    if (!checked) {
      for (let i = 0; i < chunk.length && !checked; i++) {
        const byte = chunk[i];
        if (isSpace(byte) || (offset + i < 3 && byte === UTF8_BOM[offset + i])) continue;
        if (byte === 0x7b) throw new ImportError(LoadFailure.NOT_AN_ARRAY, `${fileName}: an object at byte ${offset + i}`, fileName);
        if (byte !== 0x5b) throw new ImportError(LoadFailure.NOT_JSON, `${fileName} is not JSON (byte ${offset + i})`, fileName);
        checked = true;
      }
      offset += chunk.length;
    }
    yield chunk;
  }
  if (!checked) throw new ImportError(LoadFailure.NOT_JSON, `${fileName} is not JSON: ${offset === 0 ? 'the file is empty' : 'only white space'}`, fileName);
}

function streamJsonError(error: Error, fileName: string, bytesRead: number, records: number): Error {
  if (error instanceof ImportError || error.name === 'AbortError') return error;
  if (/^Parser has expected/.test(error.message)) {
    return new ImportError(
      LoadFailure.TRUNCATED_JSON,
      `${fileName} is truncated: it ends at byte ${bytesRead} after ${records} complete records (${error.message})`,
      fileName,
    );
  }
  return new ImportError(
    LoadFailure.INVALID_JSON,
    `${fileName} is not valid JSON: ${error.message} in record ${records}, at or before byte ${bytesRead}`,
    fileName,
  );
}

/** The elements of the array in `chunks`, in batches; whole-file problems end the iteration with an ImportError. */
export async function* streamJsonBatches(chunks: AsyncIterable<Buffer>, fileName: string, bytesRead: () => number): AsyncGenerator<RecordBatch> {
  const records = pipeline(
    Readable.from(leadingArrayCheck(chunks, fileName)),
    parser({ packValues: true, streamValues: false }),
    streamArray(),
    () => undefined, // errors surface through the iteration below
  );
  let batch: unknown[] = [];
  let firstIndex = 0;
  try {
    for await (const { key, value } of records as AsyncIterable<{ key: number; value: unknown }>) {
      if (!batch.length) firstIndex = key;
      batch.push(value);
      if (batch.length === BATCH) {
        yield { records: batch, firstIndex };
        batch = [];
      }
    }
  } catch (error) {
    throw streamJsonError(error as Error, fileName, bytesRead(), firstIndex + batch.length);
  } finally {
    records.destroy();
  }
  if (batch.length) yield { records: batch, firstIndex };
}
