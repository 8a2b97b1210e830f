import { Injectable } from '@nestjs/common';
import { Database, RESEARCH_QUERY } from '../database/database';
import { pageSize } from '../common/pagination';
import { PlansService } from '../plans/plans.service';
import { PlanSelection, SelectedPlans, selectPlans } from '../search/plan-selection';
import { hasSpecialtySql, IS_HOSPITAL_SQL, membershipCoversYearSql, yearsCoverSql } from '../search/sql-fragments';
import { countedAtLoadSql, countedNetworkBySpecialtySql, countedNetworkSql } from '../search/network-set-count-sql';
import { BuiltQuery, SqlParams } from '../search/sql-params';
import { BREADTH_GROUPS, groupNameSql } from './breadth-groups';
import { BreadthGroupBy, NetworkBreadthModel, PlanBreadthRankModel, SortDirection } from './network-breadth.model';

export interface NetworkBreadthRequest extends PlanSelection {
  specialty?: string | null;
  groupBy?: BreadthGroupBy | null;
}

export interface RankPlansRequest {
  state: string;
  specialty?: string | null;
  year?: number | null;
  order?: SortDirection | null;
  /** null: every plan (CSV export). */
  limit: number | null;
}

/** One row of the breadth report: a plan's total (group_key null) or one of its groups. */
interface BreadthRow {
  plan_id: string;
  network_reported: boolean;
  group_key: string | null;
  group_name: string | null;
  providers: number;
  hospitals: number;
}

/** Journalists' network breadth: distinct in-network NPIs per plan, by specialty and area. */
@Injectable()
export class NetworkBreadthService {
  constructor(
    private readonly db: Database,
    private readonly plans: PlansService,
  ) {}

  /**
   * The report as flat rows (plan total, then its groups), for GraphQL and CSV alike. Counts per network,
   * not per plan: the selected plans' entries in the network sets (network_set_plan_idx) give each plan
   * its sets; plans held by the same sets (sold on one network) are listed by the same listings, so each
   * such group's listings (listing_network_set_set_idx) are read and counted once, exactly. Totals
   * (of a specialty or not, without grouping) of a version counted at load add up its sets' counts instead.
   */
  async networkBreadthQuery(request: NetworkBreadthRequest): Promise<BuiltQuery> {
    const selection = await selectPlans(this.plans, request, 'planIds');
    return this.buildBreadthQuery(selection, request);
  }

  /**
   * Of these versions, those counted at load (per specialty too, when `bySpecialty`); a version loaded
   * before the counts (or the specialty counts) existed has none.
   */
  private async versionsWithCounts(versionIds: number[], bySpecialty: boolean): Promise<Set<number>> {
    if (!versionIds.length) return new Set();
    const rows: Array<{ version_id: string }> = await this.db.search(
      `SELECT v.id AS version_id FROM unnest($1::bigint[]) AS v(id) WHERE ${countedAtLoadSql('v.id', bySpecialty)}`,
      [versionIds],
    );
    return new Set(rows.map((row) => Number(row.version_id)));
  }

  private async buildBreadthQuery({ planIds, published }: SelectedPlans, request: NetworkBreadthRequest): Promise<BuiltQuery> {
    const params = new SqlParams();
    const selectedPlans = params.add(planIds, 'char(14)[]');
    const versionIds = [...new Set(published.map((plan) => Number(plan.versionId)))];
    // Totals (of a specialty or not), and groups by specialty without a specialty filter, read the counts
    // taken at load; other grouped reports, and versions without counts, count the listings.
    const bySpecialty = request.groupBy === BreadthGroupBy.SPECIALTY && !request.specialty;
    const counted = !request.groupBy || bySpecialty ? await this.versionsWithCounts(versionIds, !!request.specialty || bySpecialty) : new Set<number>();
    const listedIds = versionIds.filter((id) => !counted.has(id));
    // The published versions of the selected plans, as a value: PostgreSQL then prunes every other
    // version's partitions (a join on issuer.current_version_id alone would scan them all).
    const versions = params.add(versionIds, 'bigint[]');
    // Only the parts that run are written, each with its own versions (an unused parameter has no type).
    const listedVersions = listedIds.length ? params.add(listedIds, 'bigint[]') : '';
    const countedVersions = counted.size ? params.add([...counted], 'bigint[]') : '';
    const inYear = request.year != null ? `AND ${membershipCoversYearSql(params.add(request.year, 'int'))}` : '';
    const specialty = request.specialty && (listedIds.length || counted.size) ? params.add(request.specialty.trim(), 'text') : null;
    const countedNetwork = countedNetworkSql('n', specialty);
    const matchesSpecialty = specialty && listedIds.length ? hasSpecialtySql('p', specialty) : 'true';
    const group = request.groupBy ? BREADTH_GROUPS[request.groupBy] : null;
    const groupName = groupNameSql(request.groupBy, 'c.group_key');
    const groupBy = params.add(request.groupBy ?? null, 'text');
    const sql = `
      WITH selected AS (
        SELECT p.plan_id, p.version_id, p.issuer_id, p.state, p.marketing_name, v.has_provider_files AS network_reported
          FROM plan p
          JOIN issuer i ON i.current_version_id = p.version_id
          JOIN dataset_version v ON v.id = p.version_id
         WHERE p.plan_id = ANY(${selectedPlans})
      ), entries AS (
        -- The selected plans' entries in the versions' network sets (tens of rows): filtering on the plan
        -- ids themselves (not through the CTE) gives the planner their real row counts.
        SELECT m.plan_id, m.version_id, m.set_id
          FROM network_set m
          JOIN issuer mi ON mi.current_version_id = m.version_id
         WHERE m.version_id = ANY(${versions}) AND m.plan_id = ANY(${selectedPlans}) ${inYear}
      ), plan_sets AS (
        SELECT plan_id, version_id, array_agg(DISTINCT set_id ORDER BY set_id) AS set_ids FROM entries GROUP BY plan_id, version_id
      ), networks AS (
        -- Plans held by the same sets are listed by the same listings (one network): counted once. A
        -- network is numbered: the counts group and sort by that number, not by its array of set ids
        -- (comparing arrays took most of the time of sorting a dense file's listings).
        SELECT version_id, set_ids, row_number() OVER (ORDER BY version_id, set_ids)::int AS network
          FROM (SELECT DISTINCT version_id, set_ids FROM plan_sets) d
      ), network_sets AS (
        SELECT n.version_id, n.network, u.set_id FROM networks n CROSS JOIN LATERAL unnest(n.set_ids) AS u(set_id)
      )${
        listedIds.length
          ? `, members AS (
        SELECT ns.version_id, ns.network, l.npi, l.record_no
          FROM network_sets ns
          JOIN listing_network_set l ON l.version_id = ns.version_id AND l.set_id = ns.set_id
         WHERE l.version_id = ANY(${listedVersions}) AND l.npi IS NOT NULL
      ), listed_counts AS (
        SELECT mb.version_id, mb.network,
               ${group ? `${group.key} AS group_key, GROUPING(${group.key}) = 0 AS is_group` : 'NULL::text AS group_key, false AS is_group'},
               count(DISTINCT mb.npi) FILTER (WHERE ${matchesSpecialty}) AS providers,
               count(DISTINCT mb.npi) FILTER (WHERE ${IS_HOSPITAL_SQL}) AS hospitals
          FROM members mb
          JOIN provider p ON p.version_id = mb.version_id AND p.record_no = mb.record_no AND p.version_id = ANY(${listedVersions})
          ${group?.join(listedVersions) ?? ''}
         GROUP BY ${group ? `GROUPING SETS ((mb.version_id, mb.network), (mb.version_id, mb.network, ${group.key}))` : 'mb.version_id, mb.network'}
        ${group ? `HAVING GROUPING(${group.key}) = 1 OR ${group.key} IS NOT NULL` : ''}
      )`
          : ''
      }, counts AS (
        ${
          [
            listedIds.length ? 'SELECT version_id, network, group_key, is_group, providers, hospitals FROM listed_counts' : '',
            counted.size
              ? `SELECT n.version_id, n.network, NULL::text AS group_key, false AS is_group,
                      sc.providers - sr.providers AS providers, sc.hospitals - sr.hospitals AS hospitals
                 FROM networks n
                 CROSS JOIN LATERAL (${countedNetwork.sets}) sc
                 CROSS JOIN LATERAL (${countedNetwork.repeats}) sr
                WHERE n.version_id = ANY(${countedVersions})`
              : '',
            counted.size && bySpecialty
              ? `SELECT n.version_id, n.network, g.key COLLATE "default" AS group_key, true AS is_group, g.providers, g.hospitals
                 FROM networks n
                 CROSS JOIN LATERAL (${countedNetworkBySpecialtySql('n.version_id', 'n.set_ids')}) g
                WHERE n.version_id = ANY(${countedVersions})`
              : '',
          ]
            .filter(Boolean)
            .join(' UNION ALL ') ||
          'SELECT NULL::bigint AS version_id, NULL::int AS network, NULL::text AS group_key, false AS is_group, 0::bigint AS providers, 0::bigint AS hospitals WHERE false'
        }
      )
      SELECT s.plan_id, s.marketing_name, s.issuer_id, s.state AS plan_state, s.network_reported,
             ${groupBy} AS group_by, c.group_key, ${groupName.name} AS group_name,
             coalesce(c.providers, 0)::int AS providers, coalesce(c.hospitals, 0)::int AS hospitals
        FROM selected s
        LEFT JOIN plan_sets ps ON ps.plan_id = s.plan_id AND ps.version_id = s.version_id
        LEFT JOIN networks n ON n.version_id = ps.version_id AND n.set_ids = ps.set_ids
        LEFT JOIN counts c ON c.version_id = n.version_id AND c.network = n.network
        ${groupName.join}
       ORDER BY s.plan_id, c.is_group NULLS FIRST, c.providers DESC, c.group_key`;
    return { sql, params: params.values };
  }

  async networkBreadth(request: NetworkBreadthRequest): Promise<NetworkBreadthModel[]> {
    const selection = await selectPlans(this.plans, request, 'planIds');
    const query = await this.buildBreadthQuery(selection, request);
    const rows: BreadthRow[] = await this.db.search(query.sql, query.params, RESEARCH_QUERY);
    const planById = new Map(selection.published.map((plan) => [plan.planId, plan]));
    return selection.planIds.map((planId) => {
      const own = rows.filter((row) => row.plan_id === planId);
      const total = own.find((row) => row.group_key === null);
      return {
        planId,
        plan: planById.get(planId) ?? null,
        networkReported: total?.network_reported ?? false,
        providers: total?.providers ?? 0,
        hospitals: total?.hospitals ?? 0,
        groups: own
          .filter((row) => row.group_key !== null)
          .map((row) => ({ key: row.group_key!, name: row.group_name, providers: row.providers, hospitals: row.hospitals })),
      };
    });
  }

  /**
   * Every published plan of the state whose issuer reports a network, ranked by distinct in-network NPIs
   * (of the specialty): "which plans in Ohio have the fewest in-network psychiatrists?".
   */
  rankPlansQuery(request: RankPlansRequest): BuiltQuery {
    const params = new SqlParams();
    const state = params.add(request.state, 'char(2)');
    const year = request.year != null ? params.add(request.year, 'int') : null;
    const direction = request.order === SortDirection.DESC ? 'DESC' : 'ASC';
    const specialty = request.specialty ? params.add(request.specialty.trim(), 'text') : null;
    const countedNetwork = countedNetworkSql('n', specialty);
    const sql = `
      WITH selected AS (
        SELECT p.plan_id, p.version_id, p.issuer_id, p.marketing_name
          FROM plan p
          JOIN issuer i ON i.current_version_id = p.version_id
          JOIN dataset_version v ON v.id = p.version_id AND v.has_provider_files
         WHERE p.state = ${state} ${year ? `AND ${yearsCoverSql('p.years', year)}` : ''}
      ), plan_sets AS (
        -- Each plan's network sets (covering the year); plans held by the same sets share their count.
        SELECT s.plan_id, s.version_id, array_agg(DISTINCT m.set_id ORDER BY m.set_id) AS set_ids
          FROM selected s
          JOIN network_set m ON m.plan_id = s.plan_id AND m.version_id = s.version_id
         ${year ? `WHERE ${membershipCoversYearSql(year)}` : ''}
         GROUP BY s.plan_id, s.version_id
      ), networks AS (
        SELECT DISTINCT version_id, set_ids FROM plan_sets
      ), network_counts AS (
        SELECT n.version_id, n.set_ids,
               -- A version counted at load reads its counts (CASE runs one branch), others their listings.
               CASE WHEN ${countedAtLoadSql('n.version_id', !!specialty)}
                    THEN (SELECT sc.providers FROM (${countedNetwork.sets}) sc)
                       - (SELECT sr.providers FROM (${countedNetwork.repeats}) sr)
                    ELSE (SELECT count(DISTINCT l.npi)
                            FROM listing_network_set l
                            ${specialty ? 'JOIN provider p ON p.version_id = l.version_id AND p.record_no = l.record_no' : ''}
                           WHERE l.version_id = n.version_id AND l.set_id = ANY(n.set_ids) AND l.npi IS NOT NULL
                             ${specialty ? `AND ${hasSpecialtySql('p', specialty)}` : ''})
               END AS providers
          FROM networks n
      ), counts AS (
        SELECT ps.plan_id, nc.providers
          FROM plan_sets ps JOIN network_counts nc ON nc.version_id = ps.version_id AND nc.set_ids = ps.set_ids
      )
      SELECT rank() OVER (ORDER BY coalesce(c.providers, 0) ${direction})::int AS rank,
             s.plan_id, s.marketing_name, s.issuer_id, coalesce(c.providers, 0)::int AS providers
        FROM selected s
        LEFT JOIN counts c ON c.plan_id = s.plan_id
       ORDER BY providers ${direction}, s.plan_id
       ${request.limit === null ? '' : `LIMIT ${params.add(request.limit, 'int')}`}`;
    return { sql, params: params.values };
  }

  async rankPlansByBreadth(request: Omit<RankPlansRequest, 'limit'>, first?: number | null): Promise<PlanBreadthRankModel[]> {
    const query = this.rankPlansQuery({ ...request, limit: pageSize(first) });
    const rows: Array<{ rank: number; plan_id: string; providers: number }> = await this.db.search(query.sql, query.params, RESEARCH_QUERY);
    const plans = await this.plans.findPublishedPlans(rows.map((row) => row.plan_id));
    const planById = new Map(plans.map((plan) => [plan.planId, plan]));
    return rows.map((row) => ({ rank: row.rank, planId: row.plan_id, plan: planById.get(row.plan_id)!, providers: row.providers }));
  }
}
