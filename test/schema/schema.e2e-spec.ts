import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, GraphQLSchema, isEnumType, isNonNullType, isObjectType, getNamedType } from 'graphql';
import { schemaDocument, undocumentedSchemaElements } from '../../src/graphql/schema-document';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Connections whose services count every match exactly (a count query beside the page). */
const COUNTED_CONNECTIONS = ['DatasetVersionConnection', 'ListingReportConnection'];

describe('the schema documents itself (introspected from the running API)', () => {
  let t: TestApp;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.gql(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expect(res.errors).toBeUndefined();
    schema = buildClientSchema(res.data);
  });
  afterAll(() => t.close());

  it('describes every type, field, argument, input field and enum value', () => {
    const missing = undocumentedSchemaElements(schema);
    if (missing.length) {
      throw new Error(
        `${missing.length} schema element(s) have no description. Add one in the code-first decorator ` +
          '(@ObjectType/@InputType/@ArgsType field `description`, @Args, registerEnumType `description` and `valuesMap`):\n  ' +
          missing.join('\n  '),
      );
    }
  });

  it('serves exactly the committed schema.gql (run `npm run schema:write` after a schema change)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.gql'), 'utf8');
    expect(schemaDocument(schema)).toBe(committed);
  });

  it('types every `reason` field as an enum whose values are described', () => {
    const reasons = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => field.name === 'reason')
          .map((field) => [type.name, getNamedType(field.type)] as const),
      );
    expect(reasons.map(([type, reasonType]) => `${type}.reason: ${reasonType.name}`).sort()).toEqual([
      'DrugCoverage.reason: DrugCoverageReason',
      'ImportJob.reason: LoadRefusalReason',
      'NetworkCheck.reason: NetworkUnknownReason',
      'RejectionSample.reason: ImportIssueReason',
    ]);
    for (const [, reasonType] of reasons) expect(isEnumType(reasonType)).toBe(true);
    const values = (name: string) => (schema.getType(name) as any).getValues().map((v: any) => v.name);
    expect(values('NetworkUnknownReason')).toEqual(['NETWORK_NOT_REPORTED', 'PLAN_NOT_LOADED', 'PROVIDER_NOT_FOUND', 'YEAR_NOT_REPORTED']);
    expect(values('DrugCoverageReason')).toEqual(['FORMULARY_NOT_REPORTED', 'NOT_ON_FORMULARY', 'PLAN_NOT_LOADED', 'YEAR_NOT_REPORTED']);
  });

  it('declares totalCount (non-null) only on connections that count every match', () => {
    const connections = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => type.name.endsWith('Connection'));
    expect(connections.length).toBeGreaterThan(COUNTED_CONNECTIONS.length);
    const counted = connections.filter((type) => 'totalCount' in type.getFields());
    expect(counted.map((type) => type.name).sort()).toEqual(COUNTED_CONNECTIONS);
    for (const type of counted) expect(isNonNullType(type.getFields().totalCount.type)).toBe(true);
  });
});
