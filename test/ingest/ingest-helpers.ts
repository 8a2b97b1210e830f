import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ImportError, ImportRequest } from '../../src/ingest/import-contract';
import { VERSIONED_TABLES } from '../../src/qhp/version-tables';
import { TestApp } from '../helpers/test-app';

export const FIXTURES = join(__dirname, '../fixtures/qhp');
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);

export const GOOD_ISSUER = '55555';
export const GOLD = '55555OH0010001';
export const SILVER = '55555OH0010002';
export const ESSENTIAL = '55555OH0020001';
export const ALICE = '1555550015';
export const BOB = '1555550023';
export const HOSPITAL = '1555550031';
export const TINA = '1555550056'; // rejected: every plan entry has an undefined tier
export const AMLODIPINE = '197361';
export const ATORVASTATIN = '617314';

const NETWORK_QUERY = `query($npis: [String!]!, $plans: [String!]!, $year: Int) {
  networkCoverage(npis: $npis, planIds: $plans, year: $year) { npi planId status reason networkTiers acceptingNewPatients addresses { zip } }
}`;
const DRUG_QUERY = `query($rx: [String!]!, $plans: [String!]!) {
  drugCoverage(rxnormIds: $rx, planIds: $plans) { rxnormId planId status drugTier costSummary costSharing { pharmacyType description } }
}`;

export interface NetworkAnswer {
  npi: string;
  planId: string;
  status: string;
  reason: string | null;
  networkTiers: string[];
  acceptingNewPatients: boolean | null;
  addresses: Array<{ zip: string }>;
}

export interface DrugAnswer {
  rxnormId: string;
  planId: string;
  status: string;
  drugTier: string | null;
  costSummary: string | null;
  costSharing: Array<{ pharmacyType: string; description: string }>;
}

/** The answers, with each answer's network tiers sorted (the API does not order them). */
export async function networkCoverage(app: TestApp, npis: string[], plans: string[], year?: number): Promise<NetworkAnswer[]> {
  const res = await app.gql(NETWORK_QUERY, { npis, plans, year });
  expect(res.errors).toBeUndefined();
  return res.data.networkCoverage.map((answer: NetworkAnswer) => ({ ...answer, networkTiers: [...answer.networkTiers].sort() }));
}

export async function drugCoverage(app: TestApp, rx: string[], plans: string[]): Promise<DrugAnswer[]> {
  const res = await app.gql(DRUG_QUERY, { rx, plans });
  expect(res.errors).toBeUndefined();
  return res.data.drugCoverage;
}

export function answerFor<T extends { planId: string }>(answers: T[], key: (a: T) => boolean): T {
  const found = answers.find(key);
  if (!found) throw new Error('no such answer');
  return found;
}

/** Rows of a version in every carrier-data table (all zero for a failed or aborted load). */
export async function rowsOfVersion(db: DataSource, versionId: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of VERSIONED_TABLES) {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE version_id = $1`, [versionId]);
    counts[table] = row.n;
  }
  return counts;
}

export const NO_ROWS = Object.fromEntries(VERSIONED_TABLES.map((table) => [table, 0]));

export async function currentVersionId(db: DataSource, issuerId: string): Promise<number | null> {
  const [row] = await db.query(`SELECT current_version_id FROM issuer WHERE issuer_id = $1`, [issuerId]);
  return row ? (row.current_version_id === null ? null : Number(row.current_version_id)) : null;
}

export async function versionRow(db: DataSource, versionId: number): Promise<{ status: string; error: string | null } & Record<string, any>> {
  const [row] = await db.query(`SELECT * FROM dataset_version WHERE id = $1`, [versionId]);
  return row;
}

/**
 * Test files share one database, and other suites count every published plan of a state: a suite
 * removes the issuers it loaded (versions and rows cascade) when it ends.
 */
export async function removeIssuers(db: DataSource, issuerIds: string[]): Promise<void> {
  await db.query(`UPDATE issuer SET current_version_id = NULL WHERE issuer_id = ANY($1)`, [issuerIds]);
  await db.query(`DELETE FROM dataset_version WHERE issuer_id = ANY($1)`, [issuerIds]);
  await db.query(`DELETE FROM issuer WHERE issuer_id = ANY($1)`, [issuerIds]);
}

/** Runs an import that must fail as a whole; returns its ImportError. */
export async function failedImport(run: Promise<unknown>): Promise<ImportError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('the import was expected to fail but succeeded');
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function request(overrides: Partial<ImportRequest>): ImportRequest {
  return { issuerId: GOOD_ISSUER, source: 'test', loadedBy: 'jest', ...overrides };
}

/** A providers file of `count` valid providers in the Gold plan, big enough to span many read chunks. */
export function writeManyProviders(path: string, count: number): void {
  const providers = Array.from({ length: count }, (_, i) => ({
    npi: null,
    type: 'INDIVIDUAL',
    name: { first: `First${i}`, last: `Last${i}` },
    addresses: [{ address: `${i} Long Rd`, city: 'Columbus', state: 'OH', zip: '43215', phone: '6145550000' }],
    plans: [{ plan_id_type: 'HIOS-PLAN-ID', plan_id: GOLD, network_tier: 'PREFERRED', years: [2025] }],
  }));
  writeFileSync(path, JSON.stringify(providers, null, 2));
}
