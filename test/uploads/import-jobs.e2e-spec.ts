import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { ImportError, ImportRequest, ImportResult } from '../../src/ingest/import-contract';
import { QHP_IMPORT_RUNNER, QhpImportRunner } from '../../src/uploads/qhp-import-runner';
import { startTestApp, testDatabaseUrl, TestApp } from '../helpers/test-app';
import { eventually, FIXTURES, IMPORT_JOB_FIELDS, leftovers, postUpload, waitForJob } from './upload-helpers';

/**
 * The job machinery around the importer (the durable queue, progress, failure, shutdown, dead processes),
 * driven by a stand-in importer whose timing the test controls; the instance started after a shutdown runs
 * the real importer, on the same database and spool directory. The load itself is covered by uploads.e2e-spec.ts.
 */
class ScriptedImporter {
  readonly requests: ImportRequest[] = [];
  next: (request: ImportRequest) => Promise<ImportResult> = () => Promise.reject(new Error('no scripted behaviour'));

  import(request: ImportRequest): Promise<ImportResult> {
    this.requests.push(request);
    return this.next(request);
  }
}

/** Reports half the bytes read, then waits until the load is aborted, as a long import would. */
function hangUntilAborted(request: ImportRequest): Promise<ImportResult> {
  request.onProgress?.({ phase: 'copying', file: 'providers.json', recordsRead: 40, recordsRejected: 1, bytesRead: 500, bytesTotal: 1000 });
  return new Promise((_resolve, reject) => {
    request.signal!.addEventListener('abort', () => reject(new ImportError('ABORTED', 'the import was aborted')));
  });
}

const ISSUER = '63636';
/**
 * The issuer of the loads that really run: the upload fixtures (issuer 77777, whose versions
 * uploads.e2e-spec.ts counts on the same test database) rewritten to an issuer of this file's own.
 */
const FIXTURE_ISSUER = '64646';

/**
 * The upload fixtures (v1, v2) under `dir`, with their issuer id replaced by `issuerId` and their NPIs by
 * NPIs of this file's own (a doctor listed by any issuer changes other tests' "listed in no directory").
 */
function fixturesOf(issuerId: string, dir: string): string {
  const ownNpi = (npi: string) => withNpiCheckDigit(`1${issuerId}${npi.slice(7)}`);
  for (const version of ['v1', 'v2']) {
    mkdirSync(join(dir, version), { recursive: true });
    for (const name of readdirSync(join(FIXTURES, version))) {
      const text = readFileSync(join(FIXTURES, version, name), 'utf8')
        .replaceAll('77777', issuerId)
        .replace(/"npi": "(\d{10})"/g, (_match, npi: string) => `"npi": "${ownNpi(npi)}"`);
      writeFileSync(join(dir, version, name), text);
    }
  }
  return dir;
}
const STALE_MS = 60_000;

describe('import jobs on the durable queue', () => {
  const tempRoot = mkdtempSync(join(tmpdir(), 'coverage-jobs-test-'));
  const staleSpool = join(tempRoot, 'left-by-a-dead-process');
  const fixtures = fixturesOf(FIXTURE_ISSUER, mkdtempSync(join(tmpdir(), 'coverage-jobs-fixtures-')));
  const importer = new ScriptedImporter();
  let t: TestApp | null = null;
  let plainKey: string;
  let fixtureKey: string;
  let staleJobId: string;

  const query = async (sql: string, params: unknown[] = []) => {
    const check = new DataSource({ type: 'postgres', url: testDatabaseUrl() });
    await check.initialize();
    try {
      return await check.query(sql, params);
    } finally {
      await check.destroy();
    }
  };
  const jobRow = async (id: string) =>
    (await query(`SELECT status, error, reason, version_id AS "versionId", temp_dir AS "tempDir", progress FROM import_job WHERE id = $1`, [id]))[0];
  const queueState = async (id: string) => (await query(`SELECT state, retry_count AS "retryCount" FROM pgboss.job WHERE id = $1`, [id]))[0];
  const upload = (issuerId = ISSUER, key = plainKey) =>
    postUpload(t!.app.getHttpServer(), issuerId, [{ path: `${fixtures}/v1/plans.json` }, { path: `${fixtures}/v1/providers.json` }], { 'X-API-Key': key });
  /** An instance on the test database and spool directory; with `scripted`, its imports follow `importer`. */
  const startInstance = async (scripted: boolean) => {
    const app = await startTestApp();
    // The app's own runner, re-pointed at the script (its start-up clean-up has already run for real).
    if (scripted) app.app.get<QhpImportRunner>(QHP_IMPORT_RUNNER).import = (req) => importer.import(req);
    return app;
  };
  const stopInstance = async () => {
    await t!.close();
    t = null;
  };

  beforeAll(async () => {
    process.env.UPLOAD_TMP_DIR = tempRoot;
    process.env.IMPORT_JOB_STALE_AFTER_MS = String(STALE_MS);

    // A job whose process died an hour ago, with its spool still on disk, and no job on the queue any more.
    mkdirSync(staleSpool);
    writeFileSync(join(staleSpool, 'plans.json'), '[]');
    [{ id: staleJobId }] = await query(
      `INSERT INTO import_job (id, issuer_id, status, loaded_by, temp_dir, heartbeat_at, started_at)
       VALUES (gen_random_uuid(), $1, 'running', 'dead process', $2, now() - interval '1 hour', now() - interval '1 hour') RETURNING id`,
      [ISSUER, staleSpool],
    );

    t = await startInstance(true);
    ({ plainKey } = await t.app.get(ApiKeysService).create({ label: 'Scripted carrier', issuerIds: [ISSUER] }));
    ({ plainKey: fixtureKey } = await t.app.get(ApiKeysService).create({ label: 'Lone Star uploads', issuerIds: [FIXTURE_ISSUER] }));
  });

  afterAll(async () => {
    if (t) await t.close();
    rmSync(tempRoot, { recursive: true, force: true });
    rmSync(fixtures, { recursive: true, force: true });
    delete process.env.UPLOAD_TMP_DIR;
    delete process.env.IMPORT_JOB_STALE_AFTER_MS;
  });

  it('marks a job left running by a dead process, and gone from the queue, failed at start and removes its spool', async () => {
    const job = await jobRow(staleJobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/server running this job stopped before it finished, and the job is no longer on the queue; upload the files again/);
    expect(job.tempDir).toBeNull();
    expect(existsSync(staleSpool)).toBe(false);
  });

  it('hands the spooled files to the importer with the key scope and records an import error as FAILED, not retried', async () => {
    importer.next = async () => {
      throw new ImportError('NOT_JSON', 'plans.json is not JSON: unexpected token at byte 3', 'plans.json');
    };
    const response = await upload().expect(202);
    await eventually(async () => !['queued', 'running'].includes((await jobRow(response.body.jobId)).status));

    const job = await jobRow(response.body.jobId);
    expect(job).toMatchObject({ status: 'failed', error: 'plans.json is not JSON: unexpected token at byte 3', reason: 'NOT_JSON', tempDir: null });
    const sent = importer.requests.at(-1)!;
    expect(sent).toMatchObject({ issuerId: ISSUER, source: 'upload', loadedBy: 'Scripted carrier', allowedIssuerIds: [ISSUER], maxFileBytes: 5 * 1024 ** 3 });
    expect(sent.files!.map((f) => [f.name, f.kind])).toEqual([
      ['plans.json', 'plans'],
      ['providers.json', 'providers'],
    ]);
    expect(leftovers(tempRoot)).toEqual([]);
    await eventually(async () => (await queueState(response.body.jobId))?.state === 'completed');
  });

  it('reports UNCHANGED with the version that already holds the same files', async () => {
    await t!.db.query(`INSERT INTO issuer (issuer_id, name) VALUES ($1, 'Scripted Health') ON CONFLICT DO NOTHING`, [ISSUER]);
    const [{ id: versionId }] = await t!.db.query(`INSERT INTO dataset_version (issuer_id, status) VALUES ($1, 'published') RETURNING id`, [ISSUER]);
    importer.next = async (req) => ({
      versionId,
      issuerId: req.issuerId,
      status: 'unchanged',
      unchanged: true,
      counts: { plans: 2 },
      durationMs: 5,
      report: { loaded: { plans: 2 }, rejected: {}, rejectedByReason: {}, samples: {}, warnings: [] },
    });
    const { body } = await upload().expect(202);
    await eventually(async () => (await jobRow(body.jobId)).status === 'unchanged');
    expect((await jobRow(body.jobId)).versionId).toBe(versionId);
  });

  let resumedJobId: string;
  let lostSpoolJobId: string;

  it('shows progress while running; a shutdown aborts the imports and puts them back in the queue, spool kept', async () => {
    importer.next = hangUntilAborted;
    resumedJobId = (await upload(FIXTURE_ISSUER, fixtureKey).expect(202)).body.jobId;
    lostSpoolJobId = (await upload(FIXTURE_ISSUER, fixtureKey).expect(202)).body.jobId;
    await eventually(async () => (await jobRow(resumedJobId)).progress?.bytesRead === 500 && (await jobRow(lostSpoolJobId)).progress?.bytesRead === 500);

    const status = await t!.gql(
      `query ($id: ID!) { importJob(id: $id) { ${IMPORT_JOB_FIELDS} } }`,
      { id: resumedJobId },
      { Authorization: `Bearer ${fixtureKey}` },
    );
    expect(status.data.importJob).toMatchObject({
      status: 'RUNNING',
      progress: { phase: 'copying', file: 'providers.json', recordsRead: 40, recordsRejected: 1, bytesRead: 500, bytesTotal: 1000, percent: 50 },
    });

    await stopInstance();
    expect(importer.requests.slice(-2).every((request) => request.signal!.aborted)).toBe(true);
    for (const id of [resumedJobId, lostSpoolJobId]) {
      expect(await jobRow(id)).toMatchObject({ status: 'queued', error: null, progress: null });
      expect(await queueState(id)).toEqual({ state: 'retry', retryCount: 0 });
      expect(existsSync((await jobRow(id)).tempDir)).toBe(true);
    }
  });

  it('another instance on the same database and spool directory completes the import: importJob answers SUCCEEDED with the version', async () => {
    // As if the second job's spool directory were not shared with the instance that takes it.
    rmSync(join((await jobRow(lostSpoolJobId)).tempDir, 'plans.json'));
    const requestsBefore = importer.requests.length;

    t = await startInstance(false);
    const resumed = await waitForJob(t, resumedJobId, fixtureKey);
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', error: null, progress: { phase: 'done' } });
    expect(resumed.versionId).toEqual(expect.any(Number));
    const [version] = await t.db.query(`SELECT issuer_id AS "issuerId", status FROM dataset_version WHERE id = $1`, [resumed.versionId]);
    expect(version).toEqual({ issuerId: FIXTURE_ISSUER, status: 'published' });
    const plan = await t.gql(`{ plan(planId: "${FIXTURE_ISSUER}TX0010001") { planId marketingName } }`);
    expect(plan.data.plan).toEqual({ planId: `${FIXTURE_ISSUER}TX0010001`, marketingName: 'Lone Star Gold 1000' });

    const lost = await waitForJob(t, lostSpoolJobId, fixtureKey);
    expect(lost.status).toBe('FAILED');
    expect(lost.error).toMatch(
      /^the uploaded file plans\.json is not in the spool directory .+: UPLOAD_TMP_DIR must be one directory shared by every instance; upload the files again$/,
    );

    expect(importer.requests.length).toBe(requestsBefore); // the new instance ran the real importer
    for (const id of [resumedJobId, lostSpoolJobId]) expect(await queueState(id)).toMatchObject({ state: 'completed' });
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('an import interrupted on its last attempt ends FAILED saying the retries are exhausted, and its spool is removed', async () => {
    t!.app.get<QhpImportRunner>(QHP_IMPORT_RUNNER).import = (req) => importer.import(req);
    importer.next = hangUntilAborted;
    const { body } = await upload().expect(202);
    await eventually(async () => (await jobRow(body.jobId)).progress?.bytesRead === 500);
    // As if the queue's earlier attempts had all been spent.
    await query(`UPDATE pgboss.job SET retry_limit = 0 WHERE id = $1`, [body.jobId]);
    expect(leftovers(tempRoot).length).toBeGreaterThan(0);

    await stopInstance();
    expect(await jobRow(body.jobId)).toMatchObject({
      status: 'failed',
      error: 'interrupted by shutdown on attempt 1 of 1: no retries left; upload the files again',
      reason: 'RETRIES_EXHAUSTED',
      tempDir: null,
    });
    expect(await queueState(body.jobId)).toMatchObject({ state: 'failed' });
    expect(leftovers(tempRoot)).toEqual([]);
  });
  it('an import whose instance died (no shutdown) is put back in the queue by the next instance, which completes it', async () => {
    // What a killed instance leaves: the job active on the queue, the row running with a stale heartbeat, the spool on disk.
    const spool = join(tempRoot, `${FIXTURE_ISSUER}-crashed`);
    mkdirSync(spool);
    for (const name of ['plans.json', 'providers-1.json']) copyFileSync(join(fixtures, 'v2', name), join(spool, name));
    const data = {
      spool: `${FIXTURE_ISSUER}-crashed`,
      files: [
        { name: 'plans.json', kind: 'plans' },
        { name: 'providers-1.json', kind: 'providers' },
      ],
      loadedBy: 'Lone Star uploads',
      allowedIssuerIds: [FIXTURE_ISSUER],
    };
    const [{ id }] = await query(
      `INSERT INTO import_job (id, issuer_id, status, loaded_by, temp_dir, heartbeat_at, started_at)
       VALUES (gen_random_uuid(), $1, 'running', 'Lone Star uploads', $2, now() - interval '1 hour', now() - interval '1 hour') RETURNING id`,
      [FIXTURE_ISSUER, spool],
    );
    await query(
      `INSERT INTO pgboss.job (id, name, data, state, retry_limit, retry_delay, started_on, created_on, expire_in)
       VALUES ($1, 'import-upload', $2, 'active', 3, 0, now() - interval '1 hour', now() - interval '1 hour', interval '12 hours')`,
      [id, JSON.stringify(data)],
    );

    t = await startInstance(false);
    const job = await waitForJob(t, id, fixtureKey);
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null });
    const [version] = await t.db.query(`SELECT status, source FROM dataset_version WHERE id = $1`, [job.versionId]);
    expect(version).toEqual({ status: 'published', source: 'upload' });
    expect(await queueState(id)).toEqual({ state: 'completed', retryCount: 1 });
    expect(existsSync(spool)).toBe(false);
  });
});
