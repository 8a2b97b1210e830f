import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/app-config';

export const UPLOADS_CONFIG = Symbol('UPLOADS_CONFIG');

export interface UploadsConfig {
  /** Largest file accepted in an upload (UPLOAD_MAX_FILE_BYTES, default 5 GiB). */
  maxFileBytes: number;
  /** Most files in one upload (an issuer may split providers into many files). */
  maxFilesPerUpload: number;
  /** Where uploads are spooled before the import reads them (UPLOAD_TMP_DIR). */
  tempRoot: string;
  /** Imports run at once per instance; more wait QUEUED (IMPORT_MAX_CONCURRENT_JOBS). */
  maxConcurrentJobs: number;
  /** How often a running instance proves its jobs are alive. */
  heartbeatMs: number;
  /** A queued/running job whose heartbeat is older than this belongs to a dead process. */
  staleAfterMs: number;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(`${name}=${raw} is invalid: expected a whole number above 0`);
  return value;
}

/** Read when the module starts, so tests (and operators) configure uploads through the environment. */
export function loadUploadsConfig(env: NodeJS.ProcessEnv = process.env): UploadsConfig {
  const heartbeatMs = positiveInteger(env, 'IMPORT_JOB_HEARTBEAT_MS', 10_000);
  return {
    maxFileBytes: positiveInteger(env, 'UPLOAD_MAX_FILE_BYTES', 5 * 1024 ** 3),
    maxFilesPerUpload: positiveInteger(env, 'UPLOAD_MAX_FILES', 500),
    tempRoot: env.UPLOAD_TMP_DIR || join(tmpdir(), 'coverage-uploads'),
    maxConcurrentJobs: positiveInteger(env, 'IMPORT_MAX_CONCURRENT_JOBS', 2),
    heartbeatMs,
    staleAfterMs: positiveInteger(env, 'IMPORT_JOB_STALE_AFTER_MS', Math.max(6 * heartbeatMs, 60_000)),
  };
}
