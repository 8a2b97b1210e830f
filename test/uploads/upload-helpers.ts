import { readdirSync } from 'node:fs';
import request from 'supertest';
import type { TestApp } from '../helpers/test-app';

export const FIXTURES = `${__dirname}/fixtures`;

export interface UploadPart {
  path: string;
  /** Name sent as the part's filename (default: the file's own name). */
  filename?: string;
  /** Form field name (default "files"). */
  field?: string;
}

/** POSTs files as multipart/form-data, as a carrier's script would. */
export function postUpload(server: unknown, issuerId: string, parts: UploadPart[], headers: Record<string, string> = {}) {
  let call = request(server as any)
    .post(`/ingest/uploads?issuerId=${issuerId}`)
    .set(headers);
  for (const part of parts) call = call.attach(part.field ?? 'files', part.path, part.filename ? { filename: part.filename } : undefined);
  return call;
}

export const IMPORT_JOB_FIELDS = `
  id issuerId status loadedBy error versionId createdAt startedAt finishedAt
  files { name kind bytes }
  progress { phase file recordsRead recordsRejected bytesRead bytesTotal percent }
  counts { name count }
  report { rejectedCount loaded { name count } rejectedByReason { name count } samples { reason file recordIndex path message } }`;

/** Polls `importJob` until the job has ended (or `until` holds), failing after `timeoutMs`. */
export async function waitForJob(
  t: TestApp,
  jobId: string,
  apiKey: string,
  until: (job: any) => boolean = (job) => !['QUEUED', 'RUNNING'].includes(job.status),
  timeoutMs = 60_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any = null;
  while (Date.now() < deadline) {
    const response = await t.gql(`query ($id: ID!) { importJob(id: $id) { ${IMPORT_JOB_FIELDS} } }`, { id: jobId }, { Authorization: `Bearer ${apiKey}` });
    if (response.errors) throw new Error(`importJob failed: ${JSON.stringify(response.errors)}`);
    last = response.data.importJob;
    if (last && until(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`import job ${jobId} did not reach the expected state in ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
}

/** Waits until `check` holds (cleanup happens asynchronously after a disconnect). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Everything left under a directory (files and folders), for "no spool left behind" checks. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}
