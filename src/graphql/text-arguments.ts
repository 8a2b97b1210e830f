import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, Kind, ValueNode, visit } from 'graphql';

const NUL = '\u0000';

/** Where in a JSON variable value a NUL character is (`[2]`, `.name`), or null. */
function nulInJson(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulInJson(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulInJson(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

function nulInValue(node: ValueNode, path: string, variables: Record<string, unknown>): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return node.value.includes(NUL) ? path : null;
    case Kind.VARIABLE:
      return nulInJson(variables[node.name.value], path);
    case Kind.LIST:
      for (let i = 0; i < node.values.length; i++) {
        const found = nulInValue(node.values[i], `${path}[${i}]`, variables);
        if (found) return found;
      }
      return null;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const found = nulInValue(field.value, `${path}.${field.name.value}`, variables);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/** The first argument (as `name`, `planIds[0]` or `filter.name`) whose text holds a NUL character. */
export function argumentWithNul(document: DocumentNode, variables: Record<string, unknown> = {}): string | null {
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      found ??= nulInValue(node.value, node.name.value, variables);
      return found ? false : undefined;
    },
  });
  return found;
}

/**
 * PostgreSQL text cannot hold U+0000: a string argument carrying one would fail deep in a query with the
 * database's own message. Every operation is checked once, before it runs, and refused as the client's mistake.
 */
export function nulCharacterPlugin(): ApolloServerPlugin {
  // Apollo hands out the same DocumentNode for a query text it has parsed before (its document cache):
  // the document's own string literals are walked once; a request's variables only when one holds a NUL.
  const literals = new WeakMap<DocumentNode, string | null>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const variables = request.variables ?? {};
          let argument: string | null;
          if (nulInJson(variables, '') !== null) argument = argumentWithNul(document, variables);
          else {
            argument = literals.get(document) ?? null;
            if (!literals.has(document)) literals.set(document, (argument = argumentWithNul(document, {})));
          }
          if (argument) {
            throw new GraphQLError(`Argument ${argument} contains a NUL character (\\u0000), which text may not hold`, {
              extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
