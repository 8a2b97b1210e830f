import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { ChangeHistoryArgs, NetworkChangesArgs } from '../research/change-history.args';
import { ChangeHistoryService } from '../research/change-history.service';
import { CompareFormulariesArgs, DrugCoverageStatsArgs, PriorAuthorizationRatesArgs } from '../research/formulary-stats.args';
import { FormularyStatsService } from '../research/formulary-stats.service';
import { NetworkBreadthArgs, RankPlansByBreadthArgs } from '../research/network-breadth.args';
import { NetworkBreadthService } from '../research/network-breadth.service';
import { BuiltQuery } from '../search/sql-params';

export interface ResearchServices {
  breadth: NetworkBreadthService;
  stats: FormularyStatsService;
  history: ChangeHistoryService;
}

interface ResearchReport<A extends object> {
  /** The GraphQL query field that answers the same question: its arguments are the URL parameters. */
  field: string;
  /** The GraphQL arguments class of the same query: its class-validator rules check the URL parameters. */
  args: ClassConstructor<A>;
  /** The research query itself, every row (no page): the GraphQL resolvers run the same builders. */
  query(services: ResearchServices, args: A): Promise<BuiltQuery> | BuiltQuery;
}

function report<A extends object>(definition: ResearchReport<A>): ResearchReport<A> {
  return definition;
}

/** Every research query, by the name in `/export/research/:name.csv`. */
export const RESEARCH_REPORTS = {
  'network-breadth': report({
    field: 'networkBreadth',
    args: NetworkBreadthArgs,
    query: ({ breadth }, args) => breadth.networkBreadthQuery(args),
  }),
  'plan-breadth-ranking': report({
    field: 'rankPlansByBreadth',
    args: RankPlansByBreadthArgs,
    query: ({ breadth }, { state, specialty, year, order }) => breadth.rankPlansQuery({ state, specialty, year, order, limit: null }),
  }),
  'drug-coverage-stats': report({
    field: 'drugCoverageStats',
    args: DrugCoverageStatsArgs,
    query: ({ stats }, { rxnormId, year }) => stats.drugCoverageStatsQuery(rxnormId, year),
  }),
  'formulary-comparison': report({
    field: 'compareFormularies',
    args: CompareFormulariesArgs,
    query: ({ stats }, { planA, planB }) => stats.formularyDifferencesQuery(planA, planB, null, null),
  }),
  'prior-authorization-rates': report({
    field: 'priorAuthorizationRates',
    args: PriorAuthorizationRatesArgs,
    query: ({ stats }, { state }) => stats.priorAuthorizationRatesQuery(state),
  }),
  'network-changes': report({
    field: 'networkChanges',
    args: NetworkChangesArgs,
    query: async ({ history }, { planId, sinceVersionId, since, untilVersionId, change }) =>
      history.buildNetworkChangesQuery(await history.resolveRange(planId, { sinceVersionId, since, untilVersionId }, 'provider'), change ?? null, null, null),
  }),
  'formulary-changes': report({
    field: 'formularyChanges',
    args: ChangeHistoryArgs,
    query: async ({ history }, { planId, sinceVersionId, since, untilVersionId }) =>
      history.buildFormularyChangesQuery(await history.resolveRange(planId, { sinceVersionId, since, untilVersionId }, 'formulary'), null, null),
  }),
} satisfies Record<string, ResearchReport<object>>;

export type ResearchReportName = keyof typeof RESEARCH_REPORTS;

/** Paging arguments of the GraphQL fields: an export has every row, so they are not URL parameters. */
export const PAGING_ARGUMENTS = new Set(['first', 'after']);

const NUMBER_PARAMETERS = new Set(['year', 'sinceVersionId', 'untilVersionId', 'first']);
const LIST_PARAMETERS = new Set(['planIds']);

/** URL query values are strings: numbers and comma-separated lists are converted before validation. */
function fromQueryString(query: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).map(([key, value]) => {
      const text = Array.isArray(value) ? value.join(',') : String(value);
      if (NUMBER_PARAMETERS.has(key)) return [key, text.trim() === '' ? Number.NaN : Number(text)];
      if (LIST_PARAMETERS.has(key))
        return [
          key,
          text
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean),
        ];
      return [key, text];
    }),
  );
}

function problems(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    return [...Object.values(error.constraints ?? {}), ...problems(error.children ?? [], field)];
  });
}

/**
 * The report's query for these URL parameters, or the list of problems with them. Unknown parameters are
 * checked by the caller against `allowed` (the GraphQL field's arguments, without paging), which the
 * problems repeat. Errors the research services raise for bad input (e.g. too many plans) are thrown as is.
 */
export async function buildResearchReport(
  name: ResearchReportName,
  services: ResearchServices,
  query: Record<string, unknown>,
): Promise<{ query: BuiltQuery } | { problems: string[] }> {
  // Each report's args class and query function belong together, so the widening is sound.
  const definition = RESEARCH_REPORTS[name] as ResearchReport<object>;
  const args = plainToInstance(definition.args, fromQueryString(query));
  const errors = await validate(args, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  if (errors.length) return { problems: problems(errors) };
  return { query: await definition.query(services, args) };
}
