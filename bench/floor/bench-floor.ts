/**
 * The floor under the API's CPU per request: what the fixed stack (NestJS, @nestjs/graphql on Apollo
 * Server) costs before any lookup, next to Node's own HTTP handling and to the API itself, all measured
 * alternately under the same load:
 *
 *   npm run bench:floor -- --pg-dir DIR [--batches 10] [--seconds 3] [--connections 50]
 *
 * DIR is a PostgreSQL data directory bench:query kept (`--pg-dir`), used as it is by the API contenders.
 * Contenders, each one Node process started with the production flags (as bench:query's):
 *   node:http               reads the POST body, parses it, answers `{"data":{"__typename":"Query"}}`
 *   raw SQL lookup          bench:query's baseline: each lookup as one raw SQL query behind bare node:http
 *   Nest + Apollo, Express  a NestJS application with GraphQLModule (ApolloDriver, code-first, one query
 *                           field), nothing else: no logging, limits, plugins or database
 *   Nest + Apollo, Fastify  the same on @nestjs/platform-fastify with Apollo's Fastify integration
 *   API, { __typename }     the API (its middleware, limits, plugins, logging, metrics; no lookup)
 *   API, the two questions  the API answering networkCoverage and drugCoverage lookups (as bench:query)
 * Every batch's CPU time (user + system, from /proc) per answered request is recorded; contention only adds
 * CPU time, so the lowest batches are the closest to each contender's own cost. Reported: minimum, lower
 * quartile and median per contender, their ratio to node:http, and throughput.
 */
import 'reflect-metadata';
import { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { drivePosts, forkServer, lowFigures } from '../lib/cpu-per-request';
import { treeCpuSeconds } from '../lib/proc-cpu';
import { rawLookupServer } from '../lib/raw-lookup-baseline';
import { sampleShopperLookups, shopperQueryBody } from '../lib/shopper-queries';

const TYPENAME_BODY = JSON.stringify({ query: '{ __typename }' });

type Kind = 'node-http' | 'raw-lookup' | 'nest-express' | 'nest-fastify' | 'api';

interface Contender {
  label: string;
  kind: Kind;
  bodies: string[];
  child?: ChildProcess;
  url?: string;
  msPerRequest: number[];
  requests: number;
}

function args(): { pgDir: string; batches: number; seconds: number; connections: number } {
  const argv = process.argv.slice(2);
  const get = (name: string, fallback?: string) => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? argv[i + 1] : fallback;
    if (value === undefined) throw new Error(`--${name} is required (see the header of bench/floor/bench-floor.ts)`);
    return value;
  };
  return {
    pgDir: resolve(get('pg-dir')),
    batches: Number(get('batches', '10')),
    seconds: Number(get('seconds', '3')),
    connections: Number(get('connections', '50')),
  };
}

function start(kind: Kind, port: number, databaseUrl: string): Promise<ChildProcess> {
  return forkServer(__filename, ['--serve', kind, String(port), databaseUrl], kind, { cwd: join(__dirname, '../..') });
}

async function main(): Promise<void> {
  const options = args();
  const { startEmbeddedPostgres, findFreePort } = await import('../../src/database/embedded-postgres');
  const database = await startEmbeddedPostgres({ dataDir: options.pgDir, persistent: true, durable: false });
  const lookups = await sampleShopperLookups(database.url);
  const contender = (label: string, kind: Kind, bodies: string[]): Contender => ({ label, kind, bodies, msPerRequest: [], requests: 0 });
  const contenders: Contender[] = [
    contender('node:http', 'node-http', [TYPENAME_BODY]),
    contender(
      'raw SQL lookup, node:http',
      'raw-lookup',
      lookups.map((lookup) => JSON.stringify(lookup)),
    ),
    contender('Nest + Apollo, Express', 'nest-express', [TYPENAME_BODY]),
    contender('Nest + Apollo, Fastify', 'nest-fastify', [TYPENAME_BODY]),
    contender('API, { __typename }', 'api', [TYPENAME_BODY]),
    contender('API, the two questions', 'api', lookups.map(shopperQueryBody)),
  ];
  try {
    for (const each of contenders) {
      const port = await findFreePort();
      each.child = await start(each.kind, port, database.url);
      each.url = `http://127.0.0.1:${port}/graphql`;
    }
    // Warm-up: JIT, prepared statements, Apollo's document cache.
    for (const each of contenders) await drivePosts(each.url!, each.bodies, 3, options.connections);
    for (let batch = 0; batch < options.batches; batch++) {
      console.log(`[bench:floor] batch ${batch + 1}/${options.batches}…`);
      for (const each of batch % 2 ? [...contenders].reverse() : contenders) {
        const before = treeCpuSeconds(each.child!.pid!)!;
        const requests = await drivePosts(each.url!, each.bodies, options.seconds, options.connections);
        each.msPerRequest.push((1000 * (treeCpuSeconds(each.child!.pid!)! - before)) / requests);
        each.requests += requests;
      }
    }
    const figures = contenders.map((c) => ({ label: c.label, ...lowFigures(c.msPerRequest), rate: c.requests / (options.batches * options.seconds) }));
    const [floor] = figures;
    console.log(
      `\nbench:floor  ${options.connections} connections  ${options.batches} batches of ${options.seconds} s per contender  node ${process.version}\n` +
        `CPU per request (ms): min, lower quartile, median; ratio of the minimum and the median to node:http's; throughput`,
    );
    for (const f of figures) {
      console.log(
        `${f.label.padEnd(26)} ${f.min.toFixed(3).padStart(7)} ${f.q1.toFixed(3).padStart(7)} ${f.median.toFixed(3).padStart(7)}   ` +
          `${(f.min / floor.min).toFixed(2).padStart(5)}x ${(f.median / floor.median).toFixed(2).padStart(5)}x   ${Math.round(f.rate).toLocaleString('en-US').padStart(6)} req/s`,
      );
    }
    console.log(`machine load average (1 min) at the end: ${loadavg()[0].toFixed(2)}`);
  } finally {
    for (const each of contenders) each.child?.kill('SIGKILL');
    await database.stop();
  }
}

async function serveNest(adapter: 'express' | 'fastify', port: number): Promise<void> {
  const { Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { GraphQLModule, Query, Resolver } = await import('@nestjs/graphql');
  const { ApolloDriver } = await import('@nestjs/apollo');

  // One resolver, so the code-first schema has a Query type; the load asks only for __typename.
  @Resolver()
  class FloorResolver {
    @Query(() => String)
    hello(): string {
      return 'world';
    }
  }
  @Module({ imports: [GraphQLModule.forRoot({ driver: ApolloDriver, autoSchemaFile: true, playground: false }) as never], providers: [FloorResolver] })
  class FloorModule {}

  if (adapter === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    const app = await NestFactory.create(FloorModule, new FastifyAdapter() as never, { logger: false });
    await app.listen(port, '127.0.0.1');
  } else {
    const app = await NestFactory.create(FloorModule, { logger: false });
    await app.listen(port, '127.0.0.1');
  }
}

async function serve(kind: Kind, port: number, databaseUrl: string): Promise<void> {
  if (kind === 'node-http') {
    const answer = JSON.stringify({ data: { __typename: 'Query' } });
    await new Promise<void>((listening) =>
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
          res.end(answer);
        });
      }).listen(port, '127.0.0.1', listening),
    );
  } else if (kind === 'raw-lookup') {
    const { server } = rawLookupServer(databaseUrl, 20);
    await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  } else if (kind === 'api') {
    const { createApp } = await import('../../src/bootstrap');
    const app = await createApp({ dbPoolSize: 20 }, databaseUrl);
    await app.listen(port, '127.0.0.1');
  } else {
    await serveNest(kind === 'nest-fastify' ? 'fastify' : 'express', port);
  }
}

if (process.argv[2] === '--serve') {
  const [, , , kind, port, databaseUrl] = process.argv;
  serve(kind as Kind, Number(port), databaseUrl)
    .then(() => process.send?.({ ready: true }))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
} else {
  main().catch((error) => {
    console.error(`bench:floor failed: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  });
}
