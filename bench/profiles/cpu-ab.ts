/**
 * API CPU per request of two source trees (e.g. main and a branch), measured alternately on one database,
 * for comparisons on a shared machine where bench:query's absolute figures swing with the load.
 *
 *   npx ts-node --transpile-only bench/profiles/cpu-ab.ts --pg-dir DIR --a /path/to/treeA --b /path/to/treeB
 *        [--batches 12] [--seconds 3] [--connections 50]
 *
 * DIR is a PostgreSQL data directory bench:query kept (`--pg-dir`): its data are used as they are. Each tree
 * (a checkout with node_modules) serves the API in its own process (production Node flags, as bench:query);
 * the two take turns under the same closed-loop load, `--batches` times each, and every batch's CPU time
 * per answered request is read from /proc. Contention only adds CPU time (cache misses, preemption), so
 * the lowest batches are the closest to each tree's own cost: the report gives the minimum, the lower
 * quartile and the median of each side, and their ratio.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { treeCpuSeconds } from '../lib/proc-cpu';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon');

const NETWORK_QUERY = `query Network($npis: [String!]!, $planIds: [String!]!) {
  networkCoverage(npis: $npis, planIds: $planIds) { npi planId status networkTiers acceptingNewPatients message }
}`;
const DRUG_QUERY = `query Drug($rxnormIds: [String!]!, $planIds: [String!]!) {
  drugCoverage(rxnormIds: $rxnormIds, planIds: $planIds) { rxnormId planId status drugTier priorAuthorization costSummary message }
}`;

function args(): { pgDir: string; a: string; b: string; batches: number; seconds: number; connections: number } {
  const argv = process.argv.slice(2);
  const get = (name: string, fallback?: string) => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? argv[i + 1] : fallback;
    if (value === undefined) throw new Error(`--${name} is required (see the header of bench/profiles/cpu-ab.ts)`);
    return value;
  };
  return {
    pgDir: resolve(get('pg-dir')),
    a: resolve(get('a')),
    b: resolve(get('b')),
    batches: Number(get('batches', '12')),
    seconds: Number(get('seconds', '3')),
    connections: Number(get('connections', '50')),
  };
}

async function bodies(databaseUrl: string): Promise<string[]> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const npis = (
      await pool.query(`SELECT p.npi, array_agg(DISTINCT m.plan_id) AS plans
                          FROM provider p JOIN issuer i ON i.current_version_id = p.version_id
                          JOIN network_membership m ON m.version_id = p.version_id AND m.record_no = p.record_no
                         WHERE p.npi IS NOT NULL GROUP BY p.npi ORDER BY random() LIMIT 500`)
    ).rows as Array<{ npi: string; plans: string[] }>;
    const drugs = (
      await pool.query(`SELECT f.rxnorm_id, array_agg(DISTINCT f.plan_id) AS plans
                          FROM formulary_entry f JOIN issuer i ON i.current_version_id = f.version_id
                         GROUP BY f.rxnorm_id ORDER BY random() LIMIT 500`)
    ).rows as Array<{ rxnorm_id: string; plans: string[] }>;
    const trim = (plans: string[]) => plans.slice(0, 3).map((p) => p.trim());
    return [
      ...npis.map((n) => JSON.stringify({ operationName: 'Network', query: NETWORK_QUERY, variables: { npis: [n.npi.trim()], planIds: trim(n.plans) } })),
      ...drugs.map((d) => JSON.stringify({ operationName: 'Drug', query: DRUG_QUERY, variables: { rxnormIds: [d.rxnorm_id], planIds: trim(d.plans) } })),
    ];
  } finally {
    await pool.end();
  }
}

function serve(tree: string, databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = fork(__filename, ['--serve', tree, databaseUrl, String(port)], {
    cwd: tree,
    execArgv: ['--max-semi-space-size=32', '-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PERSONAL_DATA_KEY: process.env.PERSONAL_DATA_KEY ?? Buffer.alloc(32, 7).toString('base64'),
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_API_KEY: '100000000',
      DB_POOL_SIZE: '20',
    },
  });
  return new Promise((ready, fail) => {
    child.once('message', () => ready(child));
    child.once('exit', (code) => fail(new Error(`API of ${tree} exited with code ${code}`)));
  });
}

function drive(url: string, list: string[], seconds: number, connections: number): Promise<number> {
  return new Promise((done, fail) => {
    autocannon(
      {
        url,
        method: 'POST',
        connections,
        duration: seconds,
        headers: { 'content-type': 'application/json' },
        requests: [{ method: 'POST', setupRequest: (r: Record<string, unknown>) => ({ ...r, body: list[Math.floor(Math.random() * list.length)] }) }],
      },
      (error: Error | null, result: { requests: { total: number }; non2xx: number; errors: number }) => {
        if (error) return fail(error);
        if (result.non2xx || result.errors) return fail(new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`));
        done(result.requests.total);
      },
    );
  });
}

async function main(): Promise<void> {
  const options = args();
  const { startEmbeddedPostgres, findFreePort } = await import('../../src/database/embedded-postgres');
  const database = await startEmbeddedPostgres({ dataDir: options.pgDir, persistent: true, durable: false });
  const children: ChildProcess[] = [];
  try {
    const list = await bodies(database.url);
    const sides = [] as Array<{ name: string; child: ChildProcess; url: string; msPerRequest: number[]; requests: number }>;
    for (const [name, tree] of [
      ['A', options.a],
      ['B', options.b],
    ] as const) {
      const port = await findFreePort();
      const child = await serve(tree, database.url, port);
      children.push(child);
      sides.push({ name: `${name} ${tree}`, child, url: `http://127.0.0.1:${port}/graphql`, msPerRequest: [], requests: 0 });
    }
    for (const side of sides) await drive(side.url, list, 3, options.connections); // warm-up (JIT, prepared statements)
    for (let batch = 0; batch < options.batches; batch++) {
      for (const side of batch % 2 ? [...sides].reverse() : sides) {
        const before = treeCpuSeconds(side.child.pid!)!;
        const requests = await drive(side.url, list, options.seconds, options.connections);
        const cpu = treeCpuSeconds(side.child.pid!)! - before;
        side.msPerRequest.push((1000 * cpu) / requests);
        side.requests += requests;
      }
    }
    const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
    const figures = sides.map((side) => {
      const sorted = [...side.msPerRequest].sort((x, y) => x - y);
      return { min: sorted[0], q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), requests: side.requests };
    });
    for (const [i, side] of sides.entries()) {
      const f = figures[i];
      console.log(
        `${side.name}: API CPU per request min ${f.min.toFixed(3)} ms, lower quartile ${f.q1.toFixed(3)} ms, median ${f.median.toFixed(3)} ms ` +
          `(${options.batches} batches of ${options.seconds} s, ${f.requests} requests)`,
      );
    }
    const [a, b] = figures;
    console.log(`B/A: min ${(b.min / a.min).toFixed(3)}, lower quartile ${(b.q1 / a.q1).toFixed(3)}, median ${(b.median / a.median).toFixed(3)}`);
    console.log(`load average at the end: ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await database.stop();
  }
}

if (process.argv[2] === '--serve') {
  const [, , , tree, databaseUrl, port] = process.argv;
  (async () => {
    const { createApp } = (await import(join(tree, 'src/bootstrap'))) as typeof import('../../src/bootstrap');
    const app = await createApp({ dbPoolSize: 20 }, databaseUrl);
    await app.listen(Number(port), '127.0.0.1');
    process.send?.({ ready: true });
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(`cpu-ab failed: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  });
}
