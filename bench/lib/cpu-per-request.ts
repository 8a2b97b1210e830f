/**
 * What cpu-ab, bench:floor and bench:query share: servers forked as one Node process each (production flags, the
 * settings of a benchmark), a closed-loop POST load on them, and figures of CPU time per request.
 */
import { ChildProcess, fork } from 'node:child_process';
import { PRODUCTION_NODE_FLAGS } from './production-node-flags';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

/**
 * Forks `script` with `args` (its `--serve` mode) and resolves once it says it listens: with the Node flags
 * of `npm run start:prod` (and ts-node for a .ts script), `execArgv` after them, and the settings of a
 * benchmark, `env` over them. The benchmark is one client hammering the API: rate limits that never trip,
 * but are still checked.
 */
export function forkServer(
  script: string,
  args: string[],
  what: string,
  options: { cwd?: string; execArgv?: string[]; env?: Record<string, string> } = {},
): Promise<ChildProcess> {
  const child = fork(script, args, {
    cwd: options.cwd,
    execArgv: [...PRODUCTION_NODE_FLAGS, ...(script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : []), ...(options.execArgv ?? [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY ?? Buffer.alloc(32, 7).toString('base64'),
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_API_KEY: '100000000',
      DB_POOL_SIZE: '20',
      ...options.env,
    },
  });
  return new Promise((ready, fail) => {
    child.once('message', () => ready(child));
    child.once('exit', (code) => fail(new Error(`${what} exited with code ${code} before it was ready`)));
  });
}

/** POSTs bodies drawn at random for `seconds` over `connections`; resolves with the requests answered. */
export function drivePosts(url: string, bodies: string[], seconds: number, connections: number): Promise<number> {
  return new Promise((done, fail) => {
    autocannon(
      {
        url,
        method: 'POST',
        connections,
        duration: seconds,
        headers: { 'content-type': 'application/json' },
        requests: [{ method: 'POST', setupRequest: (r: Record<string, unknown>) => ({ ...r, body: bodies[Math.floor(Math.random() * bodies.length)] }) }],
      },
      (error: Error | null, result: { requests: { total: number }; non2xx: number; errors: number }) => {
        if (error) return fail(error);
        if (result.non2xx || result.errors) return fail(new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`));
        done(result.requests.total);
      },
    );
  });
}

/** Minimum, lower quartile and median of per-batch figures: contention only adds CPU time, so the lowest are the truest. */
export function lowFigures(perBatch: number[]): { min: number; q1: number; median: number } {
  const sorted = [...perBatch].sort((x, y) => x - y);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  return { min: sorted[0], q1: quantile(0.25), median: quantile(0.5) };
}
