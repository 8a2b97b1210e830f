import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { countedAtLoadSql, countedNetworkBySpecialtySql } from '../search/network-set-count-sql';
import { IS_HOSPITAL_SQL } from '../search/sql-fragments';
import { BREADTH_GROUPS, groupNameSql } from '../research/breadth-groups';
import { BreadthGroupBy } from '../research/network-breadth.model';
import { NetworkModel, NetworkSizeGroupModel } from './network.model';

/** A network id: its first (plan, tier) entry, opaque to clients. */
export function networkId(planId: string, tier: string): string {
  return Buffer.from(`${planId}\t${tier}`).toString('base64url');
}

/** The first (plan, tier) entry an id names, or null when it is not one. */
export function parseNetworkId(id: string): { planId: string; tier: string } | null {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const tab = text.indexOf('\t');
  if (tab !== 14 || networkId(text.slice(0, tab), text.slice(tab + 1)) !== id) return null;
  return { planId: text.slice(0, tab), tier: text.slice(tab + 1) };
}

interface EntryRow {
  version_id: string;
  issuer_id: string;
  plan_id: string;
  network_tier: string;
  set_ids: string[];
}

/**
 * Networks derived from the network sets of published versions (migration 1700000003000): a version's
 * (plan, tier) entries grouped by the sets holding them. Entries held by the same sets are listed by the
 * same listings, so they are one network; the work is over the version's distinct plan lists (tens),
 * never over its memberships.
 */
@Injectable()
export class NetworksService {
  constructor(private readonly db: Database) {}

  /** Every network of these published versions, by version, in id order. */
  async networksOfVersions(versionIds: readonly number[]): Promise<Map<number, NetworkModel[]>> {
    const rows: EntryRow[] = await this.db.read(
      `SELECT s.version_id, p.issuer_id, s.plan_id, s.network_tier, array_agg(s.set_id::text ORDER BY s.set_id) AS set_ids
         FROM network_set s
         JOIN plan p ON p.version_id = s.version_id AND p.plan_id = s.plan_id
        WHERE s.version_id = ANY($1::bigint[])
        GROUP BY s.version_id, p.issuer_id, s.plan_id, s.network_tier
        ORDER BY s.version_id, s.plan_id, s.network_tier`,
      [versionIds],
    );
    const byVersion = new Map<number, NetworkModel[]>(versionIds.map((id) => [id, []]));
    const byKey = new Map<string, NetworkModel>();
    for (const row of rows) {
      const versionId = Number(row.version_id);
      const key = `${versionId}:${row.set_ids.join(',')}`;
      let network = byKey.get(key);
      if (!network) {
        network = { id: networkId(row.plan_id, row.network_tier), issuerId: row.issuer_id, versionId, planIds: [], tiers: [], setIds: row.set_ids };
        byKey.set(key, network);
        byVersion.get(versionId)?.push(network);
      }
      if (!network.planIds.includes(row.plan_id)) network.planIds.push(row.plan_id);
      if (!network.tiers.includes(row.network_tier)) network.tiers.push(row.network_tier);
    }
    for (const network of byKey.values()) network.tiers.sort();
    return byVersion;
  }

  /** The published version of each plan, by plan id. */
  async publishedVersionsOf(planIds: readonly string[]): Promise<Map<string, { versionId: number; issuerId: string }>> {
    const rows: Array<{ plan_id: string; version_id: string; issuer_id: string }> = await this.db.read(
      `SELECT p.plan_id, p.version_id, p.issuer_id FROM plan p JOIN issuer i ON i.current_version_id = p.version_id WHERE p.plan_id = ANY($1::char(14)[])`,
      [planIds],
    );
    return new Map(rows.map((r) => [r.plan_id, { versionId: Number(r.version_id), issuerId: r.issuer_id }]));
  }

  /** The networks the published plans reference, by plan id. */
  async networksOfPlans(planIds: readonly string[]): Promise<Map<string, NetworkModel[]>> {
    const versions = await this.publishedVersionsOf(planIds);
    const networks = await this.networksOfVersions([...new Set([...versions.values()].map((v) => v.versionId))]);
    return new Map(
      planIds.map((planId) => {
        const version = versions.get(planId);
        return [planId, version ? (networks.get(version.versionId) ?? []).filter((n) => n.planIds.includes(planId)) : []];
      }),
    );
  }

  async network(id: string): Promise<NetworkModel | null> {
    const entry = parseNetworkId(id);
    if (!entry) return null;
    const networks = (await this.networksOfPlans([entry.planId])).get(entry.planId) ?? [];
    return networks.find((n) => n.id === id) ?? null;
  }

  /** The networks of an issuer's published version. */
  async networksOfIssuer(issuerId: string): Promise<NetworkModel[]> {
    const [issuer]: Array<{ version_id: string | null }> = await this.db.read(`SELECT current_version_id AS version_id FROM issuer WHERE issuer_id = $1`, [
      issuerId,
    ]);
    if (!issuer?.version_id) return [];
    const versionId = Number(issuer.version_id);
    return (await this.networksOfVersions([versionId])).get(versionId) ?? [];
  }

  /** Distinct NPIs listed in each network (listings pointing to one of its sets), by network id. */
  async providerCounts(networks: readonly NetworkModel[]): Promise<number[]> {
    if (!networks.length) return [];
    const rows: Array<{ n: number; providers: number }> = await this.db.read(
      `SELECT w.n, (SELECT count(DISTINCT l.npi)
                      FROM listing_network_set l
                     WHERE l.version_id = w.version_id AND l.set_id = ANY(string_to_array(w.set_list, ',')::bigint[]))::int AS providers
         FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS w(version_id, set_list, n)`,
      [networks.map((n) => n.versionId), networks.map((n) => n.setIds.join(','))],
    );
    const byN = new Map(rows.map((r) => [Number(r.n), r.providers]));
    return networks.map((_, i) => byN.get(i + 1) ?? 0);
  }

  /**
   * Distinct NPIs of the network per specialty, state, 3-digit ZIP or county, largest first. Per specialty, a
   * version counted per specialty at load adds up its sets' counts; otherwise the listings are counted.
   */
  async size(network: NetworkModel, groupBy: BreadthGroupBy): Promise<NetworkSizeGroupModel[]> {
    if (groupBy === BreadthGroupBy.SPECIALTY) {
      const [counted]: Array<{ counted: boolean }> = await this.db.read(`SELECT ${countedAtLoadSql('$1::bigint', true)} AS counted`, [network.versionId]);
      if (counted?.counted) {
        return this.db.read(
          `SELECT key, NULL::text AS name, providers::int, hospitals::int FROM (${countedNetworkBySpecialtySql('$1::bigint', '$2::bigint[]')}) c
            ORDER BY providers DESC, key COLLATE "C"`,
          [network.versionId, network.setIds],
        );
      }
    }
    const group = BREADTH_GROUPS[groupBy];
    const name = groupNameSql(groupBy, 'g.key');
    return this.db.read(
      `SELECT g.key, ${name.name} AS name, g.providers, g.hospitals
         FROM (SELECT ${group.key} AS key, count(DISTINCT l.npi)::int AS providers, count(DISTINCT l.npi) FILTER (WHERE ${IS_HOSPITAL_SQL})::int AS hospitals
                 FROM listing_network_set l
                 JOIN provider p ON p.version_id = l.version_id AND p.record_no = l.record_no AND p.version_id = $1
                 ${group.join('ARRAY[$1::bigint]')}
                WHERE l.version_id = $1 AND l.set_id = ANY($2::bigint[]) AND ${group.key} IS NOT NULL
                GROUP BY 1) g
         ${name.join}
        ORDER BY g.providers DESC, g.key COLLATE "C"`,
      [network.versionId, network.setIds],
    );
  }
}
