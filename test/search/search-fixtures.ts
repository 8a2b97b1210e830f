import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { isValidNpi } from '../../src/common/identifiers';
import { QhpImporter } from '../../src/ingest/qhp-importer';

/**
 * The search and research fixtures (written by test/search/fixtures/write-fixtures.ts), loaded through the
 * real importer. All plans are in Ohio for plan year 2031, which no other test uses, and the addresses are
 * around Athens, Ohio (ZIP 45701), away from the other tests' Columbus addresses.
 *
 * 66666 Search Test Health: Silver and Bronze. 66667 Research Test Health: Gold and Narrow Silver, loaded
 * as v1 then v2 (v2 is published). 66668 Many Plans Health: 51 plans for 2032.
 */
const SEARCH_FIXTURES = join(__dirname, 'fixtures');
const RESEARCH_FIXTURES = join(__dirname, '..', 'research', 'fixtures');

export const YEAR = 2031;
export const ISSUER = { search: '66666', research: '66667', manyPlans: '66668' } as const;

export const PLAN = {
  silver: '66666OH0010001',
  bronze: '66666OH0010002',
  gold: '66667OH0010001',
  narrow: '66667OH0010002',
  unloaded: '99999OH0010001',
} as const;

/** Valid NPIs (check digit included). 66666 lists the first twelve; 66667 lists John and Jane Smith again. */
export const NPI = {
  /** Family Medicine, Athens 45701; Silver, Bronze (66666) and Gold (66667). Male; English, Spanish. */
  johnSmith: '1666600014',
  /** Internal Medicine, The Plains 45780 (~4 mi); Silver. */
  johnSmithers: '1666600022',
  /** Psychiatry, Albany 45710 (~10 mi); Silver (66666) and Narrow (66667). Female; English. */
  janeSmith: '1666600030',
  /** Psychiatry, Nelsonville 45764 (~12 mi); Silver, Bronze. */
  johnnySmithson: '1666600048',
  /** Pediatrics, Logan 43138 (~22 mi), not accepting; Bronze. */
  maryJones: '1666600055',
  /** Psychiatry, Marietta 45750 (~35 mi); Silver. */
  aliceWalker: '1666600063',
  /** Cardiology, Portsmouth 45662 (~57 mi); Silver, Bronze. */
  robertBrown: '1666600071',
  /** Facility (Hospital), Athens 45701; Silver, Bronze. */
  athensHospital: '1666600089',
  /** Facility (Dialysis), Logan 43138; Silver. */
  dialysis: '1666600097',
  /** Dermatology, Zanesville 43701 (~42 mi) and Guysville 45735 (~11 mi); Silver. */
  emilyChen: '1666600105',
  /** Family Medicine, Chillicothe 45601 (~47 mi); Bronze. */
  davidLee: '1666600113',
  /** "psychiatry" (lower case), Pomeroy 45769 (~18 mi); Bronze. Spanish. */
  sarahMiller: '1666600121',
  /** 66667: Psychiatry, Athens; Gold. */
  karenWhite: '1666700012',
  /** 66667 v1 only: Psychiatry; Gold. Dropped in v2. */
  markDavis: '1666700020',
  /** 66667: Cardiology, Zanesville; Gold, Narrow. */
  paulGreen: '1666700038',
  /** 66667: facility "General Acute Care Hospital", Marietta; Gold. */
  stMaryHospital: '1666700046',
  /** 66667 v2 only: Psychiatry, Albany; Gold. Added in v2. */
  ninaPatel: '1666700053',
} as const;

export const RXCUI = {
  /** GENERIC on Silver, Bronze, Gold, Narrow. 66667 names it "Zentorvastatin Calcium 20 MG Oral Tablet". */
  zentorvastatin: '96600001',
  /** PREFERRED-BRAND on Silver and Gold only. */
  zentorvix: '96600002',
  /** "quellamol 500 MG Oral Tablet [Quellanol]": GENERIC on Silver and Gold, PREFERRED-BRAND on Bronze. */
  quellamol: '96600003',
  /** PREFERRED-BRAND with PA on Silver and Bronze; on Gold in v1 only. */
  varnixaban: '96600004',
  /** SPECIALTY with PA on Silver (+QL), Bronze and Gold (QL added in v2). */
  humbolimab: '96600005',
  /** GENERIC on Silver, Bronze (step therapy), Narrow; Gold: GENERIC in v1, PREFERRED-BRAND in v2. */
  metrazine: '96600006',
  /** PREFERRED-BRAND on Bronze and Narrow; on Gold from v2. */
  crestrix: '96600007',
} as const;

export interface LoadedFixtures {
  /** 66667's two versions, in load order. */
  researchVersions: [number, number];
}

async function importIssuer(importer: QhpImporter, issuerId: string, issuerName: string, indexPath: string): Promise<number> {
  const result = await importer.import({ issuerId, issuerName, paths: [indexPath], source: 'test', loadedBy: 'test' });
  if (result.status === 'failed') throw new Error(`fixture load of ${issuerId} failed: ${JSON.stringify(result.report)}`);
  return result.versionId;
}

/** Loads the three issuers once per test run (test files share one database); later calls only read the versions. */
export async function loadSearchFixtures(db: DataSource): Promise<LoadedFixtures> {
  for (const npi of Object.values(NPI)) if (!isValidNpi(npi)) throw new Error(`fixture NPI ${npi} is invalid`);
  const importer = new QhpImporter(db);
  const published = async (issuerId: string): Promise<number[]> =>
    (await db.query(`SELECT id FROM dataset_version WHERE issuer_id = $1 AND published_at IS NOT NULL ORDER BY published_at, id`, [issuerId])).map(
      (row: { id: number }) => Number(row.id),
    );

  if (!(await published(ISSUER.search)).length) {
    await importIssuer(importer, ISSUER.search, 'Search Test Health', join(SEARCH_FIXTURES, ISSUER.search, 'cms-data-index.json'));
  }
  if (!(await published(ISSUER.manyPlans)).length) {
    await importIssuer(importer, ISSUER.manyPlans, 'Many Plans Health', join(SEARCH_FIXTURES, ISSUER.manyPlans, 'cms-data-index.json'));
  }
  let versions = await published(ISSUER.research);
  if (!versions.length) {
    for (const version of ['v1', 'v2']) {
      await importIssuer(importer, ISSUER.research, 'Research Test Health', join(RESEARCH_FIXTURES, ISSUER.research, version, 'cms-data-index.json'));
    }
    versions = await published(ISSUER.research);
  }
  if (versions.length !== 2) throw new Error(`expected two published versions of ${ISSUER.research}, found ${versions.length}`);
  return { researchVersions: [versions[0], versions[1]] };
}
