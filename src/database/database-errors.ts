/**
 * Recognises "the database is not there right now" (restart, failover, network cut, pool exhausted)
 * as opposed to a bug or a bad query, so clients get a retryable SERVICE_UNAVAILABLE error.
 */

/** Node socket errors met while connecting to, or talking with, PostgreSQL. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * SQLSTATEs: 57P01 admin_shutdown ("terminating connection due to administrator command"),
 * 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up / shutting down), 53300 too_many_connections,
 * class 08 connection exceptions.
 */
const SQLSTATE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres reports some losses only in words. */
const MESSAGES = [
  /Connection terminated/i,
  /terminating connection/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Connection ended unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /Cannot use a pool after calling end on the pool/i,
  // "connect ECONNREFUSED 127.0.0.1:5432", or a socket error seen through another realm (vm, jest):
  // graphql-js then only keeps its inspected text, "Unexpected error value: { ..., code: "ECONNREFUSED" }".
  /\b(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENETUNREACH)\b/,
];

export const DATABASE_UNAVAILABLE_MESSAGE = 'Database temporarily unavailable, retry shortly';

function causes(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue = [error];
  while (queue.length && seen.length < 20) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.includes(e)) continue;
    seen.push(e);
    const any = e as { originalError?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown[] };
    queue.push(any.originalError, any.driverError, any.cause, ...(Array.isArray(any.errors) ? any.errors : []));
  }
  return seen;
}

export function isDatabaseUnavailableError(error: unknown): boolean {
  return causes(error).some((e) => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
  });
}

/** PostgreSQL stopped a statement at its statement_timeout (SQLSTATE 57014, "canceling statement due to statement timeout"). */
export function isStatementTimeoutError(error: unknown): boolean {
  return causes(error).some((e) => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return code === '57014' && typeof message === 'string' && /statement timeout/i.test(message);
  });
}

/** A search or research statement stopped at the configured statement timeout: the client should narrow it. */
export class StatementTimeoutError extends Error {
  readonly code = 'QUERY_TIMEOUT';

  constructor(
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super(`The query was stopped after ${timeoutMs} ms (the statement timeout): narrow it (fewer ids, a smaller radius) or retry later`, { cause });
  }
}

export function asStatementTimeoutError(error: unknown): StatementTimeoutError | undefined {
  return causes(error).find((e): e is StatementTimeoutError => e instanceof StatementTimeoutError);
}
