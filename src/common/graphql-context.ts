import DataLoader from 'dataloader';
import type { Request, Response } from 'express';

/** Per-request GraphQL context: one DataLoader per kind of lookup, so nested fields are batched. */
export interface GraphQLContext {
  req: Request;
  res?: Response;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loaders of different key and value types share one map
  loaders: Map<string, DataLoader<any, any>>;
}

export function createGraphQLContext({ req, res }: { req: Request; res?: Response }): GraphQLContext {
  return { req, res, loaders: new Map() };
}

/**
 * The request's DataLoader named `name`, created on first use from `batch`
 * (which must return one value per key, in key order).
 */
export function loaderFor<K, V>(
  context: GraphQLContext,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
  cacheKeyFn?: (key: K) => unknown,
): DataLoader<K, V, unknown> {
  let loader = context.loaders.get(name) as DataLoader<K, V, unknown> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V, unknown>(batch, { cacheKeyFn, maxBatchSize: 1000 });
    context.loaders.set(name, loader);
  }
  return loader;
}

/** Groups rows by key, returning one array per requested key (DataLoader order). */
export function groupByKeys<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
