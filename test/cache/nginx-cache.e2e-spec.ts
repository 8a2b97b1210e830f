import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { findFreePort } from '../../src/database/embedded-postgres';
import { TestApp } from '../helpers/test-app';
import { A, startWithTwoIssuers, stopWithTwoIssuers, TwoIssuers } from './two-issuers';

/**
 * The caching proxy of the deployment (deploy/nginx/nginx.conf, documented in docs/caching.md), run for
 * real in front of the API: repeats of a public GET are answered from its cache without reaching the API,
 * an expired answer is revalidated with If-None-Match (the API answers 304 without running the query), a
 * publish reaches the cache at its next revalidation, and keyed requests are never cached. The file is
 * used as it is, but for the addresses, the cache folder and what a process that is not a service needs
 * (pid and log files, no daemon).
 *
 * nginx is Debian's (`apt-get install nginx`; .ci/run installs it when missing), or NGINX_PATH.
 */
const NGINX = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((path) => path && existsSync(path));
const CONFIG = join(__dirname, '..', '..', 'deploy', 'nginx', 'nginx.conf');
const MAX_AGE_SECONDS = 1;
const NETWORK_QUERY = `query Doctor($npis: [String!]!, $planIds: [String!]!) {
  networkCoverage(npis: $npis, planIds: $planIds) { npi planId status message }
}`;
// Apollo's CSRF prevention: a GET must show it is not a simple cross-site request.
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

/** The deployment's file, pointed at this test's API and folders. */
function testConfig(deployed: string, apiPort: number, nginxPort: number, folder: string): string {
  const replaced = (text: string, from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`deploy/nginx/nginx.conf no longer has ${from}: update this test`);
    return text.replace(from, to);
  };
  let config = deployed;
  config = replaced(config, /server api-1:3000;\s*server api-2:3000;/, `server 127.0.0.1:${apiPort};`);
  config = replaced(config, /listen 80;/, `listen 127.0.0.1:${nginxPort};`);
  config = replaced(config, /\/var\/cache\/nginx\/coverage/, join(folder, 'cache'));
  config = replaced(
    config,
    /http \{/,
    `http {
    access_log off;
    client_body_temp_path ${join(folder, 'body')};
    proxy_temp_path ${join(folder, 'proxy')};
    fastcgi_temp_path ${join(folder, 'fastcgi')};
    uwsgi_temp_path ${join(folder, 'uwsgi')};
    scgi_temp_path ${join(folder, 'scgi')};`,
  );
  return `daemon off;\npid ${join(folder, 'nginx.pid')};\nerror_log ${join(folder, 'error.log')} warn;\n${config}`;
}

/** What the API was asked, as nginx asked it. */
interface Seen {
  ifNoneMatch?: string;
  status: number;
}

describe('the nginx cache of the deployment, in front of the API', () => {
  let t: TestApp;
  let issuers: TwoIssuers;
  let nginx: ChildProcess;
  let nginxOutput = '';
  let folder: string;
  let origin: string;
  const seen: Seen[] = [];

  const ask = (headers: Record<string, string> = {}) =>
    request(origin)
      .get(`/graphql?${new URLSearchParams({ query: NETWORK_QUERY, variables: JSON.stringify({ npis: [A.doctor], planIds: [A.planId] }) })}`)
      .set({ ...PREFLIGHT, ...headers });
  const message = (response: request.Response): string => response.body.data.networkCoverage[0].message;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    if (!NGINX) throw new Error('No nginx found (looked in /usr/sbin, /usr/local/sbin, /usr/bin): apt-get install -y nginx, or set NGINX_PATH');
    ({ t, issuers } = await startWithTwoIssuers({ httpCache: { maxAgeSeconds: MAX_AGE_SECONDS, staleWhileRevalidateSeconds: 30 }, trustProxy: 1 }));
    const server = t.app.getHttpServer() as Server;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!req.url?.startsWith('/graphql')) return;
      res.once('finish', () => seen.push({ ifNoneMatch: req.headers['if-none-match'], status: res.statusCode }));
    });
    const apiPort = await findFreePort();
    await new Promise<void>((listening) => server.listen(apiPort, '127.0.0.1', listening));

    // nginx's workers run as an unprivileged user when it is started as root: its folders must be open to them.
    folder = mkdtempSync(join(tmpdir(), 'nginx-cache-'));
    chmodSync(folder, 0o755);
    for (const sub of ['cache', 'body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      mkdirSync(join(folder, sub));
      chmodSync(join(folder, sub), 0o777);
    }
    const nginxPort = await findFreePort();
    writeFileSync(join(folder, 'nginx.conf'), testConfig(readFileSync(CONFIG, 'utf8'), apiPort, nginxPort, folder));
    nginx = spawn(NGINX, ['-p', folder, '-c', join(folder, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stdout!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
    nginx.stderr!.on('data', (chunk: Buffer) => (nginxOutput += chunk.toString()));
    origin = `http://127.0.0.1:${nginxPort}`;
    for (let attempt = 0; ; attempt++) {
      const up = await request(origin)
        .get('/health')
        .then(() => true)
        .catch(() => false);
      if (up) break;
      if (attempt > 100 || nginx.exitCode !== null) {
        const log = existsSync(join(folder, 'error.log')) ? readFileSync(join(folder, 'error.log'), 'utf8') : '';
        throw new Error(`nginx did not start: ${nginxOutput}${log}`);
      }
      await sleep(100);
    }
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await stopWithTwoIssuers(t, issuers);
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('answers a repeated GET from its cache, without reaching the API', async () => {
    const first = await ask();
    expect(first.status).toBe(200);
    expect(first.headers['x-cache-status']).toBe('MISS');
    expect(message(first)).toContain(`${A.last} v${issuers.variant(A)}`);
    const asked = seen.length;

    const repeat = await ask();
    expect(repeat.status).toBe(200);
    expect(repeat.headers['x-cache-status']).toBe('HIT');
    expect(repeat.text).toBe(first.text);
    expect(repeat.headers.etag).toBe(first.headers.etag);
    expect(seen.length).toBe(asked);
  });

  it('revalidates an expired answer with If-None-Match: the API answers 304, the client gets the whole answer', async () => {
    const cached = await ask();
    await sleep(MAX_AGE_SECONDS * 1000 + 1100); // nginx counts whole seconds
    const asked = seen.length;
    const expired = await ask();
    expect(expired.status).toBe(200);
    expect(expired.text).toBe(cached.text);
    // Within stale-while-revalidate nginx answers from its copy and revalidates in the background.
    expect(['REVALIDATED', 'STALE', 'UPDATING']).toContain(expired.headers['x-cache-status']);
    for (let i = 0; i < 250 && seen.length === asked; i++) await sleep(20);
    expect(seen.slice(asked)).toEqual([{ ifNoneMatch: cached.headers.etag, status: 304 }]);
    // Once nginx has stored the revalidated copy, repeats are hits again.
    let repeat = await ask();
    for (let i = 0; i < 50 && repeat.headers['x-cache-status'] !== 'HIT'; i++) {
      await sleep(20);
      repeat = await ask();
    }
    expect(repeat.headers['x-cache-status']).toBe('HIT');
    expect(repeat.text).toBe(cached.text);
    expect(seen.length).toBe(asked + 1);
  });

  it('brings a publish to the cache at its next revalidation, under a new ETag', async () => {
    const before = await ask();
    const variant = await issuers.publish(A);
    await sleep(MAX_AGE_SECONDS * 1000 + 1100); // nginx counts whole seconds
    const asked = seen.length;
    let after = await ask();
    // The first request after expiry may still get the copy it holds (stale-while-revalidate); the next ones not.
    for (let i = 0; i < 50 && !message(after).includes(`v${variant}`); i++) {
      await sleep(20);
      after = await ask();
    }
    expect(message(after)).toContain(`${A.last} v${variant}`);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    // nginx asked with the ETag it held; the API answered in full, not 304.
    expect(seen[asked]).toEqual({ ifNoneMatch: before.headers.etag, status: 200 });
  });

  it('never caches keyed requests: each one reaches the API', async () => {
    const { plainKey } = await t.app.get(ApiKeysService).create({ label: '', issuerIds: [], partner: 'Cached Site' });
    const asked = seen.length;
    const first = await ask({ 'x-api-key': plainKey });
    const second = await ask({ 'x-api-key': plainKey });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.headers['x-cache-status'], second.headers['x-cache-status']]).toEqual(['BYPASS', 'BYPASS']);
    expect(first.headers['cache-control']).toMatch(/^private/);
    expect(seen.length).toBe(asked + 2);
  });
});
