import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { ImportRequest } from '../../src/ingest/import-contract';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { QHP_IMPORT_RUNNER, QhpImportRunner } from '../../src/uploads/qhp-import-runner';
import { parseRollbackArguments, RollbackUsageError, runRollback } from '../../src/ingest/cli/rollback-cli';
import { startTestApp, TestApp } from '../helpers/test-app';
import { failedImport, removeIssuers } from '../ingest/ingest-helpers';
import { LOAD_REPORT_FIELDS, AMLODIPINE, DR_KIM, DR_REYES, drugStatus, issuerFixtures, networkStatus, planOf, versionsOf, writeJson } from './load-helpers';
import { postUpload, waitForJob } from '../uploads/upload-helpers';

/** Issuers of this suite (Texas plans, no other suite loads them). */
const PARTIAL = '41401';
const PARTIAL_CLI = '41402';
const REMOVED_PLAN = '41403';
const SHRINK = '41404';
const SHRINK_CLI = '41405';
const ORDERED = '41406';
const RETAINED = '41407';
const ROLLBACK = '41408';
/** Versions kept per issuer in this suite (IMPORT_VERSIONS_KEPT). */
const KEPT = 3;

describe('loads that would take published data away', () => {
  const tempRoot = mkdtempSync(join(tmpdir(), 'coverage-safe-loads-'));
  let t: TestApp;
  let key: string;
  const issuers = [PARTIAL, PARTIAL_CLI, REMOVED_PLAN, SHRINK, SHRINK_CLI, ORDERED, RETAINED, ROLLBACK];
  const bearer = () => ({ Authorization: `Bearer ${key}` });

  const upload = async (issuerId: string, paths: string[], query = '') => {
    const accepted = await postUpload(
      t.app.getHttpServer(),
      `${issuerId}${query}`,
      paths.map((path) => ({ path })),
      bearer(),
    );
    expect(accepted.status).toBe(202);
    return waitForJob(t, accepted.body.jobId, key);
  };
  const jobReport = async (jobId: string) => {
    const response = await t.gql(`query ($id: ID!) { importJob(id: $id) { status error reason ${LOAD_REPORT_FIELDS} } }`, { id: jobId }, bearer());
    expect(response.errors).toBeUndefined();
    return response.data.importJob;
  };
  const load = (request: Partial<ImportRequest> & Pick<ImportRequest, 'issuerId'>) =>
    new QhpImporter(t.db).import({ source: 'test', loadedBy: 'jest', ...request });

  beforeAll(async () => {
    process.env.UPLOAD_TMP_DIR = join(tempRoot, 'spool');
    process.env.IMPORT_VERSIONS_KEPT = String(KEPT);
    t = await startTestApp();
    key = (await t.app.get(ApiKeysService).create({ label: 'Safe loads', issuerIds: issuers })).plainKey;
  });

  afterAll(async () => {
    if (t) await removeIssuers(t.db, issuers);
    await t?.close();
    rmSync(tempRoot, { recursive: true, force: true });
    delete process.env.UPLOAD_TMP_DIR;
    delete process.env.IMPORT_VERSIONS_KEPT;
  });

  describe('a load replaces only the kinds of file it brings', () => {
    it('an upload of plans.json alone keeps the published provider directory and formulary, and says so', async () => {
      const files = issuerFixtures(join(tempRoot, PARTIAL), PARTIAL);
      const [gold, silver] = [planOf(PARTIAL, 1), planOf(PARTIAL, 2)];
      const full = await upload(PARTIAL, [files['plans.json'], files['providers.json'], files['drugs.json']]);
      expect(full.status).toBe('SUCCEEDED');

      const partial = await upload(PARTIAL, [files['plans.json']]);
      // The same plans.json as the published version's, but fewer files: a new version, not UNCHANGED.
      expect(partial.status).toBe('SUCCEEDED');
      expect(partial.versionId).toBeGreaterThan(full.versionId);
      const { report } = await jobReport(partial.id);
      expect(report).toMatchObject({ replaced: ['plans'], carriedForward: ['providers', 'drugs'], carriedFromVersionId: full.versionId });
      expect(report.droppedWithRemovedPlans).toEqual([]);

      expect(await networkStatus(t, [DR_REYES, DR_KIM], [gold, silver])).toEqual({
        [`${DR_REYES}@${gold}`]: 'IN_NETWORK',
        [`${DR_REYES}@${silver}`]: 'OUT_OF_NETWORK',
        [`${DR_KIM}@${gold}`]: 'OUT_OF_NETWORK',
        [`${DR_KIM}@${silver}`]: 'IN_NETWORK',
      });
      expect(await drugStatus(t, [AMLODIPINE], [gold, silver])).toEqual({ [`${AMLODIPINE}@${gold}`]: 'COVERED', [`${AMLODIPINE}@${silver}`]: 'COVERED' });

      const [latest] = await versionsOf(t, PARTIAL);
      expect(latest).toMatchObject({ id: partial.versionId, status: 'PUBLISHED', report: { replaced: ['plans'], carriedForward: ['providers', 'drugs'] } });
      expect(latest.counts).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'providers', count: 2 }), expect.objectContaining({ name: 'formularyEntries', count: 2 })]),
      );
    });

    it('replaceAll=true publishes exactly what the upload brings', async () => {
      const files = issuerFixtures(join(tempRoot, PARTIAL), PARTIAL);
      const [gold] = [planOf(PARTIAL, 1)];
      const job = await upload(PARTIAL, [files['plans.json'], files['providers.json']], '&replaceAll=true&allowShrink=true');
      expect(job.status).toBe('SUCCEEDED');
      const { report } = await jobReport(job.id);
      expect(report).toMatchObject({ replaced: ['plans', 'providers'], carriedForward: [] });
      expect(await networkStatus(t, [DR_REYES], [gold])).toEqual({ [`${DR_REYES}@${gold}`]: 'IN_NETWORK' });
      expect(await drugStatus(t, [AMLODIPINE], [gold])).toEqual({ [`${AMLODIPINE}@${gold}`]: 'FORMULARY_NOT_REPORTED' });
    });

    it('the import command given plans and providers keeps the formulary (and --replace-all drops it)', async () => {
      const files = issuerFixtures(join(tempRoot, PARTIAL_CLI), PARTIAL_CLI);
      const gold = planOf(PARTIAL_CLI, 1);
      await load({ issuerId: PARTIAL_CLI, paths: [files['plans.json'], files['providers.json'], files['drugs.json']] });
      const partial = await load({ issuerId: PARTIAL_CLI, paths: [files['plans.json'], files['providers-v2.json']] });
      expect(partial.report).toMatchObject({ replaced: ['plans', 'providers'], carriedForward: ['drugs'] });
      expect(await drugStatus(t, [AMLODIPINE], [gold])).toEqual({ [`${AMLODIPINE}@${gold}`]: 'COVERED' });
      expect(await networkStatus(t, ['1777000021'], [gold])).toEqual({ [`1777000021@${gold}`]: 'IN_NETWORK' });

      await load({ issuerId: PARTIAL_CLI, paths: [files['plans.json'], files['providers-v2.json']], replaceAll: true, allowShrink: true });
      expect(await drugStatus(t, [AMLODIPINE], [gold])).toEqual({ [`${AMLODIPINE}@${gold}`]: 'FORMULARY_NOT_REPORTED' });
    });

    it('drops carried-forward memberships and formulary entries of plans the new plans file no longer has, and reports them', async () => {
      const files = issuerFixtures(join(tempRoot, REMOVED_PLAN), REMOVED_PLAN);
      const [gold, silver] = [planOf(REMOVED_PLAN, 1), planOf(REMOVED_PLAN, 2)];
      await load({ issuerId: REMOVED_PLAN, paths: [files['plans.json'], files['providers.json'], files['drugs.json']] });
      const plans = JSON.parse(readFileSync(files['plans.json'], 'utf8')).filter((plan: any) => plan.plan_id === gold);
      const goldOnly = writeJson(join(tempRoot, REMOVED_PLAN), 'plans.json', plans);
      const result = await load({ issuerId: REMOVED_PLAN, paths: [goldOnly] });
      expect(result.report).toMatchObject({ carriedForward: ['providers', 'drugs'], droppedWithRemovedPlans: { network_membership: 1, formulary_entry: 1 } });
      expect(await networkStatus(t, [DR_REYES], [gold, silver])).toEqual({
        [`${DR_REYES}@${gold}`]: 'IN_NETWORK',
        [`${DR_REYES}@${silver}`]: 'PLAN_NOT_LOADED',
      });
      expect(await drugStatus(t, [AMLODIPINE], [gold])).toEqual({ [`${AMLODIPINE}@${gold}`]: 'COVERED' });
      const [latest] = await versionsOf(t, REMOVED_PLAN);
      expect(latest.report.droppedWithRemovedPlans).toEqual(
        expect.arrayContaining([
          { name: 'network_membership', count: 1 },
          { name: 'formulary_entry', count: 1 },
        ]),
      );
    });
  });

  describe('a load that removes most of the published data is held for confirmation', () => {
    const inGold = (issuerId: string) => ({ plan_id_type: 'HIOS-PLAN-ID', plan_id: planOf(issuerId, 1), network_tier: 'PREFERRED', years: [2025] });
    const invalidNpis = (issuerId: string) =>
      ['1234567890', '1111111111'].map((npi, i) => ({
        npi,
        type: 'INDIVIDUAL',
        name: { first: 'Bad', last: `Npi${i}` },
        addresses: [{ address: '1 Main St', city: 'Austin', state: 'TX', zip: '78701', phone: '5125550100' }],
        plans: [inGold(issuerId)],
      }));

    it('refuses an empty providers.json, one whose NPIs are all invalid and an empty drugs.json, saying by how much they shrink; nothing changes', async () => {
      const dir = join(tempRoot, SHRINK);
      const files = issuerFixtures(dir, SHRINK);
      const [gold, silver] = [planOf(SHRINK, 1), planOf(SHRINK, 2)];
      const published = await upload(SHRINK, [files['plans.json'], files['providers.json'], files['drugs.json']]);
      expect(published.status).toBe('SUCCEEDED');
      const before = { network: await networkStatus(t, [DR_REYES, DR_KIM], [gold, silver]), drugs: await drugStatus(t, [AMLODIPINE], [gold, silver]) };
      expect(before.network[`${DR_REYES}@${gold}`]).toBe('IN_NETWORK');

      const emptyProviders = await upload(SHRINK, [files['plans.json'], writeJson(join(dir, 'empty'), 'providers.json', []), files['drugs.json']]);
      expect(emptyProviders).toMatchObject({ status: 'FAILED' });
      expect(emptyProviders.error).toContain('100% of the published provider listings (2 → 0)');
      expect(emptyProviders.error).toContain('allowShrink=true');
      const held = await jobReport(emptyProviders.id);
      expect(held.reason).toBe('SHRINK_NEEDS_CONFIRMATION');
      expect(held.report.shrink).toEqual(
        expect.arrayContaining([
          { name: 'providers', before: 2, after: 0, percent: 100 },
          { name: 'networkMemberships', before: 2, after: 0, percent: 100 },
        ]),
      );

      const rejected = await upload(SHRINK, [files['plans.json'], writeJson(join(dir, 'invalid'), 'providers.json', invalidNpis(SHRINK)), files['drugs.json']]);
      expect((await jobReport(rejected.id)).reason).toBe('SHRINK_NEEDS_CONFIRMATION');
      expect(rejected.report.rejectedCount).toBe(2);

      const emptyDrugs = await upload(SHRINK, [files['plans.json'], files['providers.json'], writeJson(join(dir, 'empty'), 'drugs.json', [])]);
      expect((await jobReport(emptyDrugs.id)).reason).toBe('SHRINK_NEEDS_CONFIRMATION');
      expect(emptyDrugs.error).toContain('100% of the published formulary entries (2 → 0)');

      expect(await networkStatus(t, [DR_REYES, DR_KIM], [gold, silver])).toEqual(before.network);
      expect(await drugStatus(t, [AMLODIPINE], [gold, silver])).toEqual(before.drugs);
      const versions = await versionsOf(t, SHRINK);
      expect(versions.map((v) => v.status)).toEqual(['FAILED', 'FAILED', 'FAILED', 'PUBLISHED']);
      expect(versions[0].report.shrink).toEqual([{ name: 'formularyEntries', before: 2, after: 0, percent: 100 }]);
    });

    it('publishes the smaller load when the upload says allowShrink=true, and reports the shrink', async () => {
      const dir = join(tempRoot, SHRINK);
      const files = issuerFixtures(dir, SHRINK);
      const gold = planOf(SHRINK, 1);
      const confirmed = await upload(
        SHRINK,
        [files['plans.json'], writeJson(join(dir, 'empty'), 'providers.json', []), files['drugs.json']],
        '&allowShrink=true',
      );
      expect(confirmed.status).toBe('SUCCEEDED');
      expect((await jobReport(confirmed.id)).report.shrink).toEqual(expect.arrayContaining([{ name: 'providers', before: 2, after: 0, percent: 100 }]));
      expect(['OUT_OF_NETWORK', 'PROVIDER_NOT_FOUND']).toContain((await networkStatus(t, [DR_REYES], [gold]))[`${DR_REYES}@${gold}`]);
    });

    it('the import command holds a shrinking load unless --allow-shrink, and honours IMPORT_MAX_SHRINK_PERCENT', async () => {
      const dir = join(tempRoot, SHRINK_CLI);
      const files = issuerFixtures(dir, SHRINK_CLI);
      const gold = planOf(SHRINK_CLI, 1);
      await load({ issuerId: SHRINK_CLI, paths: [files['plans.json'], files['providers.json'], files['drugs.json']] });
      // One of the two providers goes: 50% is within the default limit, not within 40%.
      const oneProvider = writeJson(dir, 'providers-one.json', JSON.parse(readFileSync(files['providers.json'], 'utf8')).slice(0, 1));
      const error = await failedImport(load({ issuerId: SHRINK_CLI, paths: [files['plans.json'], oneProvider], maxShrinkPercent: 40 }));
      expect(error.code).toBe('SHRINK_NEEDS_CONFIRMATION');
      expect(error.message).toContain('50% of the published provider listings (2 → 1)');
      const result = await load({ issuerId: SHRINK_CLI, paths: [files['plans.json'], oneProvider] });
      expect(result.report.shrink).toMatchObject({ providers: { before: 2, after: 1, percent: 50 } });
      const emptied = await failedImport(load({ issuerId: SHRINK_CLI, paths: [files['plans.json'], writeJson(dir, 'providers-empty.json', [])] }));
      expect(emptied.code).toBe('SHRINK_NEEDS_CONFIRMATION');
      await load({ issuerId: SHRINK_CLI, paths: [files['plans.json'], writeJson(dir, 'providers-empty.json', [])], allowShrink: true });
      expect(['OUT_OF_NETWORK', 'PROVIDER_NOT_FOUND']).toContain((await networkStatus(t, [DR_REYES], [gold]))[`${DR_REYES}@${gold}`]);
    });
  });

  describe('loads of one issuer publish in the order they were accepted', () => {
    it('an older upload that finishes after a newer one was published ends SUPERSEDED and publishes nothing', async () => {
      const files = issuerFixtures(join(tempRoot, ORDERED), ORDERED);
      const gold = planOf(ORDERED, 1);
      const DR_ORTIZ = '1777000021'; // only in the newer providers file
      // The older upload is held just before it publishes, as a big file still loading would be.
      const runner = t.app.get<QhpImportRunner>(QHP_IMPORT_RUNNER);
      const original = runner.import;
      let release!: () => void;
      let reachedPublish!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const atPublish = new Promise<void>((resolve) => (reachedPublish = resolve));
      runner.import = (request) => {
        runner.import = original;
        return original({ ...request, beforePublish: async () => (reachedPublish(), held) });
      };
      try {
        const older = await postUpload(
          t.app.getHttpServer(),
          ORDERED,
          [files['plans.json'], files['providers.json'], files['drugs.json']].map((path) => ({ path })),
          bearer(),
        );
        expect(older.status).toBe(202);
        await atPublish;
        const newer = await upload(ORDERED, [files['plans.json'], files['providers-v2.json'], files['drugs.json']]);
        expect(newer.status).toBe('SUCCEEDED');
        release();
        const olderJob = await waitForJob(t, older.body.jobId, key);
        expect(olderJob.status).toBe('SUPERSEDED');
        expect(olderJob.versionId).toBeLessThan(newer.versionId);
        expect(olderJob.error).toContain(
          `version ${newer.versionId} of issuer ${ORDERED}, accepted after this load (version ${olderJob.versionId}), was published first`,
        );
        expect((await jobReport(older.body.jobId)).reason).toBe('SUPERSEDED');

        expect(await networkStatus(t, [DR_ORTIZ], [gold])).toEqual({ [`${DR_ORTIZ}@${gold}`]: 'IN_NETWORK' });
        const versions = await versionsOf(t, ORDERED);
        expect(versions.map((v) => [v.id, v.status])).toEqual([
          [newer.versionId, 'PUBLISHED'],
          [olderJob.versionId, 'FAILED'],
        ]);
        expect(versions[1].error).toMatch(/^superseded: /);
      } finally {
        runner.import = original;
        release();
      }
    });
  });

  describe('only published versions count toward the versions kept', () => {
    const NETWORK_CHANGES = `query ($planId: String!, $sinceVersionId: Int, $untilVersionId: Int) {
      networkChanges(planId: $planId, sinceVersionId: $sinceVersionId, untilVersionId: $untilVersionId) {
        added dropped fromVersion { versionId } toVersion { versionId } } }`;
    const networkChanges = (variables: Record<string, unknown>) => t.gql(NETWORK_CHANGES, variables);

    it('failed, refused and unchanged loads push no good version out; IMPORT_VERSIONS_KEPT good versions stay comparable', async () => {
      const dir = join(tempRoot, RETAINED);
      const files = issuerFixtures(dir, RETAINED);
      const gold = planOf(RETAINED, 1);
      const v1Files = [files['plans.json'], files['providers.json'], files['drugs.json']];
      const v2Files = [files['plans.json'], files['providers-v2.json'], files['drugs.json']];
      const good1 = await upload(RETAINED, v1Files);
      expect(good1.status).toBe('SUCCEEDED');
      // Two mistakes: a providers file cut short, then an empty one; and the same files again.
      const cut = join(dir, 'cut');
      const truncated = writeJson(cut, 'providers.json', []);
      writeFileSync(truncated, readFileSync(files['providers.json'], 'utf8').slice(0, 200));
      expect((await upload(RETAINED, [files['plans.json'], truncated, files['drugs.json']])).status).toBe('FAILED');
      expect((await upload(RETAINED, [files['plans.json'], writeJson(join(dir, 'empty'), 'providers.json', []), files['drugs.json']])).status).toBe('FAILED');
      expect((await upload(RETAINED, v1Files)).status).toBe('UNCHANGED');
      const good2 = await upload(RETAINED, v2Files);
      expect(good2.status).toBe('SUCCEEDED');

      const latest = await networkChanges({ planId: gold });
      expect(latest.errors).toBeUndefined();
      expect(latest.data.networkChanges).toMatchObject({
        fromVersion: { versionId: good1.versionId },
        toVersion: { versionId: good2.versionId },
        added: 1,
        dropped: 0,
      });

      const good3 = await upload(RETAINED, v1Files);
      expect(good3.status).toBe('SUCCEEDED');
      const between = await networkChanges({ planId: gold, sinceVersionId: good1.versionId, untilVersionId: good2.versionId });
      expect(between.errors).toBeUndefined();
      expect(between.data.networkChanges).toMatchObject({ added: 1, dropped: 0 });

      // A fourth good version: only then does the first one go (KEPT = 3).
      const good4 = await upload(RETAINED, v2Files);
      expect(good4.status).toBe('SUCCEEDED');
      const versions = await versionsOf(t, RETAINED);
      expect(versions.filter((v) => v.status !== 'FAILED').map((v) => v.id)).toEqual([good4.versionId, good3.versionId, good2.versionId]);
      expect(versions.filter((v) => v.status === 'FAILED')).toHaveLength(2);
      const [{ rows }] = await t.db.query(
        `SELECT count(*)::int AS rows FROM provider p JOIN dataset_version v ON v.id = p.version_id WHERE v.issuer_id = $1 AND v.status = 'failed'`,
        [RETAINED],
      );
      expect(rows).toBe(0);
      const stillComparable = await networkChanges({ planId: gold, sinceVersionId: good2.versionId, untilVersionId: good3.versionId });
      expect(stillComparable.errors).toBeUndefined();
      expect(stillComparable.data.networkChanges).toMatchObject({ added: 0, dropped: 1 });
    });
  });

  describe('rollback', () => {
    const ROLLBACK_MUTATION = `mutation ($issuerId: String!, $toVersion: Int) {
      rollbackDataset(issuerId: $issuerId, toVersion: $toVersion) { issuerId previousVersionId publishedVersion { id status } } }`;
    const rollback = (variables: Record<string, unknown>, headers: Record<string, string> = bearer()) => t.gql(ROLLBACK_MUTATION, variables, headers);
    const DR_ORTIZ = '1777000021'; // only in the second version

    it('republishes the previous kept version, or a chosen one, for a key of the issuer; refuses failed, unknown and other issuers’ versions', async () => {
      const dir = join(tempRoot, ROLLBACK);
      const files = issuerFixtures(dir, ROLLBACK);
      const gold = planOf(ROLLBACK, 1);
      const good1 = await upload(ROLLBACK, [files['plans.json'], files['providers.json'], files['drugs.json']]);
      const good2 = await upload(ROLLBACK, [files['plans.json'], files['providers-v2.json'], files['drugs.json']]);
      const refused = await upload(ROLLBACK, [files['plans.json'], writeJson(join(dir, 'empty'), 'providers.json', []), files['drugs.json']]);
      expect([good1.status, good2.status, refused.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'FAILED']);
      expect(await networkStatus(t, [DR_ORTIZ], [gold])).toEqual({ [`${DR_ORTIZ}@${gold}`]: 'IN_NETWORK' });

      const anonymous = await rollback({ issuerId: ROLLBACK }, {});
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const otherKey = (await t.app.get(ApiKeysService).create({ label: 'Another carrier', issuerIds: ['41499'] })).plainKey;
      const forbidden = await rollback({ issuerId: ROLLBACK }, { Authorization: `Bearer ${otherKey}` });
      expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await networkStatus(t, [DR_ORTIZ], [gold])).toEqual({ [`${DR_ORTIZ}@${gold}`]: 'IN_NETWORK' });

      const back = await rollback({ issuerId: ROLLBACK });
      expect(back.errors).toBeUndefined();
      expect(back.data.rollbackDataset).toEqual({
        issuerId: ROLLBACK,
        previousVersionId: good2.versionId,
        publishedVersion: { id: good1.versionId, status: 'PUBLISHED' },
      });
      const afterRollback = await networkStatus(t, [DR_ORTIZ, DR_REYES], [gold]);
      expect(afterRollback[`${DR_REYES}@${gold}`]).toBe('IN_NETWORK');
      // Not in this version's network (OUT_OF_NETWORK, or PROVIDER_NOT_FOUND when no other issuer lists the NPI).
      expect(['OUT_OF_NETWORK', 'PROVIDER_NOT_FOUND']).toContain(afterRollback[`${DR_ORTIZ}@${gold}`]);

      const toFailed = await rollback({ issuerId: ROLLBACK, toVersion: refused.versionId });
      expect(toFailed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'toVersion' } });
      expect(toFailed.errors?.[0].message).toBe(
        `cannot roll issuer ${ROLLBACK} back to version ${refused.versionId}: that load failed and has no rows; its kept versions: ${good2.versionId}, ${good1.versionId} (published)`,
      );
      const unknown = await rollback({ issuerId: ROLLBACK, toVersion: 99_999_999 });
      expect(unknown.errors?.[0].message).toContain('version 99999999: no such version (never loaded, or pruned)');
      const current = await rollback({ issuerId: ROLLBACK, toVersion: good1.versionId });
      expect(current.errors?.[0].message).toBe(`version ${good1.versionId} is already issuer ${ROLLBACK}'s published version`);
      const noEarlier = await rollback({ issuerId: ROLLBACK });
      expect(noEarlier.errors?.[0].message).toContain(`has no kept version before version ${good1.versionId}`);

      // The command line: forward again to the second version.
      expect(() => parseRollbackArguments(['--to-version', '3'])).toThrow(RollbackUsageError);
      const line = await runRollback(t.db, parseRollbackArguments([`--issuer=${ROLLBACK}`, '--to-version', String(good2.versionId)]));
      expect(line).toBe(`issuer ${ROLLBACK}: version ${good2.versionId} is published again (version ${good1.versionId} is superseded)`);
      expect(await networkStatus(t, [DR_ORTIZ], [gold])).toEqual({ [`${DR_ORTIZ}@${gold}`]: 'IN_NETWORK' });
      const versions = await versionsOf(t, ROLLBACK);
      expect(versions.map((v) => [v.id, v.status])).toEqual([
        [refused.versionId, 'FAILED'],
        [good2.versionId, 'PUBLISHED'],
        [good1.versionId, 'SUPERSEDED'],
      ]);
    });
  });
});
