import type { ApolloServerPlugin } from '@apollo/server';
import {
  ASTNode,
  DocumentNode,
  FragmentDefinitionNode,
  getNullableType,
  GraphQLError,
  GraphQLList,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { ComplexityEstimator, fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';

export const DEFAULT_MAX_DEPTH = 8;
export const DEFAULT_MAX_COMPLEXITY = 50_000;
export const DEFAULT_MAX_ALIASES = 20;
export const DEFAULT_MAX_ROOT_FIELDS = 20;

/**
 * What a root field costs the database beyond the items it returns. Lookups (networkCoverage, drugCoverage,
 * plan...) are index probes priced by their items alone; a search plans and ranks candidates, and a research
 * aggregate counts whole networks or formularies, each holding a connection far longer.
 */
export const SEARCH_COST = 500;
export const RESEARCH_COST = 2_500;
const ROOT_FIELD_COSTS: Record<string, number> = {
  searchProviders: SEARCH_COST,
  searchDrugs: SEARCH_COST,
  plansCovering: SEARCH_COST,
  networkChanges: RESEARCH_COST,
  formularyChanges: RESEARCH_COST,
  drugCoverageStats: RESEARCH_COST,
  compareFormularies: RESEARCH_COST,
  priorAuthorizationRates: RESEARCH_COST,
  networkBreadth: RESEARCH_COST,
  rankPlansByBreadth: RESEARCH_COST,
};

/** A radius search reads every address in its circle: its cost grows with the area (100 miles: +2,500). */
function radiusCost(args: Record<string, unknown>): number {
  const filter = args.filter as { zip?: unknown; radiusMiles?: unknown } | undefined;
  if (!filter?.zip) return 0;
  // Radii beyond the search's own maximum (100 miles) are refused by its validation, naming the argument.
  const miles = typeof filter.radiusMiles === 'number' && filter.radiusMiles > 0 ? Math.min(filter.radiusMiles, 100) : 25;
  return Math.ceil((miles * miles) / 4);
}

/** Extra cost of the search and research root fields (see ROOT_FIELD_COSTS), added to the estimate of their items. */
export function databaseCostEstimator(inner: ComplexityEstimator[]): ComplexityEstimator {
  return (options) => {
    const extra = options.type.name === 'Query' ? ROOT_FIELD_COSTS[options.field.name] : undefined;
    if (extra === undefined) return undefined;
    for (const estimator of inner) {
      const items = estimator(options);
      if (typeof items === 'number' && !Number.isNaN(items)) return extra + radiusCost(options.args ?? {}) + items;
    }
    return undefined;
  };
}
/**
 * Assumed size of a list field whose length no argument bounds (addresses, drug tiers, cost sharing...):
 * the typical count, as carriers' files have them (a listing has one or two addresses, a drug one tier),
 * not a worst case. At 5, the documented 50 × 50 networkCoverage grid with its addresses cost 65,001 and
 * was refused; at 2 it costs 35,001, while the same grid asked for twice, or with every nested list, is not.
 */
export const UNBOUNDED_LIST_SIZE = 2;

const isIntrospection = (name: string) => name.startsWith('__');

/** Depth of a selection set: `{ plans { edges { node { planId } } } }` is 4. Introspection fields do not count. */
function selectionDepth(
  selectionSet: SelectionSetNode | undefined,
  fragments: (name: string) => FragmentDefinitionNode | null | undefined,
  visiting: Set<string>,
): number {
  if (!selectionSet) return 0;
  let max = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (isIntrospection(selection.name.value)) continue;
      depth = selection.selectionSet ? 1 + selectionDepth(selection.selectionSet, fragments, visiting) : 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragments, visiting);
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments(name);
      // A fragment cycle is reported by graphql's own NoFragmentCycles rule.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      depth = selectionDepth(fragment.selectionSet, fragments, visiting);
      visiting.delete(name);
    }
    max = Math.max(max, depth);
  }
  return max;
}

export function operationDepth(operation: OperationDefinitionNode, fragments: (name: string) => FragmentDefinitionNode | null | undefined): number {
  return selectionDepth(operation.selectionSet, fragments, new Set());
}

/** Validation rule refusing operations nested deeper than `maxDepth` ("Query depth 12 exceeds the limit of 8"). */
export function depthLimitRule(maxDepth = DEFAULT_MAX_DEPTH): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const depth = operationDepth(operation, (name) => context.getFragment(name));
      if (depth > maxDepth) {
        const kind = operation.operation === 'query' ? 'Query' : operation.operation === 'mutation' ? 'Mutation' : 'Subscription';
        context.reportError(
          new GraphQLError(`${kind} depth ${depth} exceeds the limit of ${maxDepth}: nest fewer fields, or split the query`, {
            nodes: [operation as ASTNode],
            // Apollo reports every validation error with code GRAPHQL_VALIDATION_FAILED.
            extensions: { depth, maxDepth },
          }),
        );
      }
    },
  });
}

/**
 * Cost of a field = 1 + (expected number of items) × (cost of its selection):
 * - a field with `first` returns up to `first` items (the page size default when omitted);
 * - a field with list arguments (npis × planIds, rxnormIds × planIds) returns one item per combination;
 * - another list field is assumed to hold UNBOUNDED_LIST_SIZE items;
 * - `edges` of a connection are already counted by the connection's `first`.
 */
export function listSizeEstimator(unboundedListSize = UNBOUNDED_LIST_SIZE): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (isIntrospection(field.name) || isIntrospection(type.name)) return 0;
    let items = 1;
    if (field.args.some((arg) => arg.name === 'first')) {
      items = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
    } else {
      const lists = Object.values(args ?? {}).filter(Array.isArray) as unknown[][];
      if (lists.length) {
        items = lists.reduce((product, list) => product * Math.max(1, list.length), 1);
      } else if (getNullableType(field.type) instanceof GraphQLList) {
        const isConnectionEdges = field.name === 'edges' && type.name.endsWith('Connection');
        items = isConnectionEdges ? 1 : unboundedListSize;
      }
    }
    return 1 + items * childComplexity;
  };
}

export interface QueryLimits {
  maxDepth?: number;
  maxComplexity?: number;
  maxAliases?: number;
  maxRootFields?: number;
}

export interface FieldCounts {
  /** Aliased fields anywhere in the operation, each fragment counted every time it is spread. */
  aliases: number;
  /** Fields at the top of the operation (introspection and __typename excluded). */
  rootFields: number;
}

/**
 * Aliases and root fields of an operation. Each fragment is counted once and multiplied by its spreads, so
 * a document of nested spreads cannot make the count itself expensive.
 */
export function fieldCounts(operation: OperationDefinitionNode, fragments: (name: string) => FragmentDefinitionNode | null | undefined): FieldCounts {
  const memo = new Map<string, FieldCounts>();
  const visiting = new Set<string>();
  const count = (selectionSet: SelectionSetNode | undefined): FieldCounts => {
    const total = { aliases: 0, rootFields: 0 };
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (isIntrospection(selection.name.value)) continue;
        total.rootFields += 1;
        total.aliases += (selection.alias ? 1 : 0) + count(selection.selectionSet).aliases;
      } else {
        let inner: FieldCounts;
        if (selection.kind === Kind.INLINE_FRAGMENT) inner = count(selection.selectionSet);
        else {
          const name = selection.name.value;
          const fragment = fragments(name);
          // A fragment cycle is reported by graphql's own NoFragmentCycles rule.
          if (!fragment || visiting.has(name)) continue;
          let known = memo.get(name);
          if (!known) {
            visiting.add(name);
            known = count(fragment.selectionSet);
            visiting.delete(name);
            memo.set(name, known);
          }
          inner = known;
        }
        total.aliases += inner.aliases;
        total.rootFields += inner.rootFields;
      }
    }
    return total;
  };
  return count(operation.selectionSet);
}

/** Refuses (400, BAD_USER_INPUT) an operation with more aliases or root fields than allowed. */
function checkFieldCounts(document: DocumentNode, operationName: string | undefined, limits: QueryLimits): void {
  const maxAliases = limits.maxAliases ?? DEFAULT_MAX_ALIASES;
  const maxRootFields = limits.maxRootFields ?? DEFAULT_MAX_ROOT_FIELDS;
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName)) operation ??= definition;
  }
  if (!operation) return;
  const { aliases, rootFields } = fieldCounts(operation, (name) => fragments.get(name));
  if (aliases > maxAliases) {
    throw new GraphQLError(`Too many aliases: ${aliases} in one request, the limit is ${maxAliases}: split the request`, {
      extensions: { code: 'BAD_USER_INPUT', aliases, maxAliases, http: { status: 400 } },
    });
  }
  if (rootFields > maxRootFields) {
    throw new GraphQLError(`Too many fields at the top of one request: ${rootFields}, the limit is ${maxRootFields}: split the request`, {
      extensions: { code: 'BAD_USER_INPUT', rootFields, maxRootFields, http: { status: 400 } },
    });
  }
}

/**
 * Refuses an operation whose estimated cost exceeds `maxComplexity` before anything runs
 * (aliases let one request repeat an expensive field many times; depth alone does not catch that).
 */
/**
 * What a document's cost depends on besides its text: the operation, list lengths and numbers passed as
 * variables (`first`, id lists). Requests repeating a query with same-shaped variables reuse the estimate.
 */
function variablesShape(operationName: string | null | undefined, variables: Record<string, unknown> | undefined): string {
  let shape = operationName ?? '';
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (Array.isArray(value)) shape += `|${name}:[${value.length}]`;
    else if (typeof value === 'number' || typeof value === 'boolean')
      shape += `|${name}:${value}`; // first, @include(if:)
    else if (value !== null && typeof value === 'object') return ''; // input objects: not cached
  }
  return shape;
}

export function complexityLimitPlugin(maxComplexity = DEFAULT_MAX_COMPLEXITY, counts: QueryLimits = {}): ApolloServerPlugin {
  const itemEstimators = [fieldExtensionsEstimator(), listSizeEstimator(), simpleEstimator({ defaultComplexity: 1 })];
  const estimators = [databaseCostEstimator(itemEstimators), ...itemEstimators];
  // Apollo hands out the same DocumentNode for a query text it has parsed before (its document cache).
  const cache = new WeakMap<DocumentNode, Map<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          const name = operationName ?? request.operationName ?? undefined;
          // Counted before the estimate: cheap, and a thousand aliases should not cost an estimate either.
          checkFieldCounts(document, name, counts);
          const shape = variablesShape(name, request.variables);
          let byShape = cache.get(document);
          let complexity = shape ? byShape?.get(shape) : undefined;
          if (complexity === undefined) {
            try {
              complexity = getComplexity({ schema, query: document, operationName: name, variables: request.variables ?? {}, estimators });
            } catch (error) {
              // Invalid variables are reported precisely by execution itself; a too-large document is refused here.
              if (error instanceof GraphQLError && /query nodes|maximum/i.test(error.message)) {
                throw new GraphQLError(`Query too large: ${error.message}`, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
              }
              return;
            }
            if (shape) {
              if (!byShape) cache.set(document, (byShape = new Map()));
              if (byShape.size < 100) byShape.set(shape, complexity);
            }
          }
          if (complexity > maxComplexity) {
            throw new GraphQLError(
              `Query complexity ${complexity} exceeds the limit of ${maxComplexity}: ask for fewer ids, a smaller page (first) or fewer fields, or split the query`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
