import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FeedConfig } from '../../src/config/app-config';

export const QHP_FIXTURES = join(__dirname, '../fixtures/qhp');

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The carrier's web server of a test, on 127.0.0.1: fixture files with ETag / Last-Modified, and faults on demand. */
export interface FeedServer {
  url(path: string): string;
  /** Serves `body` at `path` as JSON, with an ETag of its content and a fixed Last-Modified, answering 304 when they match. */
  serve(path: string, body: string | Buffer, headers?: Record<string, string>): void;
  /** Serves test/fixtures/qhp/<fixturePath> at `path`. */
  serveFixture(path: string, fixturePath: string): void;
  /** A custom handler for `path`; it wins over served bodies. */
  on(path: string, handler: Handler): void;
  off(path: string): void;
  /** Requests received per path, and the conditional headers of the last one. */
  hits: Map<string, number>;
  lastHeaders: Map<string, IncomingMessage['headers']>;
  close(): Promise<void>;
}

const LAST_MODIFIED = 'Wed, 01 Oct 2025 00:00:00 GMT';

export async function startFeedServer(): Promise<FeedServer> {
  const bodies = new Map<string, { body: Buffer; headers: Record<string, string> }>();
  const handlers = new Map<string, Handler>();
  const hits = new Map<string, number>();
  const lastHeaders = new Map<string, IncomingMessage['headers']>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    lastHeaders.set(path, req.headers);
    const handler = handlers.get(path);
    if (handler) return handler(req, res);
    const served = bodies.get(path);
    if (!served) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const etag = `"${createHash('sha256').update(served.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'last-modified': LAST_MODIFIED }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(served.body.length),
      etag,
      'last-modified': LAST_MODIFIED,
      ...served.headers,
    });
    res.end(served.body);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    serve: (path, body, headers = {}) => void bodies.set(path, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), headers }),
    serveFixture: (path, fixturePath) => void bodies.set(path, { body: readFileSync(join(QHP_FIXTURES, fixturePath)), headers: {} }),
    on: (path, handler) => void handlers.set(path, handler),
    off: (path) => void handlers.delete(path),
    hits,
    lastHeaders,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Settings for tests: short timeouts and retry delays so fault tests take milliseconds. */
export function testFeedConfig(overrides: Partial<FeedConfig> = {}): FeedConfig {
  return {
    refreshCron: null,
    maxFileBytes: 1024 * 1024,
    concurrency: 2,
    spoolDir: null,
    connectTimeoutMs: 2_000,
    idleTimeoutMs: 500,
    retries: 2,
    retryBaseMs: 5,
    maxRetryAfterMs: 2_000,
    maxRedirects: 5,
    jobWorkers: 1,
    jobPollSeconds: 1,
    jobRetries: 2,
    jobRetryDelaySeconds: 0,
    jobExpireSeconds: 60,
    ...overrides,
  };
}
