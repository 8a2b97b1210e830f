import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { ImportError, ImportRequest, ImportResult } from '../../src/ingest/import-contract';
import { QHP_IMPORT_RUNNER, QhpImportRunner } from '../../src/uploads/qhp-import-runner';
import { startTestApp, testDatabaseUrl, TestApp } from '../helpers/test-app';
import { eventually, FIXTURES, IMPORT_JOB_FIELDS, leftovers, postUpload } from './upload-helpers';

/**
 * The job machinery around the importer (queueing, progress, failure, shutdown, dead processes),
 * driven by a stand-in importer whose timing the test controls. The real load is covered by
 * uploads.e2e-spec.ts.
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
const STALE_MS = 60_000;

describe('import jobs (scripted importer)', () => {
  const tempRoot = mkdtempSync(join(tmpdir(), 'coverage-jobs-test-'));
  const staleSpool = join(tempRoot, 'left-by-a-dead-process');
  const importer = new ScriptedImporter();
  let t: TestApp;
  let db: DataSource;
  let plainKey: string;
  let staleJobId: string;
  let closed = false;

  const jobRow = async (id: string) =>
    (await db.query(`SELECT status, error, version_id AS "versionId", temp_dir AS "tempDir", progress FROM import_job WHERE id = $1`, [id]))[0];
  const upload = () =>
    postUpload(t.app.getHttpServer(), ISSUER, [{ path: `${FIXTURES}/v1/plans.json` }, { path: `${FIXTURES}/v1/providers.json` }], { 'X-API-Key': plainKey });

  beforeAll(async () => {
    process.env.UPLOAD_TMP_DIR = tempRoot;
    process.env.IMPORT_JOB_STALE_AFTER_MS = String(STALE_MS);

    // A job whose process died an hour ago, with its spool still on disk.
    const setup = new DataSource({ type: 'postgres', url: testDatabaseUrl() });
    await setup.initialize();
    mkdirSync(staleSpool);
    writeFileSync(join(staleSpool, 'plans.json'), '[]');
    [{ id: staleJobId }] = await setup.query(
      `INSERT INTO import_job (id, issuer_id, status, loaded_by, temp_dir, heartbeat_at, started_at)
       VALUES (gen_random_uuid(), $1, 'running', 'dead process', $2, now() - interval '1 hour', now() - interval '1 hour') RETURNING id`,
      [ISSUER, staleSpool],
    );
    await setup.destroy();

    t = await startTestApp();
    db = t.db;
    // The app's own runner, re-pointed at the script (its start-up clean-up has already run for real).
    const runner = t.app.get<QhpImportRunner>(QHP_IMPORT_RUNNER);
    runner.import = (req) => importer.import(req);
    ({ plainKey } = await t.app.get(ApiKeysService).create({ label: 'Scripted carrier', issuerIds: [ISSUER] }));
  });

  afterAll(async () => {
    if (!closed) await t.close();
    rmSync(tempRoot, { recursive: true, force: true });
    delete process.env.UPLOAD_TMP_DIR;
    delete process.env.IMPORT_JOB_STALE_AFTER_MS;
  });

  it('marks jobs left running by a dead process failed at start and removes their spool', async () => {
    const job = await jobRow(staleJobId);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/server running this job stopped/);
    expect(job.tempDir).toBeNull();
    expect(existsSync(staleSpool)).toBe(false);
  });

  it('hands the spooled files to the importer with the key scope and records an import error as FAILED', async () => {
    importer.next = async () => {
      throw new ImportError('NOT_JSON', 'plans.json is not JSON: unexpected token at byte 3', 'plans.json');
    };
    const response = await upload().expect(202);
    await eventually(async () => (await jobRow(response.body.jobId)).status !== 'queued' && (await jobRow(response.body.jobId)).status !== 'running');

    const job = await jobRow(response.body.jobId);
    expect(job).toMatchObject({ status: 'failed', error: 'plans.json is not JSON: unexpected token at byte 3', tempDir: null });
    const sent = importer.requests.at(-1)!;
    expect(sent).toMatchObject({ issuerId: ISSUER, source: 'upload', loadedBy: 'Scripted carrier', allowedIssuerIds: [ISSUER], maxFileBytes: 5 * 1024 ** 3 });
    expect(sent.files!.map((f) => [f.name, f.kind])).toEqual([
      ['plans.json', 'plans'],
      ['providers.json', 'providers'],
    ]);
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('reports UNCHANGED with the version that already holds the same files', async () => {
    await db.query(`INSERT INTO issuer (issuer_id, name) VALUES ($1, 'Scripted Health') ON CONFLICT DO NOTHING`, [ISSUER]);
    const [{ id: versionId }] = await db.query(`INSERT INTO dataset_version (issuer_id, status) VALUES ($1, 'published') RETURNING id`, [ISSUER]);
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

  it('shows progress while running, and on shutdown aborts the import and marks the job FAILED "interrupted by shutdown"', async () => {
    importer.next = hangUntilAborted;
    const { body } = await upload().expect(202);
    await eventually(async () => (await jobRow(body.jobId)).progress?.bytesRead === 500);

    const status = await t.gql(`query ($id: ID!) { importJob(id: $id) { ${IMPORT_JOB_FIELDS} } }`, { id: body.jobId }, { Authorization: `Bearer ${plainKey}` });
    expect(status.data.importJob).toMatchObject({
      status: 'RUNNING',
      progress: { phase: 'copying', file: 'providers.json', recordsRead: 40, recordsRejected: 1, bytesRead: 500, bytesTotal: 1000, percent: 50 },
    });
    expect(leftovers(tempRoot).length).toBeGreaterThan(0); // the spool lives as long as the job

    await t.close();
    closed = true;
    expect(importer.requests.at(-1)!.signal!.aborted).toBe(true);
    const check = new DataSource({ type: 'postgres', url: testDatabaseUrl() });
    await check.initialize();
    try {
      const [job] = await check.query(`SELECT status, error FROM import_job WHERE id = $1`, [body.jobId]);
      expect(job).toEqual({ status: 'failed', error: 'interrupted by shutdown' });
    } finally {
      await check.destroy();
    }
    expect(leftovers(tempRoot)).toEqual([]);
  });
});
