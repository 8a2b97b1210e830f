import { Client } from 'pg';
import { redactUrl, StartupError } from '../config/app-config';

/** The most telling part of a connection error: its code (ECONNREFUSED, 28P01...) or its message. */
export function connectionErrorReason(error: unknown): string {
  const e = error as { code?: string; message?: string; errors?: Array<{ code?: string }> } | undefined;
  const code = e?.code ?? e?.errors?.[0]?.code;
  const message = e?.message?.trim();
  if (code && message && !message.includes(code)) return `${code} (${message})`;
  return message || code || String(error);
}

/**
 * Connects once with a short timeout, so an unreachable or misconfigured database stops the start with
 * one line ("Cannot connect to PostgreSQL at postgres://app:***@db:5432/coverage: ECONNREFUSED").
 */
export async function assertDatabaseReachable(url: string, timeoutMs = 5_000, label = 'PostgreSQL'): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A failed connect may also emit 'error'; without a listener that would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' ? code : connectionErrorReason(error);
    throw new StartupError(`Cannot connect to ${label} at ${redactUrl(url)}: ${reason}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
