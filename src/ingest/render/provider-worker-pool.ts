import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { localCachePath, writeFileAtomically } from '../../common/local-cache';
import { ImportError } from '../import-contract';
import { ProviderBatchSetup, ProviderBatchTask, RenderedProviderBatch } from './provider-batches';

/** Provider files smaller than this are parsed in the importing thread: starting workers would cost more. */
export const WORKER_MIN_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Default number of worker threads: one per core but one, which the importing thread and PostgreSQL's
 * COPY backends share. On 2 cores one worker loads providers about as fast as two (bench:ingest
 * --workers 1,2 compares them) with less CPU and memory.
 */
export function defaultParseWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

type WorkerReply = { ready: true } | { ok: true; result: RenderedProviderBatch } | { ok: false; code?: string; message: string; file?: string };

interface Job {
  task: ProviderBatchTask;
  resolve: (result: RenderedProviderBatch) => void;
  reject: (error: Error) => void;
}

let bundledEntry: string | null = null;

/**
 * The worker's script. Compiled (dist/), the JavaScript file next to this one. Run from TypeScript
 * (ts-node, ts-jest), the worker's modules are bundled by esbuild into one script (node_modules
 * stay external) written under node_modules/.cache: loading ts-node and the TypeScript compiler in
 * every worker would cost each of them seconds of CPU and a large share of its memory.
 */
function workerEntry(): string {
  if (extname(__filename) !== '.ts') return join(__dirname, 'provider-worker.js');
  if (bundledEntry) return bundledEntry;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const built = buildSync({
    entryPoints: [join(__dirname, 'provider-worker.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
  }).outputFiles[0].contents;
  const path = localCachePath(`provider-worker-${createHash('sha256').update(built).digest('hex').slice(0, 16)}.js`);
  if (!existsSync(path)) writeFileAtomically(path, built);
  return (bundledEntry = path);
}

/**
 * The process's Node flags minus preloaded TypeScript hooks (`-r ts-node/register`, as the benchmarks and
 * `node -r` runs use): the worker script is JavaScript, and a worker inheriting the hook would still load
 * ts-node and the TypeScript compiler, raising the import's peak memory for nothing.
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if ((flag === '-r' || flag === '--require') && /ts-node|tsconfig-paths/.test(execArgv[i + 1] ?? '')) i++;
    else if (!/^(-r|--require)=.*(ts-node|tsconfig-paths)/.test(flag)) kept.push(flag);
  }
  return kept;
}

function spawn(setup: ProviderBatchSetup): Worker {
  const options = {
    workerData: setup,
    // A larger young generation: the batch's parsed records die young, so fewer scavenges.
    resourceLimits: { maxYoungGenerationSizeMb: 48 },
  };
  const execArgv = workerExecArgv();
  if (execArgv.length !== process.execArgv.length) {
    try {
      return new Worker(workerEntry(), { ...options, execArgv });
    } catch (error) {
      // Given explicitly, V8 flags (--max-semi-space-size...) are refused; inherited, they are not.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    }
  }
  return new Worker(workerEntry(), options);
}

/**
 * Worker threads that parse, validate and render provider batches (ProviderBatchRenderer): the
 * importing thread only reads, splits and COPYs, so a load uses every core. Each worker takes the
 * next queued batch when it is done with one; results come back through the promise of run().
 */
export class ProviderWorkerPool {
  private readonly workers: Worker[] = [];
  /** Workers done starting (loading their modules takes a second or two under ts-node). */
  private readonly ready = new Set<Worker>();
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private failure: Error | null = null;

  constructor(size: number, setup: ProviderBatchSetup) {
    for (let i = 0; i < size; i++) {
      const worker = spawn(setup);
      worker.on('message', (reply: WorkerReply) => this.settle(worker, reply));
      worker.on('error', (error) => this.fail(new Error(`a parse worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0 || this.busy.has(worker)) this.fail(new Error(`a parse worker exited (code ${code})`));
      });
      this.workers.push(worker);
    }
  }

  /** Whether some worker has started: until then the caller had better render batches itself. */
  get started(): boolean {
    return this.ready.size > 0;
  }

  run(task: ProviderBatchTask): Promise<RenderedProviderBatch> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const worker of this.workers) {
      if (!this.queue.length) return;
      if (this.busy.has(worker) || !this.ready.has(worker)) continue;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      // The batch's bytes are the reader's own copy: moved to the worker, not copied again.
      worker.postMessage(job.task, [job.task.batch.bytes.buffer as ArrayBuffer]);
    }
  }

  private settle(worker: Worker, reply: WorkerReply): void {
    if ('ready' in reply) {
      this.ready.add(worker);
      return this.dispatch();
    }
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    if (job) {
      if (reply.ok) job.resolve(reply.result);
      else job.reject(reply.code ? new ImportError(reply.code, reply.message, reply.file) : new Error(reply.message));
    }
    this.dispatch();
  }

  /** A crashed worker fails every batch not yet rendered: the load fails, nothing is published. */
  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const job of [...this.busy.values(), ...this.queue]) job.reject(error);
    this.busy.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the parse workers were stopped');
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
