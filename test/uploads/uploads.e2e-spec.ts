import { createHash } from 'node:crypto';
import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { parseApiKeyCommand, runApiKeyCommand } from '../../src/auth/cli/api-key-cli';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { Database } from '../../src/database/database';
import { isValidNpi } from '../../src/common/identifiers';
import { startTestApp, TestApp } from '../helpers/test-app';
import { eventually, FIXTURES, leftovers, postUpload, UploadPart, waitForJob } from './upload-helpers';

const ISSUER = '77777';
const OTHER_ISSUER = '88888';
const GOLD = '77777TX0010001';
const SILVER = '77777TX0010002';
const DR_REYES = '1777000005'; // in Gold from v1 on
const DR_ORTIZ = '1777000021'; // in Gold from v2 on
const MAX_FILE_BYTES = 64 * 1024;

const V1: UploadPart[] = ['plans.json', 'providers.json', 'drugs.json'].map((name) => ({ path: `${FIXTURES}/v1/${name}` }));
const V2: UploadPart[] = ['cms-data-index.json', 'plans.json', 'providers-1.json', 'drugs-1.json'].map((name) => ({ path: `${FIXTURES}/v2/${name}` }));

describe('carrier uploads over HTTP', () => {
  const tempRoot = mkdtempSync(join(tmpdir(), 'coverage-uploads-test-'));
  const scratch = mkdtempSync(join(tmpdir(), 'coverage-uploads-scratch-'));
  let t: TestApp;
  let apiKeys: ApiKeysService;
  let carrierKey: string;
  let carrierKeyId: string;
  let carrierKeyPrefix: string;
  let otherIssuerKey: string;
  let adminKey: string;
  let v1VersionId: number;
  let v2VersionId: number;

  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
  const server = () => t.app.getHttpServer();
  const count = async (sql: string, params: unknown[] = []) => (await t.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;
  const coverage = async (npis: string[], planIds: string[]) => {
    const response = await t.gql(`query ($npis: [String!]!, $planIds: [String!]!) { networkCoverage(npis: $npis, planIds: $planIds) { npi planId status } }`, {
      npis,
      planIds,
    });
    expect(response.errors).toBeUndefined();
    return Object.fromEntries(response.data.networkCoverage.map((a: any) => [`${a.npi}@${a.planId}`, a.status]));
  };

  beforeAll(async () => {
    process.env.UPLOAD_TMP_DIR = tempRoot;
    process.env.UPLOAD_MAX_FILE_BYTES = String(MAX_FILE_BYTES);
    t = await startTestApp();
    // A real port, so the disconnect test can talk raw HTTP to the same server supertest uses.
    await new Promise<void>((resolve) => server().listen(0, '127.0.0.1', resolve));
    apiKeys = t.app.get(ApiKeysService);
    const carrier = await apiKeys.create({ label: 'Lone Star uploads', issuerIds: [ISSUER] });
    carrierKey = carrier.plainKey;
    carrierKeyId = carrier.apiKey.id;
    carrierKeyPrefix = carrier.apiKey.keyPrefix;
    otherIssuerKey = (await apiKeys.create({ label: 'Other carrier', issuerIds: [OTHER_ISSUER] })).plainKey;
    adminKey = (await apiKeys.create({ label: 'Operations', issuerIds: [], isAdmin: true })).plainKey;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(tempRoot, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
    delete process.env.UPLOAD_TMP_DIR;
    delete process.env.UPLOAD_MAX_FILE_BYTES;
  });

  it('uses fixtures whose NPIs pass the check digit (and one that deliberately fails it)', () => {
    expect([DR_REYES, DR_ORTIZ, '1777000013'].every(isValidNpi)).toBe(true);
    expect(isValidNpi('1777000006')).toBe(false);
  });

  it('refuses an upload without a key: 401 saying how to send one', async () => {
    const response = await postUpload(server(), ISSUER, V1).expect(401);
    expect(response.body.message).toBe('API key required: send Authorization: Bearer <key>');
    expect(response.headers['www-authenticate']).toBe('Bearer');

    const gql = await t.gql(`{ importJob(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(gql.errors?.[0]).toMatchObject({ message: 'API key required: send Authorization: Bearer <key>', extensions: { code: 'UNAUTHENTICATED' } });
    expect(await count('import_job WHERE issuer_id = $1', [ISSUER])).toBe(0);
  });

  it('refuses an unknown key with 401', async () => {
    const response = await postUpload(server(), ISSUER, V1, bearer('cov_thisKeyWasNeverIssuedAnywhere000000000000')).expect(401);
    expect(response.body.message).toMatch(/not recognized or revoked/);
  });

  it('answers a revoked key 401 after reading a large upload, not a broken pipe', async () => {
    const { apiKey, plainKey } = await apiKeys.create({ label: 'Revoked with a big file', issuerIds: [ISSUER] });
    await apiKeys.revoke(apiKey.keyPrefix);
    const big = Buffer.alloc(8 * 1024 * 1024, ' ');
    const response = await request(server())
      .post(`/ingest/uploads?issuerId=${ISSUER}`)
      .set('X-API-Key', plainKey)
      .attach('files', big, 'providers.json')
      .expect(401);
    expect(response.body.message).toMatch(/not recognized or revoked/);
  });

  it('refuses a key of issuer 77777 uploading for issuer 88888 with 403, loading nothing', async () => {
    const jobsBefore = await count('import_job');
    const response = await postUpload(server(), OTHER_ISSUER, V1, bearer(carrierKey)).expect(403);
    expect(response.body.message).toBe(`API key ${carrierKeyPrefix}… may load issuers 77777, not 88888`);
    expect(await count('import_job')).toBe(jobsBefore);
    expect(await count('dataset_version WHERE issuer_id = $1', [OTHER_ISSUER])).toBe(0);
    expect(await count('issuer WHERE issuer_id = $1', [OTHER_ISSUER])).toBe(0);
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('loads an upload in the background: 202, the job succeeds, and the doctor is in network', async () => {
    const response = await postUpload(server(), ISSUER, V1, bearer(carrierKey)).expect(202);
    expect(response.body).toEqual({ jobId: expect.stringMatching(/^[0-9a-f-]{36}$/), statusUrl: `/ingest/uploads/${response.body.jobId}` });

    const job = await waitForJob(t, response.body.jobId, carrierKey);
    expect(job).toMatchObject({ status: 'SUCCEEDED', issuerId: ISSUER, loadedBy: 'Lone Star uploads', error: null });
    expect(job.files).toEqual([
      { name: 'plans.json', kind: 'plans', bytes: expect.any(Number) },
      { name: 'providers.json', kind: 'providers', bytes: expect.any(Number) },
      { name: 'drugs.json', kind: 'drugs', bytes: expect.any(Number) },
    ]);
    expect(job.versionId).toEqual(expect.any(Number));
    expect(job.finishedAt).not.toBeNull();
    expect(job.report.rejectedCount).toBe(0);
    v1VersionId = job.versionId;

    expect(await coverage([DR_REYES, DR_ORTIZ], [GOLD])).toEqual({ [`${DR_REYES}@${GOLD}`]: 'IN_NETWORK', [`${DR_ORTIZ}@${GOLD}`]: 'UNKNOWN' });
    expect(leftovers(tempRoot)).toEqual([]); // the spool is gone once the job has ended

    const rest = await t.http().get(response.body.statusUrl).set(bearer(carrierKey)).expect(200);
    expect(rest.body).toMatchObject({ id: response.body.jobId, status: 'SUCCEEDED', versionId: v1VersionId });
  });

  it("shows a job only to keys of the job's issuer, and to admin keys", async () => {
    const [{ id }] = await t.db.query(`SELECT id FROM import_job WHERE version_id = $1`, [v1VersionId]);
    const query = `query ($id: ID!) { importJob(id: $id) { id status } }`;

    const other = await t.gql(query, { id }, bearer(otherIssuerKey));
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(other.errors?.[0].message).toMatch(/may see jobs of issuers 88888, not of 77777/);

    const admin = await t.gql(query, { id }, { 'X-API-Key': adminKey });
    expect(admin.data.importJob).toEqual({ id, status: 'SUCCEEDED' });

    const badId = await t.gql(query, { id: 'not-a-job' }, bearer(carrierKey));
    expect(badId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('loads a second version through cms-data-index.json, reporting the rejected provider precisely', async () => {
    const response = await postUpload(server(), ISSUER, V2, bearer(carrierKey)).expect(202);
    const job = await waitForJob(t, response.body.jobId, carrierKey);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.files.map((f: any) => f.kind)).toEqual(['index', 'plans', 'providers', 'drugs']);
    expect(job.versionId).toBeGreaterThan(v1VersionId);
    v2VersionId = job.versionId;

    expect(job.report.rejectedCount).toBe(1);
    expect(job.report.samples).toEqual([expect.objectContaining({ file: 'providers-1.json', recordIndex: 2, message: expect.stringContaining('1777000006') })]);
    expect(job.progress).toMatchObject({ phase: 'done', percent: 100 });

    expect(await coverage([DR_REYES, DR_ORTIZ], [GOLD, SILVER])).toEqual({
      [`${DR_REYES}@${GOLD}`]: 'IN_NETWORK',
      [`${DR_REYES}@${SILVER}`]: 'OUT_OF_NETWORK',
      [`${DR_ORTIZ}@${GOLD}`]: 'IN_NETWORK',
      [`${DR_ORTIZ}@${SILVER}`]: 'IN_NETWORK',
    });
  });

  it('refuses a file above UPLOAD_MAX_FILE_BYTES with 413 naming its size, and keeps nothing', async () => {
    const jobsBefore = await count('import_job');
    const oversized = join(scratch, 'providers.json');
    writeFileSync(oversized, '[' + ' '.repeat(100_000 - 2) + ']');

    const response = await postUpload(server(), ISSUER, [{ path: `${FIXTURES}/v1/plans.json` }, { path: oversized }], bearer(carrierKey)).expect(413);
    expect(response.body.message).toBe(`file providers.json is 100000 bytes, above the limit of ${MAX_FILE_BYTES}`);
    expect(await count('import_job')).toBe(jobsBefore);
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('refuses a file whose name does not say what it holds, with 400', async () => {
    const notes = join(scratch, 'notes.txt');
    writeFileSync(notes, 'hello');
    const response = await postUpload(server(), ISSUER, [{ path: notes }], bearer(carrierKey)).expect(400);
    expect(response.body.message).toMatch(/^cannot tell what file notes.txt holds: name it plans.json, providers\*.json/);
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('refuses an index listing a file that is not in the upload, with 400 naming it', async () => {
    const jobsBefore = await count('import_job');
    const response = await postUpload(
      server(),
      ISSUER,
      V2.filter((part) => !part.path.endsWith('drugs-1.json')),
      bearer(carrierKey),
    ).expect(400);
    expect(response.body.message).toBe('drugs-1.json: no such file (drugs-1.json)');
    expect(await count('import_job')).toBe(jobsBefore);
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('refuses a body that is not multipart (415) or is cut short (400), keeping nothing', async () => {
    const json = await t.http().post(`/ingest/uploads?issuerId=${ISSUER}`).set(bearer(carrierKey)).send({ plans: [] }).expect(415);
    expect(json.body.message).toMatch(/^send the files as multipart\/form-data/);

    const truncated = await t
      .http()
      .post(`/ingest/uploads?issuerId=${ISSUER}`)
      .set(bearer(carrierKey))
      .set('Content-Type', 'multipart/form-data; boundary=cut')
      .send('--cut\r\nContent-Disposition: form-data; name="files"; filename="plans.json"\r\n\r\n[{"plan_id": ')
      .expect(400);
    expect(truncated.body.message).toMatch(/^malformed multipart body: Unexpected end of form/);
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('drops an upload whose client disconnects midway: no job, no spool, no held connection, the published version still answers', async () => {
    const jobsBefore = await count('import_job');
    const versionsBefore = await count('dataset_version');
    const { port } = server().address() as AddressInfo;
    const boundary = 'coverage-disconnect-test';
    const upload = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/ingest/uploads?issuerId=${ISSUER}`,
      headers: { ...bearer(carrierKey), 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': 50_000 },
    });
    upload.on('error', () => undefined); // the socket is destroyed on purpose
    upload.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="providers.json"\r\nContent-Type: application/json\r\n\r\n[` +
        ' '.repeat(20_000),
    );
    // Wait until the server is really spooling the file, then vanish.
    await eventually(() => leftovers(tempRoot).some((path) => path.endsWith('providers.json')));
    upload.destroy();

    await eventually(() => leftovers(tempRoot).length === 0);
    const database = t.app.get(Database);
    await eventually(() => database.poolStats().every((pool) => pool.idle === pool.total));
    expect(await count('import_job')).toBe(jobsBefore);
    expect(await count('dataset_version')).toBe(versionsBefore);
    expect(await coverage([DR_ORTIZ], [GOLD])).toEqual({ [`${DR_ORTIZ}@${GOLD}`]: 'IN_NETWORK' });
  });

  it.each([
    ['ENOSPC', 507, /^the server has no room to store this upload \(ENOSPC\): nothing was loaded; try again later$/],
    ['EDQUOT', 507, /^the server has no room to store this upload \(EDQUOT\): nothing was loaded; try again later$/],
    ['EIO', 500, /^the server could not store file providers.json \(EIO\): nothing was loaded; try again later$/],
  ])('answers a failed spool write (%s) with %i, keeps no file and keeps serving', async (code, status, message) => {
    const jobsBefore = await count('import_job');
    // A disk that fills up while providers.json is stored: part of its first write lands, then it fails.
    const realCreateWriteStream = fs.createWriteStream;
    const spy = jest.spyOn(fs, 'createWriteStream').mockImplementation(((path: fs.PathLike, options?: any) => {
      const stream = realCreateWriteStream(path, options);
      if (!String(path).endsWith('providers.json')) return stream;
      const write = stream._write.bind(stream);
      const fail = (chunk: Buffer, callback: (error?: Error | null) => void) =>
        write(chunk.subarray(0, chunk.length >> 1), 'binary', () => callback(Object.assign(new Error(`${code}: write failed, write`), { code })));
      stream._write = (chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void) => fail(chunk, callback);
      stream._writev = (chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void) =>
        fail(Buffer.concat(chunks.map((c) => c.chunk)), callback);
      return stream;
    }) as any);
    try {
      const big = join(scratch, 'providers.json');
      writeFileSync(big, '[' + ' '.repeat(60_000) + ']');
      const response = await postUpload(server(), ISSUER, [{ path: `${FIXTURES}/v1/plans.json` }, { path: big }], bearer(carrierKey));
      expect(response.status).toBe(status);
      expect(response.body.message).toMatch(message);
    } finally {
      spy.mockRestore();
    }
    expect(await count('import_job')).toBe(jobsBefore);
    await eventually(() => leftovers(tempRoot).length === 0);
    expect(await coverage([DR_ORTIZ], [GOLD])).toEqual({ [`${DR_ORTIZ}@${GOLD}`]: 'IN_NETWORK' });
    // ...and the next upload is stored and loaded as usual.
    const again = await postUpload(server(), ISSUER, V2, bearer(carrierKey)).expect(202);
    expect((await waitForJob(t, again.body.jobId, carrierKey)).status).toBe('UNCHANGED');
  });

  it('refuses a repeated issuerId or issuerName with 400 naming the parameter', async () => {
    const twice = await request(server())
      .post(`/ingest/uploads?issuerId=${ISSUER}&issuerId=${OTHER_ISSUER}`)
      .set(bearer(carrierKey))
      .attach('files', `${FIXTURES}/v1/plans.json`);
    expect(twice.status).toBe(400);
    expect(twice.body.message).toBe('issuerId must be given once (got 2 values)');
    const names = await request(server())
      .post(`/ingest/uploads?issuerId=${ISSUER}&issuerName=A&issuerName=B`)
      .set(bearer(carrierKey))
      .attach('files', `${FIXTURES}/v1/plans.json`);
    expect(names.status).toBe(400);
    expect(names.body.message).toBe('issuerName must be given once (got 2 values)');
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('lists the issuer versions newest first with who loaded them, their files and counts', async () => {
    const fields = `edges { cursor node { id status source loadedBy startedAt publishedAt finishedAt counts { name count } sourceFiles { name kind bytes sha256 } rejectedCount error } } pageInfo { hasNextPage endCursor } totalCount`;
    const all = await t.gql(`{ datasetVersions(issuerId: "${ISSUER}") { ${fields} } }`);
    expect(all.errors).toBeUndefined();
    const versions = all.data.datasetVersions.edges.map((edge: any) => edge.node);
    expect(all.data.datasetVersions.totalCount).toBe(2);
    expect(versions.map((v: any) => [v.id, v.status, v.source, v.loadedBy, v.rejectedCount])).toEqual([
      [v2VersionId, 'PUBLISHED', 'upload', 'Lone Star uploads', 1],
      [v1VersionId, 'SUPERSEDED', 'upload', 'Lone Star uploads', 0],
    ]);
    const countOf = (version: any, name: string) => version.counts.find((c: any) => c.name === name)?.count;
    // Carriers count their own loads; the global id stays beside it.
    const numbered = await t.gql(`{ datasetVersions(issuerId: "${ISSUER}") { edges { node { id number } } } }`);
    expect(numbered.data.datasetVersions.edges.map((edge: any) => edge.node)).toEqual([
      { id: v2VersionId, number: 2 },
      { id: v1VersionId, number: 1 },
    ]);
    expect(countOf(versions[1], 'plans')).toBe(2);
    expect(countOf(versions[0], 'plans')).toBe(2);
    expect(countOf(versions[0], 'providers')).toBe(3); // Reyes, the hospital, Ortiz; the bad NPI was rejected
    expect(versions[1].sourceFiles.map((f: any) => f.name).sort()).toEqual(['drugs.json', 'plans.json', 'providers.json']);
    expect(versions[0].publishedAt).not.toBeNull();
    expect(JSON.stringify(all.data)).not.toContain(carrierKey);

    const firstPage = await t.gql(`{ datasetVersions(issuerId: "${ISSUER}", first: 1) { ${fields} } }`);
    expect(firstPage.data.datasetVersions.edges.map((e: any) => e.node.id)).toEqual([v2VersionId]);
    expect(firstPage.data.datasetVersions.pageInfo.hasNextPage).toBe(true);
    // totalCount counts every version of the issuer, not the page.
    expect(firstPage.data.datasetVersions.totalCount).toBe(2);
    const secondPage = await t.gql(`query ($after: String) { datasetVersions(issuerId: "${ISSUER}", first: 1, after: $after) { ${fields} } }`, {
      after: firstPage.data.datasetVersions.pageInfo.endCursor,
    });
    expect(secondPage.data.datasetVersions.edges.map((e: any) => e.node.id)).toEqual([v1VersionId]);
    expect(secondPage.data.datasetVersions.pageInfo.hasNextPage).toBe(false);
    expect(secondPage.data.datasetVersions.totalCount).toBe(2);

    const issuer = await t.gql(`{ issuer(issuerId: "${ISSUER}") { issuerId currentVersionId currentVersion { id status } } }`);
    expect(issuer.data.issuer).toEqual({ issuerId: ISSUER, currentVersionId: v2VersionId, currentVersion: { id: v2VersionId, status: 'PUBLISHED' } });
  });

  it('answers UNCHANGED when the same files are uploaded again, adding no version', async () => {
    const response = await postUpload(server(), ISSUER, V2, bearer(carrierKey)).expect(202);
    const job = await waitForJob(t, response.body.jobId, carrierKey);
    expect(job).toMatchObject({ status: 'UNCHANGED', versionId: v2VersionId, error: null });
    expect(await count('dataset_version WHERE issuer_id = $1', [ISSUER])).toBe(2);
    expect(leftovers(tempRoot)).toEqual([]);
  });

  it('refuses a revoked key with 401', async () => {
    const { apiKey, plainKey } = await apiKeys.create({ label: 'Short-lived', issuerIds: [ISSUER] });
    await apiKeys.revoke(apiKey.keyPrefix);
    const response = await postUpload(server(), ISSUER, V1, { 'X-API-Key': plainKey }).expect(401);
    expect(response.body.message).toMatch(/not recognized or revoked/);
  });

  it('stores only a SHA-256 of the key', async () => {
    const [row] = await t.db.query(`SELECT key_hash, key_prefix, last_used_at FROM api_key WHERE id = $1`, [carrierKeyId]);
    expect(row.key_hash).toBe(createHash('sha256').update(carrierKey).digest('hex'));
    expect(row.key_hash).not.toBe(carrierKey);
    expect(carrierKey.startsWith(row.key_prefix)).toBe(true);
    expect(row.key_prefix.length).toBeLessThan(carrierKey.length / 2);
    expect(row.last_used_at).not.toBeNull();
    expect(await count(`api_key a WHERE strpos(row_to_json(a)::text, $1) > 0`, [carrierKey])).toBe(0);
    expect(await count(`import_job j WHERE strpos(row_to_json(j)::text, $1) > 0`, [carrierKey])).toBe(0);
  });

  it('creates, lists and revokes keys through the CLI commands', async () => {
    const lines: string[] = [];
    const print = (line: string) => lines.push(line);
    await runApiKeyCommand(parseApiKeyCommand(['create', '--issuer', '77777', '--issuer', '88888', '--label', 'CLI key']), apiKeys, print);
    const plainKey = lines.map((line) => line.trim()).find((line) => line.startsWith('cov_'))!;
    expect(plainKey).toMatch(/^cov_[A-Za-z0-9_-]{43}$/);
    expect(await apiKeys.verify(plainKey)).toMatchObject({ label: 'CLI key', issuerIds: ['77777', '88888'], isAdmin: false });

    lines.length = 0;
    await runApiKeyCommand(parseApiKeyCommand(['list']), apiKeys, print);
    expect(lines.find((line) => line.includes('"CLI key"'))).toContain('issuers 77777, 88888  active');
    expect(lines.join('\n')).not.toContain(plainKey);

    lines.length = 0;
    await runApiKeyCommand(parseApiKeyCommand(['revoke', plainKey.slice(0, 12)]), apiKeys, print);
    expect(lines[0]).toMatch(/^Revoked .* "CLI key" .* revoked /);
    expect(await apiKeys.verify(plainKey)).toBeNull();
    expect(() => parseApiKeyCommand(['create', '--issuer'])).toThrow(/unexpected argument "--issuer"/);
  });
});
