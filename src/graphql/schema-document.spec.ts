import { buildSchema } from 'graphql';
import { undocumentedSchemaElements } from './schema-document';

describe('undocumentedSchemaElements', () => {
  it('names each type, field, argument, input field and enum value without a description, as schema.gql spells it', () => {
    const schema = buildSchema(`
      """Root"""
      type Query {
        """Described"""
        plan("""Described""" planId: String, year: Int): Plan
        search(filter: Filter): [Plan]
      }
      type Plan { planId: String }
      input Filter { name: String }
      """Colors"""
      enum Metal { """Described""" GOLD BRONZE }
    `);
    expect(undocumentedSchemaElements(schema)).toEqual([
      'argument Query.plan(year)',
      'argument Query.search(filter)',
      'enum value Metal.BRONZE',
      'field Plan.planId',
      'field Query.search',
      'input field Filter.name',
      'type Filter',
      'type Plan',
    ]);
  });

  it('finds nothing to report on a fully described schema, and skips introspection types', () => {
    const schema = buildSchema(`"""Root""" type Query { """Described""" ok("""Described""" x: Int): Boolean }`);
    expect(undocumentedSchemaElements(schema)).toEqual([]);
  });
});
