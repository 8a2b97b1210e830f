import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';

/** Header of the committed `schema.gql`: readers learn where it comes from and how to refresh it. */
export const SCHEMA_FILE_HEADER =
  '# The GraphQL schema this API serves, generated from the code-first decorators in src/.\n' +
  '# Do not edit: run `npm run schema:write` after changing the schema (`npm run schema:check` compares).\n\n';

const ROOT_TYPE_DESCRIPTIONS = {
  query:
    'Questions the API answers from the plan, provider and formulary files carriers publish (CMS QHP format): ' +
    "is a doctor in a plan's network, is a drug covered and what does it cost, how broad are networks, what changed between loads",
  mutation: 'Listing reports: anyone can report a wrong directory listing; carriers (with an API key) close them',
};

/**
 * Code-first decorators cannot describe the root Query and Mutation types: this sets their descriptions
 * (graphql-options `transformSchema`, and the schema file, both go through it).
 */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = ROOT_TYPE_DESCRIPTIONS.query;
  if (mutation) mutation.description = ROOT_TYPE_DESCRIPTIONS.mutation;
  return schema;
}

/** The schema as committed: sorted the way the server sorts it (graphql-options `sortSchema`), with the header. */
export function schemaDocument(schema: GraphQLSchema): string {
  return SCHEMA_FILE_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}

function resolverFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return resolverFiles(path);
    return /\.resolver\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Builds the schema from every `*.resolver.ts` under `sourceRoot` without starting the API or touching a
 * database. The e2e schema test checks that the running server prints the same document.
 */
export async function buildSchemaFromSources(sourceRoot: string): Promise<GraphQLSchema> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const resolvers = resolverFiles(sourceRoot).flatMap((file) => Object.values(require(file) as Record<string, unknown>));
  const classes = resolvers.filter((value): value is new (...args: never[]) => unknown => typeof value === 'function');
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    return describeRootTypes(await app.get(GraphQLSchemaFactory).create(classes));
  } finally {
    await app.close();
  }
}

/**
 * Every type, field, argument, input field and enum value of the schema that has no description, named the
 * way a reader finds it in schema.gql: `Type`, `Type.field`, `Type.field(argument)`, `Enum.VALUE`.
 * Introspection's own types (`__Type`…) are GraphQL's and are left out.
 */
export function undocumentedSchemaElements(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const described = (text: string | null | undefined) => typeof text === 'string' && text.trim() !== '';
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (!described(type.description)) missing.push(`type ${type.name}`);
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!described(value.description)) missing.push(`enum value ${type.name}.${value.name}`);
    } else if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field.description)) missing.push(`field ${type.name}.${field.name}`);
        for (const arg of field.args) if (!described(arg.description)) missing.push(`argument ${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!described(field.description)) missing.push(`input field ${type.name}.${field.name}`);
    }
  }
  return missing.sort();
}
