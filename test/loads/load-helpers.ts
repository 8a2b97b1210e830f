import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES as UPLOAD_FIXTURES } from '../uploads/upload-helpers';
import type { TestApp } from '../helpers/test-app';

/** The upload fixtures (issuer 77777, Texas) rewritten for another issuer, so each test owns its issuer. */
export function issuerFixtures(dir: string, issuerId: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  for (const [name, source] of [
    ['plans.json', 'v1/plans.json'],
    ['providers.json', 'v1/providers.json'],
    ['drugs.json', 'v1/drugs.json'],
    ['providers-v2.json', 'v2/providers-1.json'],
  ]) {
    const path = join(dir, name);
    writeFileSync(path, readFileSync(join(UPLOAD_FIXTURES, source), 'utf8').replaceAll('77777', issuerId));
    files[name] = path;
  }
  return files;
}

/** Writes `records` as a JSON file named `name` in `dir`. */
export function writeJson(dir: string, name: string, records: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(records));
  return path;
}

export const planOf = (issuerId: string, n: 1 | 2): string => `${issuerId}TX001000${n}`;
export const DR_REYES = '1777000005'; // Gold (plan 1)
export const DR_KIM = '1777000013'; // Silver (plan 2)
export const AMLODIPINE = '197361'; // both plans

/** Status per `npi@plan` for the network question. */
export async function networkStatus(t: TestApp, npis: string[], planIds: string[]): Promise<Record<string, string>> {
  const response = await t.gql(
    `query ($npis: [String!]!, $planIds: [String!]!) { networkCoverage(npis: $npis, planIds: $planIds) { npi planId status reason } }`,
    {
      npis,
      planIds,
    },
  );
  expect(response.errors).toBeUndefined();
  return Object.fromEntries(response.data.networkCoverage.map((a: any) => [`${a.npi}@${a.planId}`, a.reason ?? a.status]));
}

/** Status per `rxnorm@plan` for the drug question. */
export async function drugStatus(t: TestApp, rxnormIds: string[], planIds: string[]): Promise<Record<string, string>> {
  const response = await t.gql(
    `query ($rx: [String!]!, $planIds: [String!]!) { drugCoverage(rxnormIds: $rx, planIds: $planIds) { rxnormId planId status reason } }`,
    {
      rx: rxnormIds,
      planIds,
    },
  );
  expect(response.errors).toBeUndefined();
  return Object.fromEntries(response.data.drugCoverage.map((a: any) => [`${a.rxnormId}@${a.planId}`, a.reason ?? a.status]));
}

export const LOAD_REPORT_FIELDS = `report { replaced carriedForward carriedFromVersionId droppedWithRemovedPlans { name count } shrink { name before after percent } rejectedCount }`;

/** The issuer's versions, newest first, as datasetVersions answers them. */
export async function versionsOf(t: TestApp, issuerId: string): Promise<any[]> {
  const response = await t.gql(
    `query ($issuerId: String!) { datasetVersions(issuerId: $issuerId, first: 50) { edges { node { id status error counts { name count } ${LOAD_REPORT_FIELDS} } } } }`,
    { issuerId },
  );
  expect(response.errors).toBeUndefined();
  return response.data.datasetVersions.edges.map((edge: any) => edge.node);
}
