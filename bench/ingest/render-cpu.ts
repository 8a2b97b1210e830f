import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { JsonArraySplitter } from '../../src/ingest/read/json-array-reader';
import { FileMeter, meteredChunks, OFF_THREAD_HASH_MIN_BYTES } from '../../src/ingest/read/metered-file';
import { ProviderBatchRenderer } from '../../src/ingest/render/provider-batches';
import { PlanCatalog } from '../../src/ingest/validate/qhp-records';
import { validatePlan } from '../../src/ingest/validate/qhp-validator';
import { IssueSink, JsonRecordLocation, ReportCollector } from '../../src/ingest/validate/validation-report';
import { sharedZipCentroids } from '../../src/ingest/validate/zip-geocoder';
import { threadCpuSeconds } from '../lib/proc-cpu';

/**
 * CPU of the importer's own work on a providers.json, without PostgreSQL: what the importing thread does
 * to each read (SHA-256, splitting into records) and what a parse worker does to each batch (render),
 * timed apart in one thread, from process CPU time (steadier than wall time on a shared machine).
 * The files are those bench:ingest keeps with --data-dir:
 *
 *   npx ts-node --transpile-only bench/ingest/render-cpu.ts DIR [DIR2 ...]   # e.g. a sparse and a dense DIR
 *
 * Prints, per DIR, MB read and CPU seconds per step; with two DIRs or more, each one's total against the first's.
 * A file large enough to be hashed by a thread of its own (OFF_THREAD_HASH_MIN_BYTES) is then read again
 * through the importer's metered reader, for what hashing costs the importing thread (copying and handing
 * over each read) against the hashing thread's own CPU.
 */

const ISSUER_ID = '70001';
/** The importer's read size for worker batches (version-loader.ts). */
const CHUNK_BYTES = 256 * 1024;

interface Measured {
  megabytes: number;
  split: number;
  sha256: number;
  render: number;
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

function measure(dir: string): Measured {
  const catalog = new PlanCatalog();
  const issues = new IssueSink('plans.json', new ReportCollector());
  (JSON.parse(readFileSync(join(dir, 'plans.json'), 'utf8')) as unknown[]).forEach((raw, i) => {
    const plan = validatePlan(raw, new JsonRecordLocation(i), { issues, issuerId: ISSUER_ID, catalog });
    if (plan) catalog.add(plan);
  });
  const renderer = new ProviderBatchRenderer({ issuerId: ISSUER_ID, versionId: 1, plans: catalog.toData(), zipCentroids: sharedZipCentroids() });
  const splitter = new JsonArraySplitter('providers.json');
  const hash = createHash('sha256');
  const measured: Measured = { megabytes: 0, split: 0, sha256: 0, render: 0 };
  const fd = openSync(join(dir, 'providers.json'), 'r');
  try {
    for (;;) {
      // A fresh buffer per read, as a file stream gives them (a batch may take over its memory).
      const chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
      const bytes = readSync(fd, chunk, 0, chunk.length, null);
      if (!bytes) break;
      const read = bytes === chunk.length ? chunk : Buffer.from(chunk.subarray(0, bytes));
      measured.megabytes += bytes / 1024 / 1024;
      let at = cpuSeconds();
      hash.update(read);
      measured.sha256 += cpuSeconds() - at;
      at = cpuSeconds();
      const batch = splitter.split(read, true);
      measured.split += cpuSeconds() - at;
      if (!batch) continue;
      at = cpuSeconds();
      const rendered = renderer.render({ fileName: 'providers.json', batch, recordNoBase: 0 });
      measured.render += cpuSeconds() - at;
      if (Object.keys(rendered.report.rejectedByReason).length) throw new Error(`rejected records: ${JSON.stringify(rendered.report.rejectedByReason)}`);
    }
    splitter.end();
  } finally {
    closeSync(fd);
  }
  const total = measured.split + measured.sha256 + measured.render;
  console.log(
    `${dir}: ${measured.megabytes.toFixed(0)} MB, CPU ${total.toFixed(2)} s (split ${measured.split.toFixed(2)} s, SHA-256 ${measured.sha256.toFixed(2)} s, ` +
      `render ${measured.render.toFixed(2)} s): ${(measured.megabytes / total).toFixed(0)} MB per CPU second; ` +
      `${renderer.recordsFromBytes} of ${splitter.index} records from their bytes, plans arrays recognised by the renderer ${renderer.plansListsRecognised}, ` +
      `stepped over by the splitter ${splitter.arraysRecognised}`,
  );
  return measured;
}

/** Reads the file through a meter hashing off the thread: CPU of this thread, and of the whole process, in seconds. */
async function measureOffThreadHash(dir: string): Promise<void> {
  const path = join(dir, 'providers.json');
  const meter = new FileMeter({ offThread: true });
  const [thread, process] = [threadCpuSeconds(globalThis.process.pid), cpuSeconds()];
  for await (const chunk of meteredChunks(path, meter, { name: 'providers.json', chunkBytes: CHUNK_BYTES })) void chunk;
  await meter.sha256();
  const importing = threadCpuSeconds(globalThis.process.pid)! - thread!;
  const all = cpuSeconds() - process;
  console.log(
    `${dir}: read and hashed off the thread: importing thread ${importing.toFixed(2)} s of CPU (reading, copying, handing over), ` +
      `the process ${all.toFixed(2)} s (the hashing thread's included)`,
  );
}

const dirs = process.argv.slice(2);
if (!dirs.length) throw new Error('usage: render-cpu.ts DIR [DIR2 ...] (directories kept by bench:ingest --data-dir)');
const results = dirs.map(measure);
const totalOf = (m: Measured) => m.split + m.sha256 + m.render;
for (let i = 1; i < dirs.length; i++) console.log(`${dirs[i]} / ${dirs[0]}: ${(totalOf(results[i]) / totalOf(results[0])).toFixed(2)}x the CPU`);
void (async () => {
  for (let i = 0; i < dirs.length; i++) if (results[i].megabytes * 1024 * 1024 >= OFF_THREAD_HASH_MIN_BYTES) await measureOffThreadHash(dirs[i]);
})();
