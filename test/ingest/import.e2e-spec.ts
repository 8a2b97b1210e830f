import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportProgress, ImportResult } from '../../src/ingest/import-contract';
import { cleanUpAbandonedLoads, QhpImporter } from '../../src/ingest/qhp-importer';
import { findVersionTables } from '../../src/ingest/store/version-partitions';
import { startTestApp, TestApp } from '../helpers/test-app';
import {
  ALICE,
  AMLODIPINE,
  answerFor,
  ATORVASTATIN,
  BOB,
  currentVersionId,
  drugCoverage,
  ESSENTIAL,
  failedImport,
  fixture,
  GOLD,
  GOOD_ISSUER,
  HOSPITAL,
  networkCoverage,
  NO_ROWS,
  removeIssuers,
  request,
  rowsOfVersion,
  sha256,
  SILVER,
  TINA,
  versionRow,
  writeManyProviders,
} from './ingest-helpers';

describe('QHP import (real importer, answers over GraphQL)', () => {
  let app: TestApp;
  let importer: QhpImporter;
  let goodLoad: ImportResult;

  /** The published answers for issuer 55555 that failed loads must leave exactly as they are. */
  const publishedAnswers = async () => ({
    versionId: await currentVersionId(app.db, GOOD_ISSUER),
    network: await networkCoverage(app, [ALICE, BOB, HOSPITAL, TINA], [GOLD, SILVER, ESSENTIAL]),
    drugs: await drugCoverage(app, [AMLODIPINE, ATORVASTATIN], [GOLD, SILVER, ESSENTIAL]),
  });

  beforeAll(async () => {
    app = await startTestApp();
    importer = new QhpImporter(app.db);
    goodLoad = await importer.import(request({ issuerName: 'Buckeye Health', paths: [fixture('good/cms-data-index.json')] }));
  });

  afterAll(async () => {
    await removeIssuers(app.db, [GOOD_ISSUER, '55501', '55502', '12345']);
    await app.close();
  });

  describe('a good issuer file set (index with absolute URLs)', () => {
    it('publishes a version with the counts of what was loaded', async () => {
      expect(goodLoad.status).toBe('published');
      expect(goodLoad.unchanged).toBe(false);
      expect(goodLoad.counts).toEqual({
        plans: 3,
        drugTiers: 4,
        costSharing: 5,
        providers: 7,
        addresses: 8,
        networkMemberships: 10,
        drugs: 2,
        formularyEntries: 4,
      });
      expect(await currentVersionId(app.db, GOOD_ISSUER)).toBe(goodLoad.versionId);
      const version = await versionRow(app.db, goodLoad.versionId);
      expect(version).toMatchObject({ status: 'published', has_provider_files: true, has_formulary_files: true, source: 'test', loaded_by: 'jest' });
      expect(version.published_at).not.toBeNull();
      expect(version.source_files).toEqual([
        { name: 'plans.json', kind: 'plans', bytes: expect.any(Number), sha256: sha256(fixture('good/plans.json')) },
        { name: 'providers.json', kind: 'providers', bytes: expect.any(Number), sha256: sha256(fixture('good/providers.json')) },
        { name: 'drugs.json', kind: 'drugs', bytes: expect.any(Number), sha256: sha256(fixture('good/drugs.json')) },
      ]);
      const [issuer] = await app.db.query(`SELECT name, state FROM issuer WHERE issuer_id = $1`, [GOOD_ISSUER]);
      expect(issuer).toEqual({ name: 'Buckeye Health', state: 'OH' });
    });

    it('answers "is my doctor in network?" per provider and plan', async () => {
      const answers = await networkCoverage(app, [ALICE, BOB, HOSPITAL, TINA], [GOLD, SILVER, ESSENTIAL]);
      const at = (npi: string, planId: string) => answerFor(answers, (a) => a.npi === npi && a.planId === planId);
      expect(at(ALICE, GOLD)).toEqual({
        npi: ALICE,
        planId: GOLD,
        status: 'IN_NETWORK',
        reason: null,
        networkTiers: ['PREFERRED'],
        acceptingNewPatients: true,
        addresses: [{ zip: '43215' }],
      });
      expect(at(ALICE, SILVER)).toMatchObject({ status: 'IN_NETWORK', networkTiers: ['PREFERRED'] });
      // A plan of the 2015 shape (no years) and a plan entry without years.
      expect(at(ALICE, ESSENTIAL)).toMatchObject({ status: 'IN_NETWORK', networkTiers: ['TIER-1'] });
      expect(at(BOB, GOLD)).toMatchObject({
        status: 'IN_NETWORK',
        networkTiers: ['NON-PREFERRED'],
        acceptingNewPatients: false,
        addresses: [{ zip: '43201' }, { zip: '45402' }],
      });
      // Bob's other plan entries were rejected (unknown tier, unknown plan, other issuer).
      expect(at(BOB, SILVER)).toMatchObject({ status: 'OUT_OF_NETWORK', networkTiers: [] });
      expect(at(HOSPITAL, SILVER)).toMatchObject({ status: 'IN_NETWORK', networkTiers: ['PREFERRED'], acceptingNewPatients: null });
      expect(at(HOSPITAL, ESSENTIAL)).toMatchObject({ status: 'OUT_OF_NETWORK' });
      expect(at(TINA, GOLD)).toMatchObject({ status: 'UNKNOWN', reason: 'PROVIDER_NOT_FOUND' });
    });

    it('answers by plan year: the Silver plan is loaded for 2025 only', async () => {
      const [silver2026, gold2026] = await networkCoverage(app, [ALICE], [SILVER, GOLD], 2026);
      expect(silver2026).toMatchObject({ planId: SILVER, status: 'UNKNOWN', reason: 'YEAR_NOT_REPORTED' });
      expect(gold2026).toMatchObject({ planId: GOLD, status: 'IN_NETWORK' });
    });

    it('answers "what will my drug cost?" with tier and cost sharing', async () => {
      const answers = await drugCoverage(app, [AMLODIPINE, ATORVASTATIN], [GOLD, SILVER, ESSENTIAL]);
      const at = (rx: string, planId: string) => answerFor(answers, (a) => a.rxnormId === rx && a.planId === planId);
      expect(at(AMLODIPINE, GOLD)).toEqual({
        rxnormId: AMLODIPINE,
        planId: GOLD,
        status: 'COVERED',
        drugTier: 'GENERIC',
        costSummary: '$10 copay after deductible, 30-day retail',
        costSharing: [
          { pharmacyType: '1-MONTH-IN-RETAIL', description: '$10 copay after deductible, 30-day retail' },
          { pharmacyType: '3-MONTH-IN-MAIL', description: '$25 copay after deductible, 90-day mail order' },
        ],
      });
      // Added by a later record that reuses the RXCUI under another name.
      expect(at(AMLODIPINE, ESSENTIAL)).toMatchObject({ status: 'COVERED', drugTier: 'BASIC', costSummary: '$5 copay after deductible, 30-day retail' });
      // The rejected cost-sharing entry (pharmacy type "1-MONTH-RETAIL") is not there.
      expect(at(ATORVASTATIN, GOLD)).toMatchObject({
        status: 'COVERED',
        drugTier: 'PREFERRED-BRAND',
        costSummary: '20% coinsurance before deductible, 30-day retail',
        costSharing: [{ pharmacyType: '1-MONTH-IN-RETAIL', description: '20% coinsurance before deductible, 30-day retail' }],
      });
      // Its Silver entry named the undefined tier BRAND: rejected, so not on the formulary.
      expect(at(ATORVASTATIN, SILVER)).toMatchObject({ status: 'NOT_COVERED', drugTier: null });
    });

    it('reports each rejected record and entry with file, record, JSON path and reason', () => {
      const { report } = goodLoad;
      expect(report.rejectedByReason).toEqual({
        WRONG_ISSUER: 2,
        INVALID_ENUM: 1,
        UNKNOWN_NETWORK_TIER: 3,
        UNKNOWN_PLAN: 1,
        INVALID_NPI: 1,
        NO_VALID_PLAN_ENTRIES: 1,
        MISSING_FIELD: 1,
        INVALID_ZIP: 1,
        NO_VALID_ADDRESSES: 1,
        INVALID_TYPE: 1,
        INVALID_YEARS: 1,
        UNKNOWN_DRUG_TIER: 1,
        INVALID_RXCUI: 1,
        DUPLICATE_FORMULARY_ENTRY: 1,
      });
      expect(report.rejected).toEqual({ plans: 1, costSharing: 1, networkMemberships: 6, providers: 5, addresses: 1, formularyEntries: 2, drugs: 1 });
      const paths = (reason: string) => report.samples[reason].map((s) => `${s.file} #${s.recordIndex} ${s.path}`);
      expect(paths('WRONG_ISSUER')).toEqual(['plans.json #3 $[3].plan_id', 'providers.json #1 $[1].plans[3].plan_id']);
      expect(paths('INVALID_ENUM')).toEqual(['plans.json #0 $[0].formulary[1].cost_sharing[1].pharmacy_type']);
      expect(paths('UNKNOWN_NETWORK_TIER')).toEqual([
        'providers.json #1 $[1].plans[1].network_tier',
        'providers.json #6 $[6].plans[0].network_tier',
        'providers.json #6 $[6].plans[1].network_tier',
      ]);
      expect(paths('UNKNOWN_PLAN')).toEqual(['providers.json #1 $[1].plans[2].plan_id']);
      expect(paths('INVALID_NPI')).toEqual(['providers.json #5 $[5].npi']);
      expect(paths('NO_VALID_PLAN_ENTRIES')).toEqual(['providers.json #6 $[6].plans']);
      expect(paths('MISSING_FIELD')).toEqual(['providers.json #7 $[7].name.last']);
      expect(paths('INVALID_ZIP')).toEqual(['providers.json #8 $[8].addresses[0].zip']);
      expect(paths('NO_VALID_ADDRESSES')).toEqual(['providers.json #8 $[8].addresses']);
      expect(paths('INVALID_TYPE')).toEqual(['providers.json #9 $[9].type']);
      expect(paths('INVALID_YEARS')).toEqual(['providers.json #11 $[11].plans[0].years[0]']);
      expect(paths('UNKNOWN_DRUG_TIER')).toEqual(['drugs.json #1 $[1].plans[1].drug_tier']);
      expect(paths('INVALID_RXCUI')).toEqual(['drugs.json #2 $[2].rxnorm_id']);
      expect(paths('DUPLICATE_FORMULARY_ENTRY')).toEqual(['drugs.json #3 $[3].plans[0].plan_id']);

      const message = (reason: string) => report.samples[reason][0].message;
      expect(message('UNKNOWN_NETWORK_TIER')).toBe(`network tier "GOLD-TIER" is not defined by plan ${GOLD} (its tiers: PREFERRED, NON-PREFERRED)`);
      expect(message('UNKNOWN_DRUG_TIER')).toBe(`drug tier "BRAND" is not in the formulary of plan ${SILVER} (its tiers: GENERIC)`);
      expect(message('INVALID_NPI')).toBe('NPI "1234567890" fails the NPI check digit (Luhn)');
      expect(message('UNKNOWN_PLAN')).toBe('plan 55555OH0099999 is not in the plans file of this load');

      expect(report.warningsByReason).toEqual({ ZIP_PLUS_FOUR: 1, MISSING_NPI: 1, DUPLICATE_RXCUI: 1 });
      expect(report.warnings.map((w) => `${w.reason} ${w.path}: ${w.message}`)).toEqual([
        'ZIP_PLUS_FOUR $[0].addresses[0].zip: ZIP+4 "43215-1234" stored as 43215',
        'MISSING_NPI $[4].npi: provider has no NPI: it is listed but cannot be found by NPI',
        'DUPLICATE_RXCUI $[3].rxnorm_id: RXCUI 197361 is named "Norvasc 5 MG Oral Tablet" here but "Amlodipine 5 MG Oral Tablet" in drugs.json record 0: keeping "Amlodipine 5 MG Oral Tablet"',
      ]);
    });

    it('stores normalized listings: display names, both specialty spellings, geocoded ZIP centroids, metal levels', async () => {
      const providers = await app.db.query(
        `SELECT npi, type, display_name, specialties, facility_types, accepting, gender, languages, last_updated_on
           FROM provider WHERE version_id = $1 ORDER BY record_no`,
        [goodLoad.versionId],
      );
      expect(providers.map((p: any) => [p.npi, p.type, p.display_name])).toEqual([
        [ALICE, 'INDIVIDUAL', 'Alice Q. Carter Jr.'],
        [BOB, 'INDIVIDUAL', 'Bob Baker'],
        [HOSPITAL, 'FACILITY', 'Columbus General Hospital'],
        ['1555550049', 'GROUP', 'Central Ohio Pediatrics Group'],
        [null, 'INDIVIDUAL', 'Nora Nonpi'],
        ['1555550098', 'INDIVIDUAL', 'Gina Geo'],
        ['1555550106', 'INDIVIDUAL', 'Yuri Yearly'],
      ]);
      expect(providers[0]).toMatchObject({
        specialties: ['Cardiology', 'Internal Medicine'],
        accepting: 'accepting',
        gender: 'Female',
        languages: ['English', 'Spanish'],
        last_updated_on: '2025-01-10',
      });
      expect(providers[1].specialties).toEqual(['Family Medicine']);
      expect(providers[2].facility_types).toEqual(['Hospital', 'Emergency']);

      const addresses = await app.db.query(
        `SELECT p.npi, a.address_no, a.address_2, a.state, a.zip, a.latitude, a.longitude
           FROM provider_address a JOIN provider p USING (version_id, record_no)
          WHERE a.version_id = $1 AND p.npi = ANY($2) ORDER BY p.record_no, a.address_no`,
        [goodLoad.versionId, [ALICE, BOB, '1555550098']],
      );
      expect(addresses).toEqual([
        { npi: ALICE, address_no: 0, address_2: 'Suite 300', state: 'OH', zip: '43215', latitude: 39.9671, longitude: -83.0044 },
        { npi: BOB, address_no: 0, address_2: null, state: 'OH', zip: '43201', latitude: 39.9952, longitude: -83.0047 },
        { npi: BOB, address_no: 1, address_2: null, state: 'OH', zip: '45402', latitude: 39.7563, longitude: -84.1895 },
        // The file's own coordinates win over the ZIP centroid.
        { npi: '1555550098', address_no: 0, address_2: null, state: 'OH', zip: '44113', latitude: 41.4822, longitude: -81.6697 },
      ]);

      const plans = await app.db.query(`SELECT plan_id, metal_level, years, network_tiers, state FROM plan WHERE version_id = $1 ORDER BY plan_id`, [
        goodLoad.versionId,
      ]);
      expect(plans).toEqual([
        { plan_id: GOLD, metal_level: 'Gold', years: [2025, 2026], network_tiers: ['PREFERRED', 'NON-PREFERRED'], state: 'OH' },
        { plan_id: SILVER, metal_level: 'Silver', years: [2025], network_tiers: ['PREFERRED'], state: 'OH' },
        { plan_id: ESSENTIAL, metal_level: null, years: [], network_tiers: ['TIER-1'], state: 'OH' },
      ]);
      // Alice's repeated (Gold, PREFERRED) entry is stored once.
      const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM network_membership WHERE version_id = $1 AND npi = $2`, [goodLoad.versionId, ALICE]);
      expect(n).toBe(3);
    });

    it('re-loading the same files returns "unchanged" with the published version and creates no version', async () => {
      const [{ before }] = await app.db.query(`SELECT count(*)::int AS before FROM dataset_version WHERE issuer_id = $1`, [GOOD_ISSUER]);
      const again = await importer.import(request({ paths: [fixture('good/cms-data-index.json')] }));
      expect(again).toMatchObject({ status: 'unchanged', unchanged: true, versionId: goodLoad.versionId, counts: goodLoad.counts });
      expect(again.report.rejectedByReason).toEqual(goodLoad.report.rejectedByReason);
      const [{ after }] = await app.db.query(`SELECT count(*)::int AS after FROM dataset_version WHERE issuer_id = $1`, [GOOD_ISSUER]);
      expect(after).toBe(before);
      expect(await currentVersionId(app.db, GOOD_ISSUER)).toBe(goodLoad.versionId);
    });
  });

  describe('the official CMS example files (issuer 12345)', () => {
    let official: ImportResult;

    beforeAll(async () => {
      official = await importer.import(request({ issuerId: '12345', paths: [fixture('official/cms-data-index.json')] }));
    });

    // Other suites use 1234567893 as "listed in no directory".
    afterAll(() => removeIssuers(app.db, ['12345']));

    it('loads the valid part and reports the invalid NPIs, the undefined BRAND tier and the reused RXCUIs', () => {
      expect(official.status).toBe('published');
      expect(official.counts).toEqual({
        plans: 3,
        drugTiers: 4,
        costSharing: 8,
        providers: 1,
        addresses: 1,
        networkMemberships: 4,
        drugs: 2,
        formularyEntries: 5,
      });
      const { report } = official;
      expect(report.rejectedByReason).toEqual({ INVALID_NPI: 2, UNKNOWN_DRUG_TIER: 3, NO_VALID_PLAN_ENTRIES: 2, DUPLICATE_FORMULARY_ENTRY: 2 });
      // 1234567893 has a valid check digit; 1234567892 and 1234567891 do not.
      expect(report.samples.INVALID_NPI.map((s) => [s.file, s.recordIndex, s.path, s.message])).toEqual([
        ['providers.json', 1, '$[1].npi', 'NPI "1234567892" fails the NPI check digit (Luhn)'],
        ['providers.json', 2, '$[2].npi', 'NPI "1234567891" fails the NPI check digit (Luhn)'],
      ]);
      expect(report.samples.UNKNOWN_DRUG_TIER.map((s) => [s.file, s.recordIndex, s.path, s.message])).toEqual([
        ['drugs-2.json', 0, '$[0].plans[0].drug_tier', 'drug tier "BRAND" is not in the formulary of plan 12345XX9876543 (its tiers: GENERIC, PREFERRED)'],
        ['drugs-2.json', 0, '$[0].plans[1].drug_tier', 'drug tier "BRAND" is not in the formulary of plan 12345XX9876542 (its tiers: GENERIC)'],
        ['drugs-2.json', 0, '$[0].plans[2].drug_tier', 'drug tier "BRAND" is not in the formulary of plan 12345XX9876541 (its tiers: GENERIC)'],
      ]);
      expect(report.samples.DUPLICATE_FORMULARY_ENTRY.map((s) => s.path)).toEqual(['$[1].plans[0].plan_id', '$[1].plans[1].plan_id']);
      expect(report.warnings.map((w) => [w.reason, w.file, w.path, w.message])).toEqual([
        [
          'DUPLICATE_RXCUI',
          'drugs-2.json',
          '$[0].rxnorm_id',
          'RXCUI 209459 is named "Lialda 1.2 mg tablet" here but "Acetaminophen 500 MG Oral Tablet [Tylenol]" in drugs-1.json record 0: keeping "Acetaminophen 500 MG Oral Tablet [Tylenol]"',
        ],
        [
          'DUPLICATE_RXCUI',
          'drugs-2.json',
          '$[1].rxnorm_id',
          'RXCUI 248656 is named "Mesalamine 200 mg tablet" here but "Azithromycin 500 MG Oral Tablet [Zithromax]" in drugs-1.json record 1: keeping "Azithromycin 500 MG Oral Tablet [Zithromax]"',
        ],
      ]);
    });

    it('answers both questions from the official data', async () => {
      const network = await networkCoverage(app, ['1234567893'], ['12345XX9876543', '12345XX9876541']);
      expect(network).toEqual([
        {
          npi: '1234567893',
          planId: '12345XX9876543',
          status: 'IN_NETWORK',
          reason: null,
          networkTiers: ['NON-PREFERRED', 'PREFERRED'],
          acceptingNewPatients: false,
          addresses: [{ zip: '10003' }],
        },
        { npi: '1234567893', planId: '12345XX9876541', status: 'OUT_OF_NETWORK', reason: null, networkTiers: [], acceptingNewPatients: null, addresses: [] },
      ]);
      const drugs = await drugCoverage(app, ['209459', '248656'], ['12345XX9876541']);
      // Acetaminophen keeps its GENERIC tier from drugs-1.json (drugs-2.json's BRAND entry was rejected);
      // Azithromycin is listed for the 43 and 42 plans only.
      expect(drugs.map((d) => [d.rxnormId, d.status, d.drugTier, d.costSummary])).toEqual([
        ['209459', 'COVERED', 'GENERIC', '$20 copay after deductible plus 10% coinsurance before deductible, 30-day retail'],
        ['248656', 'NOT_COVERED', null, null],
      ]);
      const names = await app.db.query(`SELECT rxnorm_id, drug_name FROM drug WHERE version_id = $1 ORDER BY rxnorm_id`, [official.versionId]);
      expect(names).toEqual([
        { rxnorm_id: '209459', drug_name: 'Acetaminophen 500 MG Oral Tablet [Tylenol]' },
        { rxnorm_id: '248656', drug_name: 'Azithromycin 500 MG Oral Tablet [Zithromax]' },
      ]);
    });
  });

  describe('whole-load failures: a clear message, a failed version without rows, the published version untouched', () => {
    const plansFile = { path: fixture('good/plans.json'), kind: 'plans' as const };

    const cases: Array<[string, () => Parameters<QhpImporter['import']>[0], string, RegExp]> = [
      [
        'a providers file that is not JSON',
        () => request({ files: [plansFile, { path: fixture('bad/providers-not-json.json'), name: 'providers.json', kind: 'providers' }] }),
        'NOT_JSON',
        /^providers\.json is not JSON: unexpected '<' at byte 0 \(expected '\['\)$/,
      ],
      [
        'an object at the top of providers.json',
        () => request({ files: [plansFile, { path: fixture('bad/providers-object.json'), kind: 'providers' }] }),
        'NOT_AN_ARRAY',
        /^providers-object\.json: expected a JSON array \('\['\) at the top level, found an object \('\{'\) at byte 0$/,
      ],
      [
        'a truncated providers file',
        () => request({ files: [plansFile, { path: fixture('bad/providers-truncated.json'), kind: 'providers' }] }),
        'TRUNCATED_JSON',
        /^providers-truncated\.json is truncated: it ends at byte 3000 inside record 2 \(which starts at byte \d+\)$/,
      ],
      [
        'a truncated drugs file, after the providers were copied',
        () =>
          request({
            files: [plansFile, { path: fixture('good/providers.json'), kind: 'providers' }, { path: fixture('bad/drugs-truncated.json'), kind: 'drugs' }],
          }),
        'TRUNCATED_JSON',
        /^drugs-truncated\.json is truncated: it ends at byte 1000 after 2 records, without the closing ']' of the array$/,
      ],
      [
        'plans of another issuer',
        () =>
          request({
            files: [
              { path: fixture('bad/plans-wrong-issuer.json'), kind: 'plans' },
              { path: fixture('good/providers.json'), kind: 'providers' },
            ],
          }),
        'WRONG_ISSUER',
        /^plans-wrong-issuer\.json: none of the 3 plans belongs to issuer 55555; they belong to issuer 66666$/,
      ],
      [
        'an empty plans list',
        () =>
          request({
            files: [
              { path: fixture('bad/plans-empty.json'), kind: 'plans' },
              { path: fixture('good/providers.json'), kind: 'providers' },
            ],
          }),
        'EMPTY_PLANS',
        /^plans-empty\.json: the plans list is empty; a load needs at least one plan$/,
      ],
      [
        'an index without provider_urls',
        () => request({ paths: [fixture('bad/cms-data-index-no-providers.json')] }),
        'INVALID_INDEX',
        /cms-data-index-no-providers\.json: provider_urls is missing \(expected an array of file URLs\)$/,
      ],
      [
        'a file over maxFileBytes',
        () => request({ maxFileBytes: 4096, paths: [fixture('good/cms-data-index.json')] }),
        'FILE_TOO_LARGE',
        /^providers\.json is 8\.2 KB: the limit is 4\.0 KB$/,
      ],
      [
        'a missing file',
        () => request({ files: [plansFile, { path: fixture('bad/no-such-providers.json'), kind: 'providers' }] }),
        'FILE_NOT_FOUND',
        /^no-such-providers\.json: no such file/,
      ],
    ];

    it.each(cases)('%s', async (_name, makeRequest, code, message) => {
      const before = await publishedAnswers();
      const error = await failedImport(importer.import(makeRequest()));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.versionId).toEqual(expect.any(Number));
      const failed = await versionRow(app.db, error.versionId!);
      expect(failed.status).toBe('failed');
      expect(failed.error).toBe(error.message);
      expect(failed.published_at).toBeNull();
      expect(await rowsOfVersion(app.db, error.versionId!)).toEqual(NO_ROWS);
      expect((await findVersionTables(app.db)).get(error.versionId!)).toBeUndefined();
      expect(await publishedAnswers()).toEqual(before);
    });

    it('refuses an issuer outside allowedIssuerIds before touching the database', async () => {
      const [{ before }] = await app.db.query(`SELECT count(*)::int AS before FROM dataset_version`);
      const error = await failedImport(importer.import(request({ allowedIssuerIds: ['55556'], paths: [fixture('good/cms-data-index.json')] })));
      expect(error.code).toBe('WRONG_ISSUER');
      expect(error.message).toBe('not allowed to load issuer 55555 (allowed: 55556)');
      const [{ after }] = await app.db.query(`SELECT count(*)::int AS after FROM dataset_version`);
      expect(after).toBe(before);
    });

    it('reports bad NPIs one by one and loads the valid records of the file', async () => {
      const before = await publishedAnswers();
      // Most of the published listings go: confirmed, as a carrier would after the first refusal.
      const result = await importer.import(
        request({ files: [plansFile, { path: fixture('bad/providers-bad-npis.json'), kind: 'providers' }], allowShrink: true }),
      );
      expect(result.report.samples.INVALID_NPI.map((s) => [s.path, s.message])).toEqual([
        ['$[0].npi', 'NPI "123" must be exactly 10 digits'],
        ['$[1].npi', 'NPI "12345678AB" must be exactly 10 digits'],
        ['$[2].npi', 'NPI "1234567892" fails the NPI check digit (Luhn)'],
      ]);
      // The valid one, and 1555550114 given as a JSON number (read as its digits).
      expect(result.counts.providers).toBe(2);
      expect(await currentVersionId(app.db, GOOD_ISSUER)).toBe(result.versionId);
      // Put the good set back for the tests below: same answers as before.
      const restored = await importer.import(request({ paths: [fixture('good/cms-data-index.json')] }));
      expect(restored.status).toBe('published');
      expect(await publishedAnswers()).toEqual({ ...before, versionId: restored.versionId });
    });
  });

  describe('aborting a load', () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ingest-abort-'));
      copyFileSync(fixture('good/plans.json'), join(dir, 'plans.json'));
      writeManyProviders(join(dir, 'providers.json'), 4000);
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const abortedLoad = async (abortWhen: (progress: ImportProgress) => boolean) => {
      const before = await publishedAnswers();
      const controller = new AbortController();
      const seen: ImportProgress[] = [];
      const error = await failedImport(
        importer.import(
          request({
            paths: [join(dir, 'plans.json'), join(dir, 'providers.json')],
            signal: controller.signal,
            onProgress: (progress) => {
              seen.push(progress);
              if (abortWhen(progress)) controller.abort();
            },
          }),
        ),
      );
      expect(error.code).toBe('ABORTED');
      expect(error.message).toBe('import aborted: nothing of it was published');
      const version = await versionRow(app.db, error.versionId!);
      expect(version).toMatchObject({ status: 'failed', error: error.message, published_at: null });
      expect(await rowsOfVersion(app.db, error.versionId!)).toEqual(NO_ROWS);
      expect(await publishedAnswers()).toEqual(before);
      return seen;
    };

    it('after the first progress callback: nothing published, no rows of the version', async () => {
      const seen = await abortedLoad(() => true);
      expect(seen).toHaveLength(1);
    });

    it('in the middle of the providers file (plans already copied): nothing published, no rows left', async () => {
      const seen = await abortedLoad((p) => p.file === 'providers.json' && p.recordsRead > 1000);
      const last = seen[seen.length - 1];
      expect(last.recordsRead).toBeGreaterThan(1000);
      expect(last.bytesRead).toBeLessThan(last.bytesTotal);
    });
  });

  describe('CSV files (issuer 55501)', () => {
    let csvLoad: ImportResult;

    beforeAll(async () => {
      csvLoad = await importer.import(
        request({
          issuerId: '55501',
          paths: [fixture('csv/plans.json'), fixture('csv/providers.csv'), fixture('csv/drugs.csv')],
        }),
      );
    });

    it('loads providers grouped from rows, with repeated addresses and memberships merged', async () => {
      expect(csvLoad.status).toBe('published');
      expect(csvLoad.counts).toMatchObject({ providers: 2, addresses: 3, networkMemberships: 3, drugs: 2, formularyEntries: 2 });
      const answers = await networkCoverage(app, ['1555010010', '1555010036', '1555010028'], ['55501OH0010001']);
      expect(answers).toEqual([
        {
          npi: '1555010010',
          planId: '55501OH0010001',
          status: 'IN_NETWORK',
          reason: null,
          networkTiers: ['NON-PREFERRED', 'PREFERRED'],
          acceptingNewPatients: true,
          addresses: [{ zip: '43215' }, { zip: '45402' }],
        },
        {
          npi: '1555010036',
          planId: '55501OH0010001',
          status: 'IN_NETWORK',
          reason: null,
          networkTiers: ['PREFERRED'],
          acceptingNewPatients: false,
          addresses: [{ zip: '44308' }],
        },
        {
          npi: '1555010028',
          planId: '55501OH0010001',
          status: 'UNKNOWN',
          reason: 'PROVIDER_NOT_FOUND',
          networkTiers: [],
          acceptingNewPatients: null,
          addresses: [],
        },
      ]);
      const [carla] = await app.db.query(`SELECT display_name, specialties, languages FROM provider WHERE version_id = $1 AND npi = '1555010010'`, [
        csvLoad.versionId,
      ]);
      expect(carla).toEqual({ display_name: 'Carla Csv', specialties: ['Pediatrics', 'Adolescent Medicine'], languages: ['English', 'French'] });
    });

    it('reports problems by row and column', () => {
      const where = (reason: string) => csvLoad.report.samples[reason].map((s) => `${s.file} ${s.path}`);
      expect(where('INVALID_ZIP')).toEqual(['providers.csv row 5 column zip']);
      expect(where('NO_VALID_ADDRESSES')).toEqual(['providers.csv row 5 column address']);
      expect(where('UNKNOWN_NETWORK_TIER')).toEqual(['providers.csv row 6 column network_tier']);
      expect(where('UNKNOWN_DRUG_TIER')).toEqual(['drugs.csv row 4 column drug_tier']);
      expect(csvLoad.report.warnings.map((w) => `${w.reason} ${w.path}`)).toEqual(['ZIP_PLUS_FOUR row 3 column zip']);
    });

    it('answers drug questions from drugs.csv', async () => {
      const drugs = await drugCoverage(app, [ATORVASTATIN, '617315'], ['55501OH0010001']);
      expect(drugs.map((d) => [d.rxnormId, d.status, d.drugTier, d.costSummary])).toEqual([
        [ATORVASTATIN, 'COVERED', 'BRAND', '30% coinsurance after deductible, 30-day retail'],
        ['617315', 'NOT_COVERED', null, null],
      ]);
      const [entry] = await app.db.query(`SELECT prior_authorization, step_therapy, years FROM formulary_entry WHERE version_id = $1 AND rxnorm_id = $2`, [
        csvLoad.versionId,
        ATORVASTATIN,
      ]);
      expect(entry).toEqual({ prior_authorization: true, step_therapy: false, years: [2025, 2026] });
    });
  });

  describe('versions', () => {
    it('a new load supersedes the published one atomically and the answers follow it', async () => {
      const previous = await currentVersionId(app.db, GOOD_ISSUER);
      const v2 = await importer.import(request({ paths: [fixture('good-v2/cms-data-index.json')] }));
      expect(v2.status).toBe('published');
      expect((await versionRow(app.db, previous!)).status).toBe('superseded');
      expect(await currentVersionId(app.db, GOOD_ISSUER)).toBe(v2.versionId);
      const answers = await networkCoverage(app, [ALICE, BOB, HOSPITAL], [SILVER, GOLD]);
      const at = (npi: string, planId: string) => answerFor(answers, (a) => a.npi === npi && a.planId === planId);
      expect(at(ALICE, SILVER)).toMatchObject({ status: 'OUT_OF_NETWORK' });
      expect(at(ALICE, GOLD)).toMatchObject({ status: 'IN_NETWORK' });
      expect(at(BOB, GOLD)).toMatchObject({ status: 'IN_NETWORK', acceptingNewPatients: true });
      expect(at(HOSPITAL, GOLD)).toMatchObject({ status: 'UNKNOWN', reason: 'PROVIDER_NOT_FOUND' });
    });

    it('keeps the 5 newest non-failed versions of an issuer and deletes older ones with their rows', async () => {
      const published: number[] = [];
      for (let i = 0; i < 6; i++) {
        const index = i % 2 === 0 ? 'good/cms-data-index.json' : 'good-v2/cms-data-index.json';
        const result = await importer.import(request({ paths: [fixture(index)] }));
        expect(result.status).toBe('published');
        published.push(result.versionId);
      }
      const kept = await app.db.query(`SELECT id FROM dataset_version WHERE issuer_id = $1 AND status IN ('published', 'superseded') ORDER BY id`, [
        GOOD_ISSUER,
      ]);
      expect(kept.map((row: { id: number }) => Number(row.id))).toEqual(published.slice(-5));
      for (const pruned of [published[0], goodLoad.versionId]) {
        expect(await versionRow(app.db, pruned)).toBeUndefined();
        expect(await rowsOfVersion(app.db, pruned)).toEqual(NO_ROWS);
      }
    });

    it('two concurrent loads of one issuer both finish and exactly one version is published', async () => {
      const results = await Promise.all([
        importer.import(request({ paths: [fixture('good/cms-data-index.json')] })),
        importer.import(request({ paths: [fixture('good-v2/cms-data-index.json')] })),
      ]);
      const current = await currentVersionId(app.db, GOOD_ISSUER);
      expect(results.map((r) => r.versionId)).toContain(current);
      const [{ n }] = await app.db.query(`SELECT count(*)::int AS n FROM dataset_version WHERE issuer_id = $1 AND status = 'published'`, [GOOD_ISSUER]);
      expect(n).toBe(1);
    });
  });

  describe('cleanUpAbandonedLoads', () => {
    it('fails loads whose heartbeat stopped and drops their rows, leaving live loads alone', async () => {
      const issuerId = '55502';
      await app.db.query(`INSERT INTO issuer (issuer_id, name) VALUES ($1, 'Abandoned Test') ON CONFLICT DO NOTHING`, [issuerId]);
      const insertVersion = async (heartbeatAgo: string): Promise<number> => {
        const [row] = await app.db.query(
          `INSERT INTO dataset_version (issuer_id, status, heartbeat_at) VALUES ($1, 'loading', now() - $2::interval) RETURNING id`,
          [issuerId, heartbeatAgo],
        );
        const id = Number(row.id);
        await app.db.query(
          `INSERT INTO plan (version_id, plan_id, issuer_id, state, plan_id_type, marketing_name) VALUES ($1, '55502OH0010001', $2, 'OH', 'HIOS-PLAN-ID', 'Half-loaded')`,
          [id, issuerId],
        );
        return id;
      };
      const dead = await insertVersion('10 minutes');
      const live = await insertVersion('1 second');

      const { failedVersionIds } = await cleanUpAbandonedLoads(app.db, 60_000);
      expect(failedVersionIds).toEqual([dead]);
      expect(await versionRow(app.db, dead)).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^abandoned: the load stopped sending heartbeats/),
      });
      expect(await rowsOfVersion(app.db, dead)).toEqual(NO_ROWS);
      expect((await versionRow(app.db, live)).status).toBe('loading');
      expect((await rowsOfVersion(app.db, live)).plan).toBe(1);
      await app.db.query(`DELETE FROM dataset_version WHERE id = $1`, [live]);
    });
  });
});
