/**
 * Refused requests get their own clear error, and the API keeps answering normally right after each.
 */
import { getNullableType, GraphQLList, GraphQLNonNull, GraphQLSchema, GraphQLInputType, isListType, isScalarType, isEnumType } from 'graphql';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { startTestApp, TestApp, testDatabaseUrl } from '../helpers/test-app';
import { makeNpi } from './fixtures/qhp-fixture';

const NORMAL = `{ networkCoverage(npis: ["1234567893"], planIds: ["99999ZZ9999999"]) { npi planId status reason } }`;

describe('request limits (GraphQL over HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  async function expectStillServing(): Promise<void> {
    const res = await t.gql(NORMAL);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data.networkCoverage).toEqual([{ npi: '1234567893', planId: '99999ZZ9999999', status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED' }]);
  }

  it('a GraphQL syntax error is a 400 naming the problem', async () => {
    const res = await t.gql(`{ networkCoverage(npis: ["1234567893"] { status }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.errors?.[0].message).toMatch(/^Syntax Error: Expected Name, found "{"/);
    await expectStillServing();
  });

  it('a body that is not JSON is a 400 with a readable message', async () => {
    const res = await t.http().post('/graphql').set('Content-Type', 'application/json').send('{"query": "{ __typename }"');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(res.body.errors[0].message).toMatch(/^Request body is not valid JSON: /);
    await expectStillServing();
  });

  it('an oversized body is a 413 naming the limit, before any parsing', async () => {
    const body = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(150 * 1024)}` });
    const res = await t.http().post('/graphql').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.errors[0].message).toBe(`Request body too large: ${Buffer.byteLength(body)} bytes exceeds the limit of 100 kB`);
    await expectStillServing();
  });

  it('a body just under the limit is accepted', async () => {
    const padding = 'x'.repeat(90 * 1024);
    const res = await t
      .http()
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ query: `${NORMAL} # ${padding}` }));
    expect(res.status).toBe(200);
    expect(res.body.data.networkCoverage[0].status).toBe('UNKNOWN');
  });

  it('a query nested deeper than 8 levels is refused with its depth', async () => {
    const deep = `{ plans { edges { node { issuer { a { b { c { d { e { f { g } } } } } } } } } } }`;
    const res = await t.gql(deep);
    expect(res.status).toBe(400);
    const depthError = res.errors?.find((e) => e.extensions?.depth !== undefined);
    expect(depthError?.message).toBe('Query depth 11 exceeds the limit of 8: nest fewer fields, or split the query');
    expect(depthError?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', depth: 11, maxDepth: 8 });
    await expectStillServing();
  });

  it('depth counts through fragments, and a valid query deeper than a configured limit is refused', async () => {
    const app = await createApp({ dbPoolSize: 2, graphqlMaxDepth: 3 }, testDatabaseUrl(), { logger: false });
    await app.init();
    try {
      const query = `query { plans(first: 1) { ...Page } } fragment Page on PlanConnection { edges { node { issuer { name } } } }`;
      const res = await request(app.getHttpServer()).post('/graphql').send({ query });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ message: 'Query depth 5 exceeds the limit of 3: nest fewer fields, or split the query' })]);
      const shallow = await request(app.getHttpServer()).post('/graphql').send({ query: '{ plans(first: 1) { pageInfo { hasNextPage } } }' });
      expect(shallow.status).toBe(200);
      expect(shallow.body.data.plans.pageInfo.hasNextPage).toEqual(expect.any(Boolean));
    } finally {
      await app.close();
    }
  });

  it('the GraphiQL introspection query is not refused by the depth limit', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const res = await t.gql(getIntrospectionQuery());
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data.__schema.queryType.name).toBe('Query');
  });

  it('a query whose estimated cost is too high (aliases × 50×50 grids) is refused before running', async () => {
    const npis = JSON.stringify(Array.from({ length: 50 }, () => '1234567893'));
    const planIds = JSON.stringify(Array.from({ length: 50 }, () => '99999ZZ9999999'));
    const fields = Array.from({ length: 20 }, (_, i) => `a${i}: networkCoverage(npis: ${npis}, planIds: ${planIds}) { status message }`).join('\n');
    const res = await t.gql(`{ ${fields} }`);
    expect(res.status).toBe(400);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    // Each alias: 1 + 2500 rows × 2 scalar fields = 5001; twenty of them.
    expect(res.errors?.[0].message).toBe(
      'Query complexity 100020 exceeds the limit of 50000: ask for fewer ids, a smaller page (first) or fewer fields, or split the query',
    );
    await expectStillServing();
  });

  it('a single full 50×50 grid stays within the complexity limit', async () => {
    const npis = Array.from({ length: 50 }, (_, i) => makeNpi(199_000_000 + i));
    const planIds = Array.from({ length: 50 }, (_, i) => `99999ZZ99${String(i).padStart(5, '0')}`);
    const res = await t.gql(`query($n: [String!]!, $p: [String!]!) { networkCoverage(npis: $n, planIds: $p) { npi planId status reason } }`, {
      n: npis,
      p: planIds,
    });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data.networkCoverage).toHaveLength(2500);
    expect(new Set(res.data.networkCoverage.map((a: { reason: string }) => a.reason))).toEqual(new Set(['PLAN_NOT_LOADED']));
  });

  it("the README's 50 × 50 grid, with addresses, stays within the complexity limit", async () => {
    const npis = Array.from({ length: 50 }, (_, i) => makeNpi(199_000_000 + i));
    const planIds = Array.from({ length: 50 }, (_, i) => `99999ZZ99${String(i).padStart(5, '0')}`);
    const res = await t.gql(
      `query($n: [String!]!, $p: [String!]!) { networkCoverage(npis: $n, planIds: $p, year: 2026) {
        planId status networkTiers acceptingNewPatients message
        addresses { address city zip phone }
      } }`,
      { n: npis, p: planIds },
    );
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.data.networkCoverage).toHaveLength(2500);
  });

  it('the grid asked for twice, with every nested list, is still refused', async () => {
    const npis = JSON.stringify(Array.from({ length: 50 }, () => '1234567893'));
    const planIds = JSON.stringify(Array.from({ length: 50 }, () => '99999ZZ9999999'));
    const grid = `networkCoverage(npis: ${npis}, planIds: ${planIds}) { planId status networkTiers message addresses { address city zip phone } provider { displayName addresses { address city zip } } }`;
    const res = await t.gql(`{ a: ${grid} b: ${grid} }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    await expectStillServing();
  });

  it.each([
    ['an inline string', `{ searchDrugs(query: "ator\\u0000vastatin") { pageInfo { hasNextPage } } }`, undefined, 'query'],
    ['a variable', `query($q: String!) { searchDrugs(query: $q) { pageInfo { hasNextPage } } }`, { q: 'ator\u0000vastatin' }, 'query'],
    [
      'a field of an input object',
      `query($f: ProviderSearchFilter!) { searchProviders(filter: $f) { pageInfo { hasNextPage } } }`,
      { f: { name: 'smi\u0000th' } },
      'filter.name',
    ],
    ['a list element', `{ networkCoverage(npis: ["1234567893"], planIds: ["99999ZZ9999999\\u0000"]) { status } }`, undefined, 'planIds[0]'],
  ])('a NUL character in %s is a 400 naming the argument, not a database error', async (_what, query, variables, argument) => {
    const res = await t.gql(query, variables);
    expect(res.status).toBe(400);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toBe(`Argument ${argument} contains a NUL character (\\u0000), which text may not hold`);
    await expectStillServing();
  });

  it('a query text answered before is still checked for a NUL in its variables', async () => {
    const query = `query($p: [String!]!) { networkCoverage(npis: ["1234567893"], planIds: $p) { status } }`;
    const clean = await t.gql(query, { p: ['99999ZZ9999999'] });
    expect(clean.status).toBe(200);
    expect(clean.errors).toBeUndefined();
    const res = await t.gql(query, { p: ['99999ZZ9999999', '99999ZZ999999\u0000'] });
    expect(res.status).toBe(400);
    expect(res.errors?.[0].message).toBe('Argument planIds[1] contains a NUL character (\\u0000), which text may not hold');
    const again = await t.gql(query, { p: ['99999ZZ9999999'] });
    expect(again.errors).toBeUndefined();
  });

  it('51 NPIs are refused with the cap, then a normal query succeeds', async () => {
    const npis = Array.from({ length: 51 }, () => '1234567893');
    const res = await t.gql(`query($n: [String!]!) { networkCoverage(npis: $n, planIds: ["99999ZZ9999999"]) { status } }`, { n: npis });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('npis must contain no more than 50 elements');
    await expectStillServing();
  });

  it('a page larger than 100 is refused', async () => {
    const res = await t.gql(`{ plans(first: 101) { edges { node { planId } } } }`);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('first must be between 1 and 100 (got 101)');
    await expectStillServing();
  });

  /**
   * Every list argument of every query field must be capped: send 51 elements to each and expect a
   * "no more than N elements" refusal. Catches a list argument added without @ArrayMaxSize.
   */
  it('every list argument of every query is capped', async () => {
    const schema = t.app.get(GraphQLSchemaHost).schema as GraphQLSchema;
    const checked: string[] = [];
    const uncapped: string[] = [];
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      for (const listArg of field.args.filter((a) => isListType(getNullableType(a.type)))) {
        const variables: Record<string, unknown> = {};
        const declarations: string[] = [];
        for (const arg of field.args) {
          const required = arg.type instanceof GraphQLNonNull;
          if (arg !== listArg && !required) continue;
          variables[arg.name] =
            arg === listArg
              ? Array.from({ length: 51 }, () => sampleValue((getNullableType(arg.type) as GraphQLList<GraphQLInputType>).ofType))
              : sampleValue(arg.type);
          declarations.push(`$${arg.name}: ${arg.type.toString()}`);
        }
        const selection = selectionFor(field.type);
        const query = `query(${declarations.join(', ')}) { ${field.name}(${Object.keys(variables)
          .map((n) => `${n}: $${n}`)
          .join(', ')}) ${selection} }`;
        const res = await t.gql(query, variables);
        checked.push(`${field.name}.${listArg.name}`);
        const messages = (res.errors ?? []).map((e) => e.message).join(' | ');
        if (!/no more than \d+ elements|at most \d+/i.test(messages)) uncapped.push(`${field.name}(${listArg.name}): ${messages || 'accepted 51 elements'}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['networkCoverage.npis', 'networkCoverage.planIds', 'drugCoverage.rxnormIds', 'drugCoverage.planIds']));
    expect(uncapped).toEqual([]);
  });
});

function sampleValue(type: GraphQLInputType): unknown {
  const named = getNullableType(type);
  if (isListType(named)) return [sampleValue(named.ofType)];
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isScalarType(named)) {
    if (named.name === 'Int' || named.name === 'Float') return 2026;
    if (named.name === 'Boolean') return true;
    return '1234567893';
  }
  return {};
}

function selectionFor(type: unknown): string {
  let named: any = type;
  while (named.ofType) named = named.ofType;
  if (!named.getFields) return '';
  const scalar = Object.values(named.getFields() as Record<string, { name: string; type: unknown; args: unknown[] }>).find((f) => {
    let t: any = f.type;
    while (t.ofType) t = t.ofType;
    return !t.getFields && f.args.length === 0;
  });
  return scalar ? `{ ${scalar.name} }` : '{ __typename }';
}
