import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { RXCUI_PATTERN } from '../common/identifiers';
import { Connection, decodeCursor, pageSize, toConnection } from '../common/pagination';
import { DrugCoverageService } from '../formulary/drug-coverage.service';
import { DrugCoverageModel, DrugModel } from '../formulary/models/drug.model';
import { decodeTaggedCursor } from './cursor-keys';
import { yearsCoverSql } from './sql-fragments';
import { BuiltQuery, escapeLike, SqlParams } from './sql-params';
import { userInputError } from './user-input-error';

/** Misspelt drug names ("lipitr" vs "Lipitor 20 MG Oral Tablet" scores 0.71) pass; unrelated ones don't. */
export const DRUG_NAME_MATCH_THRESHOLD = 0.5;
const MIN_NAME_QUERY_LENGTH = 3;

type DrugSortKey = [score: number, rxnormId: string];

export interface DrugSearchQuery extends BuiltQuery {
  wordSimilarityThreshold: number | null;
}

/**
 * Autocomplete over published drug names, matched by substring or by `<%` (word similarity, indexed).
 * Ranking: the name starts with the query (2), a word of it does, e.g. the brand in "[Tylenol]" (1), else 0;
 * plus the strict word similarity, which compares whole words, so "zentorvx" prefers "Zentorvix" to
 * "Zentorvastatin". Rounded to a numeric so the keyset cursor compares exactly.
 */
export function buildDrugSearchQuery(rawQuery: string, limit: number, after: string | null | undefined): DrugSearchQuery {
  const query = rawQuery.trim().toLowerCase().replace(/\s+/g, ' ');
  const afterKey = decodeTaggedCursor<DrugSortKey>(after, 'drugs', 2);
  const params = new SqlParams();
  const byRxcui = RXCUI_PATTERN.test(query);
  if (!byRxcui && query.length < MIN_NAME_QUERY_LENGTH) {
    throw userInputError(`query needs at least ${MIN_NAME_QUERY_LENGTH} characters of a drug name, or an RXCUI`, 'query');
  }
  let match: string;
  let score: string;
  if (byRxcui) {
    match = `d.rxnorm_id = ${params.add(query, 'text')}`;
    score = '3::numeric';
  } else {
    const q = params.add(query, 'text');
    const literal = escapeLike(query);
    const prefix = params.add(`${literal}%`, 'text');
    const wordStart = params.add(`% ${literal}%`, 'text');
    const contains = params.add(`%${literal}%`, 'text');
    match = `(lower(d.drug_name) LIKE ${contains} OR ${q} <% lower(d.drug_name))`;
    score = `round((CASE WHEN lower(d.drug_name) LIKE ${prefix} THEN 2
                         WHEN ' ' || translate(lower(d.drug_name), '[]()/-,', '       ') LIKE ${wordStart} THEN 1
                         ELSE 0 END + strict_word_similarity(${q}, lower(d.drug_name)))::numeric, 4)`;
  }
  let keyset = '';
  if (afterKey) {
    const afterScore = params.add(afterKey[0], 'numeric');
    keyset = `WHERE score < ${afterScore} OR (score = ${afterScore} AND rxnorm_id > ${params.add(afterKey[1], 'text')})`;
  }
  const sql = `
    WITH matches AS (
      SELECT d.rxnorm_id, d.drug_name, ${score} AS score
        FROM drug d
        JOIN issuer i ON i.current_version_id = d.version_id
       WHERE ${match}
    ), per_drug AS (
      SELECT rxnorm_id, max(score) AS score, array_agg(DISTINCT drug_name ORDER BY drug_name) AS names
        FROM matches
       GROUP BY rxnorm_id
    )
    SELECT rxnorm_id AS "rxnormId", score, names
      FROM per_drug
      ${keyset}
     ORDER BY score DESC, rxnorm_id
     LIMIT ${params.add(limit, 'int')}`;
  return { sql, params: params.values, wordSimilarityThreshold: byRxcui ? null : DRUG_NAME_MATCH_THRESHOLD };
}

/** Published plans covering a drug, in plan id order (keyset on plan_id). */
export function buildPlansCoveringQuery(rxnormId: string, state: string | null, year: number | null, limit: number, afterPlanId: string | null): BuiltQuery {
  const params = new SqlParams();
  const conditions = [`f.rxnorm_id = ${params.add(rxnormId, 'text')}`];
  if (state) conditions.push(`p.state = ${params.add(state, 'char(2)')}`);
  if (year != null) {
    const y = params.add(year, 'int');
    conditions.push(yearsCoverSql('f.years', y), yearsCoverSql('p.years', y));
  }
  if (afterPlanId) conditions.push(`f.plan_id > ${params.add(afterPlanId, 'char(14)')}`);
  const sql = `
    SELECT f.plan_id AS "planId"
      FROM formulary_entry f
      JOIN issuer i ON i.current_version_id = f.version_id
      JOIN plan p ON p.version_id = f.version_id AND p.plan_id = f.plan_id
     WHERE ${conditions.join(' AND ')}
     ORDER BY f.plan_id
     LIMIT ${params.add(limit, 'int')}`;
  return { sql, params: params.values };
}

@Injectable()
export class DrugSearchService {
  constructor(
    private readonly db: Database,
    private readonly drugCoverage: DrugCoverageService,
  ) {}

  async searchDrugs(query: string, first?: number | null, after?: string | null): Promise<Connection<DrugModel>> {
    const limit = pageSize(first);
    const built = buildDrugSearchQuery(query, limit + 1, after);
    const rows: Array<{ rxnormId: string; score: number; names: string[] }> = await this.db.search(built.sql, built.params, {
      wordSimilarityThreshold: built.wordSimilarityThreshold,
    });
    // Same naming rule as the drug query: the first name alphabetically, the others as otherNames.
    const connection = toConnection(rows, limit, (row) => ['drugs', row.score, row.rxnormId]);
    return {
      ...connection,
      edges: connection.edges.map(({ cursor, node }) => ({
        cursor,
        node: { rxnormId: node.rxnormId, drugName: node.names[0], otherNames: node.names.slice(1) },
      })),
    };
  }

  /** Plans that cover the drug, each answered by DrugCoverageService (tier, restrictions, cost sharing). */
  async plansCovering(
    rxnormId: string,
    state: string | null | undefined,
    year: number | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<DrugCoverageModel>> {
    const limit = pageSize(first);
    const built = buildPlansCoveringQuery(rxnormId, state ?? null, year ?? null, limit + 1, decodeCursor<string>(after));
    const rows: Array<{ planId: string }> = await this.db.search(built.sql, built.params);
    const connection = toConnection(rows, limit, (row) => row.planId);
    const planIds = connection.edges.map((edge) => edge.node.planId);
    // One answer per plan, in planIds order (a single drug).
    const answers = planIds.length ? await this.drugCoverage.checkDrugs([rxnormId], planIds, year) : [];
    return { ...connection, edges: connection.edges.map((edge, index) => ({ cursor: edge.cursor, node: answers[index] })) };
  }
}
