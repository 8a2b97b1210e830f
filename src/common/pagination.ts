import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString } from 'class-validator';
import { GraphQLError } from 'graphql';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: 'Where a page ends, to ask for the next one' })
export class PageInfo {
  @Field({ description: 'True when more results follow this page: pass endCursor as `after` to get them' }) hasNextPage: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the last result of this page; null when the page is empty' })
  endCursor: string | null;
}

/** `first` / `after` of every paginated query; argument classes extend it. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, at most ${MAX_PAGE_SIZE}` })
  @IsOptional()
  @IsInt()
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page' })
  @IsOptional()
  @IsString()
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount?: number;
}

export interface ConnectionOptions {
  /** Describes what one result is, in the connection's and edge's descriptions (e.g. "plan"). */
  noun: string;
  /**
   * The connection has a `totalCount`: only where the service counts every match exactly (one cheap count
   * query beside the page). Connections without it summarise their totals elsewhere, or would need a scan.
   */
  totalCount?: boolean;
}

/**
 * Relay-style connection type for a node type, e.g. Connection(Plan) → PlanConnection. Without options, the
 * descriptions name the node type and there is no totalCount.
 */
export function ConnectionType<T>(nodeType: Type<T>, name = nodeType.name, options: Partial<ConnectionOptions> = {}): Type<Connection<T>> {
  const noun = options.noun ?? name;

  @ObjectType(`${name}Edge`, { description: `One ${noun} of a page, with the cursor that points at it` })
  class EdgeType {
    @Field({ description: `Opaque position of this ${noun}: pass it as \`after\` to continue after it` }) cursor: string;
    @Field(() => nodeType, { description: `The ${noun}` }) node: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: true, description: `A page of ${noun} results (first / after pagination)` })
  class ConnectionClass {
    @Field(() => [EdgeType], { description: `The ${noun} results of this page, in order` }) edges: EdgeType[];
    @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursor to ask for the next one' }) pageInfo: PageInfo;
  }

  if (!options.totalCount) return ConnectionClass as Type<Connection<T>>;

  @ObjectType(`${name}Connection`, { description: `A page of ${noun} results (first / after pagination), with the number of all matches` })
  class CountedConnectionClass extends ConnectionClass {
    @Field(() => Int, { description: `Exact number of ${noun} results matching the query, across all pages` }) totalCount: number;
  }
  return CountedConnectionClass as Type<Connection<T>>;
}

/** Opaque cursors: base64 of a JSON key, so clients cannot depend on their contents. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | null | undefined): T | null {
  if (!cursor) return null;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw new GraphQLError(`Invalid cursor "${cursor}": pass an endCursor returned by a previous page`, {
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  }
}

/** Page size with a hard cap, so no query can ask for an unbounded page. */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (size < 1 || size > max) {
    throw new GraphQLError(`first must be between 1 and ${max} (got ${size})`, {
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });
  }
  return size;
}

/** Builds a connection from rows fetched with limit+1 (the extra row says whether there is a next page). */
export function toConnection<T>(rows: T[], limit: number, cursorOf: (row: T) => unknown, totalCount?: number): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount,
  };
}
