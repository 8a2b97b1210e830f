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
import { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { drivePosts, forkServer, lowFigures } from '../lib/cpu-per-request';
import { treeCpuSeconds } from '../lib/proc-cpu';
import { sampleShopperLookups, shopperQueryBody } from '../lib/shopper-queries';

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

function serve(tree: string, databaseUrl: string, port: number): Promise<ChildProcess> {
  return forkServer(__filename, ['--serve', tree, databaseUrl, String(port)], `API of ${tree}`, { cwd: tree });
}

async function main(): Promise<void> {
  const options = args();
  const { startEmbeddedPostgres, findFreePort } = await import('../../src/database/embedded-postgres');
  const database = await startEmbeddedPostgres({ dataDir: options.pgDir, persistent: true, durable: false });
  const children: ChildProcess[] = [];
  try {
    const list = (await sampleShopperLookups(database.url)).map(shopperQueryBody);
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
    for (const side of sides) await drivePosts(side.url, list, 3, options.connections); // warm-up (JIT, prepared statements)
    for (let batch = 0; batch < options.batches; batch++) {
      for (const side of batch % 2 ? [...sides].reverse() : sides) {
        const before = treeCpuSeconds(side.child.pid!)!;
        const requests = await drivePosts(side.url, list, options.seconds, options.connections);
        const cpu = treeCpuSeconds(side.child.pid!)! - before;
        side.msPerRequest.push((1000 * cpu) / requests);
        side.requests += requests;
      }
    }
    const figures = sides.map((side) => ({ ...lowFigures(side.msPerRequest), requests: side.requests }));
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
