import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { QhpImporter } from '../../src/ingest/qhp-importer';

/**
 * A small issuer for the network-set count tests: three plans in a state of its own (test files may share
 * one database, and a ranking takes every plan of the state), loaded through the real importer.
 */
export interface CountedIssuer {
  issuerId: string;
  issuerName: string;
  state: string;
  year: number;
}

export function countedPlans(issuer: CountedIssuer): { a: string; b: string; c: string } {
  const { issuerId, state } = issuer;
  return { a: `${issuerId}${state}0010001`, b: `${issuerId}${state}0010002`, c: `${issuerId}${state}0010003` };
}

/** A listing's `plans` array: each plan on the preferred tier for the issuer's year. */
export function planEntries(issuer: CountedIssuer, ...planIds: string[]) {
  return planIds.map((plan_id) => ({ plan_id, plan_id_type: 'HIOS-PLAN-ID', network_tier: 'PREFERRED', years: [issuer.year] }));
}

/** Writes plans.json and providers.json under `dir/name` and loads them as one version of the issuer. */
export async function loadListings(
  db: DataSource,
  dir: string,
  issuer: CountedIssuer,
  name: string,
  listings: unknown[],
  versionsKept?: number,
): Promise<number> {
  const files = join(dir, name);
  mkdirSync(files);
  const plans = Object.values(countedPlans(issuer)).map((plan_id, i) => ({
    plan_id,
    plan_id_type: 'HIOS-PLAN-ID',
    marketing_name: `${issuer.issuerName} ${i}`,
    years: [issuer.year],
    network: [{ network_tier: 'PREFERRED' }],
  }));
  writeFileSync(join(files, 'plans.json'), JSON.stringify(plans));
  writeFileSync(join(files, 'providers.json'), JSON.stringify(listings));
  const result = await new QhpImporter(db).import({
    issuerId: issuer.issuerId,
    issuerName: issuer.issuerName,
    source: 'test',
    loadedBy: 'jest',
    versionsKept,
    paths: [join(files, 'plans.json'), join(files, 'providers.json')],
  });
  if (result.status === 'failed') throw new Error(JSON.stringify(result.report));
  return result.versionId;
}

/** Rows of `table` the version holds. */
export async function versionRows(db: DataSource, table: string, versionId: number): Promise<number> {
  return (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE version_id = $1`, [versionId]))[0].n;
}

/** networkBreadth's answer as [planId, providers, hospitals]. */
export function breadthRows(data: { networkBreadth: Array<{ planId: string; providers: number; hospitals: number }> }): Array<[string, number, number]> {
  return data.networkBreadth.map((p) => [p.planId, p.providers, p.hospitals]);
}

/** rankPlansByBreadth's answer as [rank, planId, providers]. */
export function rankRows(data: { rankPlansByBreadth: Array<{ rank: number; planId: string; providers: number }> }): Array<[number, string, number]> {
  return data.rankPlansByBreadth.map((r) => [r.rank, r.planId, r.providers]);
}
