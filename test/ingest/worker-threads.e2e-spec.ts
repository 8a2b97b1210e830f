import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { ImportRequest, ImportResult } from '../../src/ingest/import-contract';
import { workerExecArgv } from '../../src/ingest/render/provider-worker-pool';
import { cleanUpAbandonedLoads, QhpImporter } from '../../src/ingest/qhp-importer';
import { startTestApp, TestApp } from '../helpers/test-app';
import { currentVersionId, failedImport, fixture, NO_ROWS, removeIssuers, rowsOfVersion, versionRow } from './ingest-helpers';

/**
 * Large providers files are parsed, validated and rendered by worker threads. Loading the same file
 * in the importing thread and through workers must give the same rows and the same report, and the
 * failure paths (malformed record, abort) must leave nothing half-published.
 */
const ISSUER = '55503';
const GOLD = `${ISSUER}OH0010001`;
const SILVER = `${ISSUER}OH0010002`;
const RECORDS = 6000;

/**
 * Mostly valid providers; every 50th has a bad check digit, every 97th a ZIP+4, every 200th an undefined
 * tier; every third (but those) lists Silver before Gold.
 */
function providersFile(records = RECORDS): string {
  const entry = (planId: string, tier = 'PREFERRED') => ({ plan_id_type: 'HIOS-PLAN-ID', plan_id: planId, network_tier: tier, years: [2025] });
  const providers = Array.from({ length: records }, (_, i) => ({
    npi: i % 50 === 7 ? '1234567890' : withNpiCheckDigit(100_000_000 + i),
    type: 'INDIVIDUAL',
    // Record 4242's name is past Latin-1: 'Ł' (U+0141) and '😀' (a surrogate pair) end in bytes that look like ASCII.
    name: i === 4242 ? { first: 'Łukasz', last: 'Żak😀' } : { first: `First${i}`, last: `Last${i}` },
    speciality: ['Family Medicine'],
    accepting: 'accepting',
    addresses: [{ address: `${i} Long Rd`, city: 'Columbus', state: 'OH', zip: i % 97 === 3 ? '43215-1234' : '43215', phone: '6145550000' }],
    plans: i % 200 === 11 ? [entry(GOLD, 'GOLD-TIER')] : i % 3 === 0 ? [entry(SILVER), entry(GOLD)] : [entry(GOLD)],
  }));
  return JSON.stringify(providers, null, 2);
}

/** A version's provider rows (without version_id), in record order, as one digest per table. */
async function digestOfRows(app: TestApp, versionId: number): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [table, order] of [
    ['provider', 'record_no'],
    ['provider_address', 'record_no, address_no'],
    ['network_membership', 'record_no, plan_id'],
  ]) {
    const [row] = await app.db.query(
      `SELECT md5(string_agg((to_jsonb(t) - 'version_id')::text, '|' ORDER BY ${order})) AS digest, count(*)::int AS n FROM ${table} t WHERE version_id = $1`,
      [versionId],
    );
    digests[table] = `${row.n}:${row.digest}`;
  }
  return digests;
}

describe('QHP import through worker threads', () => {
  let app: TestApp;
  let importer: QhpImporter;
  let dir: string;
  let plansPath: string;
  let providersPath: string;
  let inThread: ImportResult;
  let inWorkers: ImportResult;

  const load = (overrides: Partial<ImportRequest>) =>
    importer.import({ issuerId: ISSUER, source: 'test', loadedBy: 'jest', paths: [plansPath, providersPath], ...overrides });

  beforeAll(async () => {
    app = await startTestApp();
    importer = new QhpImporter(app.db);
    dir = mkdtempSync(join(tmpdir(), 'ingest-workers-'));
    plansPath = join(dir, 'plans.json');
    providersPath = join(dir, 'providers.json');
    writeFileSync(plansPath, readFileSync(fixture('good/plans.json'), 'utf8').replaceAll('55555', ISSUER));
    writeFileSync(providersPath, providersFile());
    inThread = await load({ parseWorkers: 0 });
    // One more byte (a trailing newline), so the second load is not an "unchanged" re-load.
    appendFileSync(providersPath, '\n');
    inWorkers = await load({ parseWorkers: 2 });
  }, 120_000);

  afterAll(async () => {
    await removeIssuers(app.db, [ISSUER]);
    rmSync(dir, { recursive: true, force: true });
    await app.close();
  });

  it('loads the same rows as the importing thread, record numbers included', async () => {
    expect(inWorkers.status).toBe('published');
    expect(inWorkers.versionId).not.toBe(inThread.versionId);
    expect(inWorkers.counts).toEqual(inThread.counts);
    expect(inWorkers.counts.providers).toBe(RECORDS - RECORDS / 50 - 30); // 120 bad NPIs, 30 with no valid plan entry
    const workerRows = await digestOfRows(app, inWorkers.versionId);
    expect(workerRows).toEqual(await digestOfRows(app, inThread.versionId));
    expect(workerRows.provider).toMatch(/^5850:/);
  });

  it('keeps names past Latin-1 intact in the rows the workers encode', async () => {
    for (const load of [inThread, inWorkers]) {
      const [row] = await app.db.query(`SELECT display_name FROM provider WHERE version_id = $1 AND record_no = 4242`, [load.versionId]);
      expect(row).toEqual({ display_name: 'Łukasz Żak😀' });
    }
  });

  it('writes network memberships in primary-key order, so the index build finds them presorted', async () => {
    for (const load of [inThread, inWorkers]) {
      const version = Number(load.versionId);
      const memberships: Array<{ plan_id: string }> = await app.db.query(`SELECT plan_id FROM network_membership WHERE version_id = $1`, [version]);
      expect(memberships.filter((r) => r.plan_id === SILVER)).toHaveLength(1950);
      // Each listing points to its plan list: one row per listing, in record order.
      const rows: Array<{ record_no: number }> = await app.db.query(`SELECT record_no FROM listing_network_set_v${version} ORDER BY ctid`);
      const key = (r: (typeof rows)[number]) => String(r.record_no).padStart(10, '0');
      expect(rows).toHaveLength(5850);
      expect(rows.map(key)).toEqual(rows.map(key).sort());
      // The file's two distinct valid plan lists (GOLD; SILVER and GOLD) are stored once, whichever threads met them.
      const [sets] = await app.db.query(`SELECT count(DISTINCT set_id)::int AS sets, count(*)::int AS entries FROM network_set_v${version}`);
      expect(sets).toEqual({ sets: 2, entries: 3 });
    }
  });

  it('loads each version table frozen, in the transaction that truncated it (no WAL under wal_level=minimal)', async () => {
    await app.db.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
    for (const load of [inThread, inWorkers]) {
      for (const table of ['provider', 'provider_address', 'listing_network_set']) {
        const name = `${table}_v${Number(load.versionId)}`;
        // t_infomask HEAP_XMIN_FROZEN (0x0300): set by COPY ... WITH (FREEZE), never by a vacuum of rows this young.
        const [pages] = await app.db.query(
          `SELECT count(*)::int AS tuples, count(*) FILTER (WHERE t_infomask & 768 = 768)::int AS frozen
             FROM generate_series(0, pg_relation_size($1::regclass) / current_setting('block_size')::int - 1) AS page,
                  LATERAL heap_page_items(get_raw_page($1::text, page::int))
            WHERE lp_flags = 1`,
          [name],
        );
        expect({ name, ...pages }).toEqual({ name, tuples: expect.any(Number), frozen: pages.tuples });
        expect(pages.tuples).toBeGreaterThan(1000);
      }
    }
  });

  it('reports the same rejections and warnings, with the first samples in file order', () => {
    expect(inWorkers.report).toEqual(inThread.report);
    const { report } = inWorkers;
    expect(report.rejectedByReason).toMatchObject({ INVALID_NPI: 120, UNKNOWN_NETWORK_TIER: 30, NO_VALID_PLAN_ENTRIES: 30 });
    expect(report.samples.INVALID_NPI).toHaveLength(20);
    expect(report.samples.INVALID_NPI.map((s) => s.path).slice(0, 3)).toEqual(['$[7].npi', '$[57].npi', '$[107].npi']);
    expect(report.samples.INVALID_NPI[19].path).toBe('$[957].npi');
    // 62 records have a ZIP+4; record 3107 is rejected for its NPI before its addresses are read.
    expect(report.warningsByReason).toEqual({ ZIP_PLUS_FOUR: 61 });
    expect(report.warnings.map((w) => w.path)).toHaveLength(20);
    expect(report.warnings[19].path).toBe('$[1846].addresses[0].zip');
  });

  it('answers from the rows the workers rendered', async () => {
    const res = await app.gql(
      `query($npis: [String!]!, $plans: [String!]!) { networkCoverage(npis: $npis, planIds: $plans) { npi status reason networkTiers } }`,
      {
        npis: [withNpiCheckDigit(100_000_000 + 5999), withNpiCheckDigit(100_000_000 + 11)],
        plans: [GOLD],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.networkCoverage).toEqual([
      { npi: withNpiCheckDigit(100_000_000 + 5999), status: 'IN_NETWORK', reason: null, networkTiers: ['PREFERRED'] },
      // Record 11's only plan entry names an undefined tier: the provider was rejected, so not listed at all.
      { npi: withNpiCheckDigit(100_000_000 + 11), status: 'UNKNOWN', reason: 'PROVIDER_NOT_FOUND', networkTiers: [] },
    ]);
  });

  it('fails the whole load on a malformed record deep in the file, naming it; the published version stays', async () => {
    const broken = join(dir, 'providers-broken.json');
    const text = readFileSync(providersPath, 'utf8');
    const at = text.indexOf('"First4321"');
    writeFileSync(broken, text.slice(0, at) + '"First4321" "oops"' + text.slice(at + '"First4321"'.length));
    const error = await failedImport(load({ parseWorkers: 2, paths: [plansPath, broken] }));
    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toMatch(/^providers-broken\.json is not valid JSON: record 4321 \(from byte \d+\) is malformed near byte \d+: /);
    expect(await versionRow(app.db, error.versionId!)).toMatchObject({ status: 'failed', published_at: null });
    expect(await rowsOfVersion(app.db, error.versionId!)).toEqual(NO_ROWS);
    expect(await currentVersionId(app.db, ISSUER)).toBe(inWorkers.versionId);
  });

  it('an abort half way through the file leaves no rows and the published version in place', async () => {
    const copy = join(dir, 'providers-again.json');
    writeFileSync(copy, readFileSync(providersPath, 'utf8') + ' ');
    const controller = new AbortController();
    let lastRead = 0;
    const error = await failedImport(
      load({
        parseWorkers: 2,
        paths: [plansPath, copy],
        signal: controller.signal,
        onProgress: (progress) => {
          lastRead = progress.recordsRead;
          if (progress.file === 'providers-again.json' && progress.recordsRead > 1000) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(lastRead).toBeLessThan(RECORDS);
    expect(await rowsOfVersion(app.db, error.versionId!)).toEqual(NO_ROWS);
    expect(await currentVersionId(app.db, ISSUER)).toBe(inWorkers.versionId);
  });

  it('an import process killed mid-file (SIGKILL, workers and all) publishes nothing; the abandoned load is cleaned up', async () => {
    const big = join(dir, 'providers-big.json');
    writeFileSync(big, providersFile(60_000));
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/ingest/cli/import-cli.ts', plansPath, big, '--issuer', ISSUER, '--workers', '2'],
      {
        cwd: resolve(__dirname, '../..'),
        env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
        stdio: 'ignore',
      },
    );
    const exited = new Promise((done) => child.on('exit', done));
    try {
      // Killed once PostgreSQL has received provider rows of the new version (uncommitted COPY).
      const started = Date.now();
      let copying = false;
      while (!copying) {
        if (child.exitCode !== null) throw new Error(`the import ended (${child.exitCode}) before it was killed`);
        if (Date.now() - started > 60_000) throw new Error('the import never started copying providers');
        const [progress] = await app.db.query(
          `SELECT p.tuples_processed::int AS n FROM pg_stat_progress_copy p JOIN pg_class c ON c.oid = p.relid WHERE c.relname ~ '^provider_v[0-9]+$'`,
        );
        copying = (progress?.n ?? 0) > 0;
        if (!copying) await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const [loading] = await app.db.query(`SELECT id FROM dataset_version WHERE issuer_id = $1 AND status = 'loading'`, [ISSUER]);
    expect(loading).toBeDefined();
    expect(await currentVersionId(app.db, ISSUER)).toBe(inWorkers.versionId);

    const { failedVersionIds } = await cleanUpAbandonedLoads(app.db, 0);
    expect(failedVersionIds).toContain(Number(loading.id));
    expect(await versionRow(app.db, Number(loading.id))).toMatchObject({ status: 'failed', published_at: null });
    expect(await rowsOfVersion(app.db, Number(loading.id))).toEqual(NO_ROWS);
    const [{ tables }] = await app.db.query(`SELECT count(*)::int AS tables FROM pg_class WHERE relname ~ $1`, [`_v${loading.id}$`]);
    expect(tables).toBe(0);
    expect(await currentVersionId(app.db, ISSUER)).toBe(inWorkers.versionId);
  }, 90_000);
});

describe('parse workers started from TypeScript', () => {
  it('do not inherit the ts-node hook (their script is JavaScript), and keep every other Node flag', () => {
    expect(workerExecArgv(['-r', 'ts-node/register/transpile-only', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
    expect(workerExecArgv(['--require', 'tsconfig-paths/register', '--require=ts-node/register', '--cpu-prof'])).toEqual(['--cpu-prof']);
    expect(workerExecArgv(['-r', './tracing.js', '--max-semi-space-size=32'])).toEqual(['-r', './tracing.js', '--max-semi-space-size=32']);
  });
});
