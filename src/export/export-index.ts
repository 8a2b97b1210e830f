import { getNamedType, GraphQLSchema, isEnumType, isNonNullType } from 'graphql';
import { PAGING_ARGUMENTS, RESEARCH_REPORTS } from './research-reports';

export interface ExportParameter {
  name: string;
  /** `path`: part of the URL path; `query`: a query string parameter. */
  in: 'path' | 'query';
  required: boolean;
  /** The GraphQL type of the same argument; lists are comma-separated in the URL. */
  type: string;
  description: string;
  /** The allowed values, for enumerations. */
  values?: string[];
}

export interface ExportDescription {
  name: string;
  path: string;
  format: 'csv' | 'json';
  description: string;
  parameters: ExportParameter[];
  /** The GraphQL query field asking the same question (research reports). */
  graphqlField?: string;
}

const PLAN_ID: ExportParameter = {
  name: 'planId',
  in: 'path',
  required: true,
  type: 'String',
  description: '14-character HIOS plan id, e.g. 10001OH0020001',
};

const PLAN_EXPORTS: ExportDescription[] = [
  {
    name: 'network.csv',
    path: '/export/plans/{planId}/network.csv',
    format: 'csv',
    description: 'One row per in-network provider listing and address (a listing without addresses still gets one row)',
    parameters: [PLAN_ID],
  },
  {
    name: 'network.json',
    path: '/export/plans/{planId}/network.json',
    format: 'json',
    description: "The plan's providers in the QHP providers.json shape, each listing only this plan",
    parameters: [PLAN_ID],
  },
  {
    name: 'formulary.csv',
    path: '/export/plans/{planId}/formulary.csv',
    format: 'csv',
    description: "One row per covered drug, with its restrictions and the tier's 30-day in-network retail cost sharing",
    parameters: [PLAN_ID],
  },
  {
    name: 'formulary.json',
    path: '/export/plans/{planId}/formulary.json',
    format: 'json',
    description: "The plan's formulary in the QHP drugs.json shape, each drug listing only this plan",
    parameters: [PLAN_ID],
  },
];

/** The URL parameters of a research report: its GraphQL field's arguments without paging, described as in the schema. */
export function researchParameters(schema: GraphQLSchema, field: string): ExportParameter[] {
  const definition = schema.getQueryType()?.getFields()[field];
  if (!definition) throw new Error(`the schema has no query field ${field}`);
  return definition.args
    .filter((arg) => !PAGING_ARGUMENTS.has(arg.name))
    .map((arg) => {
      const named = getNamedType(arg.type);
      return {
        name: arg.name,
        in: 'query' as const,
        required: isNonNullType(arg.type),
        type: String(arg.type),
        description: arg.description ?? '',
        ...(isEnumType(named) ? { values: named.getValues().map((value) => value.name) } : {}),
      };
    });
}

/** Every export, with its URL and parameters: what `GET /export` answers. */
export function describeExports(schema: GraphQLSchema): ExportDescription[] {
  const research = Object.entries(RESEARCH_REPORTS).map(([name, report]): ExportDescription => {
    const field = schema.getQueryType()!.getFields()[report.field];
    return {
      name: `${name}.csv`,
      path: `/export/research/${name}.csv`,
      format: 'csv',
      description: `Every row of the GraphQL query ${report.field}: ${field?.description ?? ''}`.trim(),
      parameters: researchParameters(schema, report.field),
      graphqlField: report.field,
    };
  });
  return [...PLAN_EXPORTS, ...research];
}
