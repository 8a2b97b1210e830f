/**
 * Writes a demo QHP publication per issuer:
 *   <outDir>/<issuerId>/cms-data-index.json   (relative URLs to the files below)
 *   <outDir>/<issuerId>/plans.json
 *   <outDir>/<issuerId>/providers-1.json, providers-2.json, ...  (streamed)
 *   <outDir>/<issuerId>/drugs.json
 *
 * Provider files are written through a write stream with backpressure, never holding a whole
 * directory in memory, so a million providers fit in a small, flat heap.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { generateDemoData, generateProviders, type DemoIssuer } from './generator';
import type { QhpIndex } from './lib/qhp-types';

export interface WriteQhpFilesOptions {
  /** Total providers across all issuers. */
  providers: number;
  seed?: number;
  year?: number;
  /** Maximum records per providers-N.json file (default 100,000). */
  providersPerFile?: number;
}

const DEFAULT_PROVIDERS_PER_FILE = 100_000;
/** Records are batched into chunks of about this many characters before hitting the stream. */
const CHUNK_CHARS = 1 << 18;

/** Small writer that batches strings and honours backpressure. */
class ChunkedJsonArrayWriter {
  private buffer = '';
  private count = 0;

  private constructor(private readonly stream: WriteStream) {}

  static open(path: string): ChunkedJsonArrayWriter {
    const writer = new ChunkedJsonArrayWriter(createWriteStream(path, { encoding: 'utf8' }));
    writer.buffer = '[\n';
    return writer;
  }

  get records(): number {
    return this.count;
  }

  async append(value: unknown): Promise<void> {
    // One record per line keeps multi-gigabyte files greppable and friendly to line-based tools.
    this.buffer += (this.count === 0 ? '' : ',\n') + JSON.stringify(value);
    this.count++;
    if (this.buffer.length >= CHUNK_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.buffer += this.count === 0 ? ']\n' : '\n]\n';
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** Removes provider files left by an earlier, bigger run so the directory matches its index. */
async function removeStaleProviderFiles(issuerDir: string): Promise<void> {
  for (const entry of await readdir(issuerDir)) {
    if (/^providers-\d+\.json$/.test(entry)) await unlink(join(issuerDir, entry));
  }
}

/** Streams the issuer's directory into as many providers-N.json files as needed; returns their names. */
async function writeProviderFiles(issuer: DemoIssuer, issuerDir: string, perFile: number): Promise<string[]> {
  const fileNames: string[] = [];
  let writer: ChunkedJsonArrayWriter | undefined;
  for (const provider of generateProviders(issuer)) {
    if (!writer || writer.records >= perFile) {
      if (writer) await writer.close();
      const fileName = `providers-${fileNames.length + 1}.json`;
      fileNames.push(fileName);
      writer = ChunkedJsonArrayWriter.open(join(issuerDir, fileName));
    }
    await writer.append(provider);
  }
  if (!writer) {
    // An issuer always publishes at least one provider file, even an empty one.
    fileNames.push('providers-1.json');
    writer = ChunkedJsonArrayWriter.open(join(issuerDir, 'providers-1.json'));
  }
  await writer.close();
  return fileNames;
}

export interface WrittenIssuer {
  issuerId: string;
  issuerName: string;
  /** Absolute or outDir-relative path of the issuer's cms-data-index.json. */
  indexPath: string;
}

export async function writeQhpFiles(outDir: string, opts: WriteQhpFilesOptions): Promise<WrittenIssuer[]> {
  const perFile = opts.providersPerFile ?? DEFAULT_PROVIDERS_PER_FILE;
  if (!Number.isInteger(perFile) || perFile < 1) throw new Error(`providersPerFile must be a positive integer, got ${perFile}`);
  const dataset = generateDemoData({ providers: opts.providers, seed: opts.seed, year: opts.year });

  const written: WrittenIssuer[] = [];
  for (const issuer of dataset.issuers) {
    const issuerDir = join(outDir, issuer.issuerId);
    await mkdir(issuerDir, { recursive: true });
    await removeStaleProviderFiles(issuerDir);

    await writeJson(join(issuerDir, 'plans.json'), issuer.plans);
    await writeJson(join(issuerDir, 'drugs.json'), issuer.drugs);
    const providerFiles = await writeProviderFiles(issuer, issuerDir, perFile);

    const index: QhpIndex = { plan_urls: ['plans.json'], provider_urls: providerFiles, formulary_urls: ['drugs.json'] };
    const indexPath = join(issuerDir, 'cms-data-index.json');
    await writeJson(indexPath, index);
    written.push({ issuerId: issuer.issuerId, issuerName: issuer.name, indexPath });
  }
  return written;
}
